package sandbox_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

const scenario = `{
  "version": 1,
  "autoScalingGroups": [
    {"id": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10", "reference": "workers", "region": "eu-west-3", "desiredAmount": 2}
  ],
  "instances": [
    {"id": "11111111-1111-4111-8111-111111111111", "reference": "web", "region": "eu-west-3",
     "type": "lsw.m5a.large", "imageId": "UBUNTU_24_04_64BIT"},
    {"id": "22222222-2222-4222-8222-222222222222", "reference": "web", "region": "eu-west-3",
     "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT", "state": "STOPPED"},
    {"id": "33333333-3333-4333-8333-333333333333", "reference": "worker-a", "region": "eu-west-3",
     "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT",
     "autoScalingGroupId": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"},
    {"id": "44444444-4444-4444-8444-444444444444", "reference": "db", "region": "eu-central-1",
     "type": "lsw.r5.large", "imageId": "DEBIAN_12_64BIT",
     "contract": {"type": "MONTHLY", "term": 12, "startsAt": "2024-06-01T00:00:00Z"}},
    {"id": "55555555-5555-4555-8555-555555555555", "reference": "gone", "region": "eu-west-3",
     "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT", "state": "DESTROYED"},
    {"id": "66666666-6666-4666-8666-666666666666", "region": "eu-west-3",
     "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT", "state": "CREATING"}
  ]
}`

func TestSeedScenario(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.launch(launchBody("replaced"))
	if err := e.srv.Seed(strings.NewReader(scenario)); err != nil {
		t.Fatal(err)
	}
	p := e.list("?limit=50")
	if p.Meta.TotalCount != 6 || p.Instances[0].ID != "11111111-1111-4111-8111-111111111111" {
		t.Fatalf("after Seed: %+v", p)
	}
	if p := e.list("?reference=web"); len(p.Instances) != 2 {
		t.Errorf("two instances share the reference web: got %d", len(p.Instances))
	}
	asg := e.instance("33333333-3333-4333-8333-333333333333")["autoScalingGroup"].(map[string]any)
	if asg["id"] != "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10" || asg["type"] != "MANUAL" || asg["state"] != "ACTIVE" || asg["desiredAmount"] != 2.0 {
		t.Errorf("autoScalingGroup %v", asg)
	}
	db := e.instance("44444444-4444-4444-8444-444444444444")
	if c := db["contract"].(map[string]any); c["type"] != "MONTHLY" || c["state"] != "ACTIVE" || c["id"] == "" {
		t.Errorf("monthly contract %v", c)
	}
	r := e.do("DELETE", "/publicCloud/v1/instances/44444444-4444-4444-8444-444444444444",
		map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"})
	wantStatus(t, r, http.StatusOK)
	// Started 2024-06-01 with 12-month terms: the term running on 2025-03-14 ends 2025-06-01.
	if c := e.instance("44444444-4444-4444-8444-444444444444")["contract"].(map[string]any); c["endsAt"] != "2025-06-01T00:00:00+00:00" {
		t.Errorf("endsAt %v", c["endsAt"])
	}
	if got := e.state("55555555-5555-4555-8555-555555555555"); got != "DESTROYED" {
		t.Errorf("seeded DESTROYED: %s", got)
	}
	creating := e.instance("66666666-6666-4666-8666-666666666666")
	if creating["state"] != "CREATING" || creating["reference"] != nil || len(creating["ips"].([]any)) != 0 {
		t.Errorf("seeded CREATING: %v %v %v", creating["state"], creating["reference"], creating["ips"])
	}
	e.clock.Advance(2 * time.Second)
	if got := e.state("66666666-6666-4666-8666-666666666666"); got != "RUNNING" {
		t.Errorf("seeded CREATING after the delay: %s", got)
	}

	// GET /_sandbox/state dumps a document that seeds the same state.
	r = e.do("GET", "/_sandbox/state", nil)
	wantStatus(t, r, http.StatusOK)
	other := newEnv(t, sandbox.Options{})
	other.clock.Advance(2 * time.Second)
	wantStatus(t, other.do("PUT", "/_sandbox/state", string(r.body)), http.StatusNoContent)
	for _, id := range []string{"11111111-1111-4111-8111-111111111111", "44444444-4444-4444-8444-444444444444"} {
		a, _ := json.Marshal(e.instance(id))
		b, _ := json.Marshal(other.instance(id))
		if string(a) != string(b) {
			t.Errorf("round trip of %s:\n%s\n%s", id, a, b)
		}
	}
}

func TestSeedErrors(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.launch(launchBody("kept"))
	inst := func(fields string) string {
		return `{"instances": [{"region": "eu-west-3", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"` + fields + `}]}`
	}
	tests := map[string]string{
		"unknown field":  inst(`, "colour": "blue"`),
		"bad region":     `{"instances": [{"region": "mars-1", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"}]}`,
		"unknown type":   inst(`, "type": "lsw.g6.xlarge"`),
		"unknown image":  inst(`, "imageId": "OS2_WARP"`),
		"bad state":      inst(`, "state": "SLEEPING"`),
		"bad contract":   inst(`, "contract": {"type": "YEARLY"}`),
		"bad disk":       inst(`, "rootDiskSize": 2`),
		"unknown asg":    inst(`, "autoScalingGroupId": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"`),
		"duplicate id":   `{"instances": [{"id": "a", "region": "eu-west-3", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"}, {"id": "a", "region": "eu-west-3", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"}]}`,
		"future version": `{"version": 2}`,
		"not JSON":       `instances: []`,
		"asg bad region": `{"autoScalingGroups": [{"region": "x"}]}`,
	}
	for name, doc := range tests {
		if err := e.srv.Seed(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: Seed accepted %s", name, doc)
		}
	}
	r := e.do("PUT", "/_sandbox/state", tests["bad region"])
	wantStatus(t, r, http.StatusBadRequest)
	if !strings.Contains(string(r.body), `instances[0]: region \"mars-1\"`) {
		t.Errorf("PUT /_sandbox/state error: %s", r.body)
	}
	if got := e.list("").refs(); len(got) != 1 || got[0] != "kept" {
		t.Errorf("a failed Seed changed the state: %v", got)
	}
}
