package sandbox_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

const (
	asgWorkers = "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"
	asgBatch   = "8c2a6c9f-4d66-4d2f-8b54-1e7e3a2b7b21"
	asgGone    = "9d3b7d0a-5e77-4e3a-9c65-2f8f4b3c8c32"
	tgWeb      = "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20"
	tgFar      = "1a5b8d47-3c2e-4d68-8e2f-6b9a4c7d8e31"
	workerA    = "33333333-3333-4333-8333-333333333333"
	workerB    = "44444444-4444-4444-8444-444444444444"
)

const asgScenario = `{
  "targetGroups": [
    {"id": "` + tgWeb + `", "name": "web", "region": "eu-west-3"},
    {"id": "` + tgFar + `", "name": "far", "region": "eu-central-1", "protocol": "TCP", "port": 22}
  ],
  "autoScalingGroups": [
    {"id": "` + asgWorkers + `", "reference": "workers", "region": "eu-west-3", "desiredAmount": 2,
     "createdAt": "2025-01-01T00:00:00Z"},
    {"id": "` + asgBatch + `", "reference": "batch", "region": "eu-central-1", "type": "CPU_BASED",
     "state": "SCALING", "minimumAmount": 1, "maximumAmount": 3, "cpuThreshold": 50, "warmupTime": 300,
     "cooldownTime": 300, "createdAt": "2025-01-02T00:00:00Z", "targetGroupIds": ["` + tgFar + `"]},
    {"id": "` + asgGone + `", "reference": "gone", "region": "eu-west-3", "state": "DESTROYING",
     "createdAt": "2025-01-03T00:00:00Z"}
  ],
  "instances": [
    {"id": "` + workerA + `", "reference": "worker-a", "region": "eu-west-3", "type": "lsw.m4.large",
     "imageId": "DEBIAN_12_64BIT", "autoScalingGroupId": "` + asgWorkers + `"},
    {"id": "` + workerB + `", "region": "eu-west-3", "type": "lsw.m4.large",
     "imageId": "DEBIAN_12_64BIT", "autoScalingGroupId": "` + asgWorkers + `", "state": "CREATING"}
  ]
}`

// asgEnv is a sandbox seeded with asgScenario.
func asgEnv(t *testing.T) *env {
	e := newEnv(t, sandbox.Options{})
	if err := e.srv.Seed(strings.NewReader(asgScenario)); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestAutoScalingGroupListAndDetails(t *testing.T) {
	e := asgEnv(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{asgWorkers, asgBatch, asgGone}},
		{"?reference=batch", []string{asgBatch}},
		{"?type=CPU_BASED", []string{asgBatch}},
		{"?region=eu-west-3&state=ACTIVE", []string{asgWorkers}},
		{"?id=" + asgGone, []string{asgGone}},
		{"?instanceId=" + workerB, []string{asgWorkers}},
		{"?instanceId=" + unknown, nil},
		{"?limit=1&offset=1", []string{asgBatch}},
	}
	for _, tt := range tests {
		got, _ := e.items(pc+"/autoScalingGroups"+tt.query, "autoScalingGroups")
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("%q: %v, want %v", tt.query, ids(got), tt.want)
		}
	}
	items, _ := e.items(pc+"/autoScalingGroups", "autoScalingGroups")
	if _, ok := items[0]["targetGroups"]; ok {
		t.Errorf("list item has targetGroups")
	}

	path := pc + "/autoScalingGroups/" + asgWorkers
	a := e.get(path)
	if a["reference"] != "workers" || a["type"] != "MANUAL" || a["state"] != "ACTIVE" || len(a["targetGroups"].([]any)) != 0 {
		t.Errorf("details %v", a)
	}
	if tgs := e.get(pc + "/autoScalingGroups/" + asgBatch)["targetGroups"].([]any); len(tgs) != 1 || tgs[0].(map[string]any)["id"] != tgFar {
		t.Errorf("seeded link: %v", tgs)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", ""}, {"GET", "/instances"}, {"POST", "/registerTargetGroup"}, {"POST", "/deregisterTargetGroup"},
	} {
		var body any
		if c.method == "POST" {
			body = map[string]any{"targetGroupId": tgFar}
		}
		wantStatus(t, e.do(c.method, pc+"/autoScalingGroups/"+unknown+c.path, body), http.StatusNotFound)
	}
}

func TestAutoScalingGroupTargetGroups(t *testing.T) {
	e := asgEnv(t)
	path := pc + "/autoScalingGroups/" + asgWorkers
	e.clock.Advance(time.Minute)
	r := e.do("POST", path+"/registerTargetGroup", map[string]any{"targetGroupId": tgWeb})
	wantStatus(t, r, http.StatusOK)
	a := r.object(t)
	tgs := a["targetGroups"].([]any)
	if len(tgs) != 1 || tgs[0].(map[string]any)["name"] != "web" || a["updatedAt"] != "2025-03-14T09:27:53+00:00" {
		t.Errorf("after register %v", a)
	}
	if got := e.get(path)["targetGroups"].([]any); len(got) != 1 {
		t.Errorf("GET after register: %v", got)
	}
	for _, tc := range []struct {
		name, action, tg string
		asg              string
		field            string
	}{
		{"twice", "registerTargetGroup", tgWeb, asgWorkers, "targetGroupId"},
		{"other region", "registerTargetGroup", tgFar, asgWorkers, "targetGroupId"},
		{"unknown target group", "registerTargetGroup", unknown, asgWorkers, "targetGroupId"},
		{"not registered", "deregisterTargetGroup", tgWeb, asgBatch, "targetGroupId"},
		{"group destroying", "registerTargetGroup", tgWeb, asgGone, "autoScalingGroupId"},
	} {
		r := e.do("POST", pc+"/autoScalingGroups/"+tc.asg+"/"+tc.action, map[string]any{"targetGroupId": tc.tg})
		if r.status != http.StatusBadRequest || errorDetails(t, r)[tc.field] == nil {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	e.expectViolation("targetGroupId", func() { r = e.do("POST", path+"/registerTargetGroup", map[string]any{}) })
	wantDetail(e, r, "targetGroupId")

	// A linked target group cannot be deleted.
	wantDetail(e, e.do("DELETE", pc+"/targetGroups/"+tgWeb, nil), "targetGroupId")
	r = e.do("POST", path+"/deregisterTargetGroup", map[string]any{"targetGroupId": tgWeb})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t)["targetGroups"].([]any); len(got) != 0 {
		t.Errorf("after deregister %v", got)
	}
	wantDetail(e, e.do("POST", path+"/deregisterTargetGroup", map[string]any{"targetGroupId": tgWeb}), "targetGroupId")
	wantStatus(t, e.do("DELETE", pc+"/targetGroups/"+tgWeb, nil), http.StatusNoContent)
}

func TestAutoScalingGroupInstances(t *testing.T) {
	e := asgEnv(t)
	e.clock.Advance(2 * time.Second) // workerB was seeded CREATING
	path := pc + "/autoScalingGroups/" + asgWorkers
	insts, meta := e.items(path+"/instances", "instances")
	if !slices.Equal(ids(insts), []string{workerA, workerB}) || meta != (listMeta{2, 0, 10}) {
		t.Fatalf("instances %v %+v", ids(insts), meta)
	}
	if insts[0]["productType"] != "AUTO_SCALED_INSTANCE" || insts[0]["reference"] != "worker-a" || len(insts[0]["ips"].([]any)) != 2 {
		t.Errorf("instance %v", insts[0])
	}
	if _, ok := insts[1]["reference"]; ok || insts[1]["state"] != "RUNNING" {
		t.Errorf("instance without reference %v", insts[1])
	}
	if insts, meta := e.items(path+"/instances?limit=1&offset=1", "instances"); !slices.Equal(ids(insts), []string{workerB}) || meta != (listMeta{2, 1, 1}) {
		t.Errorf("paged: %v %+v", ids(insts), meta)
	}
	if insts, _ := e.items(pc+"/autoScalingGroups/"+asgBatch+"/instances", "instances"); len(insts) != 0 {
		t.Errorf("empty group lists %v", insts)
	}
}

func TestAutoScalingGroupPaging(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var groups []string
	var want []string
	for i := range 12 {
		id := fmt.Sprintf("7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a%02d", i)
		groups = append(groups, fmt.Sprintf(`{"id": %q, "reference": "g%d", "region": "eu-west-3"}`, id, i))
		want = append(want, id)
	}
	if err := e.srv.Seed(strings.NewReader(`{"autoScalingGroups": [` + strings.Join(groups, ",") + `]}`)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		want  []string
		meta  listMeta
	}{
		{"", want[:10], listMeta{12, 0, 10}},
		{"?offset=10", want[10:], listMeta{12, 10, 10}},
		{"?limit=4&offset=2", want[2:6], listMeta{12, 2, 4}},
	} {
		got, meta := e.items(pc+"/autoScalingGroups"+tt.query, "autoScalingGroups")
		if !slices.Equal(ids(got), tt.want) || meta != tt.meta {
			t.Errorf("%q: %v %+v", tt.query, ids(got), meta)
		}
	}
}
