package sandbox_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// docExample is the state document example of doc.go.
func docExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(b), "// # State document")
	var lines []string
	in := false
	for _, l := range strings.Split(after, "\n") {
		l = strings.TrimPrefix(l, "//\t")
		if l == "{" {
			in = true
		}
		if in {
			lines = append(lines, l)
		}
		if l == "}" {
			break
		}
	}
	return strings.Join(lines, "\n")
}

func TestSeedDocumentedExample(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	if err := e.srv.Seed(strings.NewReader(docExample(t))); err != nil {
		t.Fatalf("the example of doc.go does not seed: %v", err)
	}
	lbs, _ := e.items(pc+"/loadBalancers", "loadBalancers")
	if len(lbs) != 1 {
		t.Fatalf("load balancers %v", lbs)
	}
	lb := lbs[0]
	cfg := lb["configuration"].(map[string]any)
	if lb["state"] != "RUNNING" || len(lb["ips"].([]any)) != 2 || cfg["balance"] != "leastconn" || cfg["idleTimeOut"] != 60.0 ||
		cfg["stickySession"].(map[string]any)["maxLifeTime"] != 300.0 || cfg["xForwardedFor"] != false {
		t.Errorf("seeded load balancer %v", lb)
	}
	base := pc + "/loadBalancers/" + lb["id"].(string) + "/listeners"
	listeners, _ := e.items(base, "listeners")
	if len(listeners) != 2 || listeners[1]["port"] != 443.0 {
		t.Fatalf("seeded listeners %v", listeners)
	}
	rule := listeners[0]["rules"].([]any)[0].(map[string]any)
	if rule["targetGroupId"] != tgWeb || len(rule["id"].(string)) != 36 || len(listeners[0]["id"].(string)) != 36 {
		t.Errorf("seeded rule %v", rule)
	}
	if certs := e.get(base + "/" + listeners[1]["id"].(string))["sslCertificates"].([]any); len(certs) != 1 {
		t.Errorf("seeded certificate %v", certs)
	}
	if tgs := e.instance("11111111-1111-4111-8111-111111111111")["targetGroups"].([]any); len(tgs) != 1 ||
		tgs[0].(map[string]any)["healthCheck"].(map[string]any)["uri"] != "/healthz" {
		t.Errorf("seeded target's targetGroups %v", tgs)
	}
	if tgs := e.get(pc + "/autoScalingGroups/" + asgWorkers)["targetGroups"].([]any); len(tgs) != 1 {
		t.Errorf("seeded ASG link %v", tgs)
	}

	// GET /_sandbox/state dumps a document that seeds the same state.
	r := e.do("GET", "/_sandbox/state", nil)
	wantStatus(t, r, http.StatusOK)
	other := newEnv(t, sandbox.Options{})
	wantStatus(t, other.do("PUT", "/_sandbox/state", string(r.body)), http.StatusNoContent)
	for _, path := range []string{
		pc + "/loadBalancers", base, base + "/" + listeners[1]["id"].(string), pc + "/targetGroups",
		pc + "/targetGroups/" + tgWeb + "/targets", pc + "/autoScalingGroups/" + asgWorkers,
		pc + "/instances/11111111-1111-4111-8111-111111111111",
	} {
		a, _ := json.Marshal(e.get(path))
		b, _ := json.Marshal(other.get(path))
		if string(a) != string(b) {
			t.Errorf("round trip of %s:\n%s\n%s", path, a, b)
		}
	}
}

func TestSeedDefaultsForBalancing(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	doc := `{
	  "targetGroups": [{"id": "` + tgWeb + `", "name": "web", "region": "eu-west-3"}],
	  "loadBalancers": [
	    {"id": "5fd135a9-3ff6-4794-8b92-8cd8747a3ea3", "region": "eu-west-3", "type": "lsw.m4.large"},
	    {"id": "6fd135a9-3ff6-4794-8b92-8cd8747a3ea4", "region": "eu-west-3", "type": "lsw.m4.large",
	     "state": "CREATING", "contract": {"type": "MONTHLY"}}
	  ]}`
	if err := e.srv.Seed(strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	tg := e.get(pc + "/targetGroups/" + tgWeb)
	if tg["protocol"] != "HTTP" || tg["port"] != 80.0 || tg["healthCheck"] != nil {
		t.Errorf("target group defaults %v", tg)
	}
	lb := e.get(pc + "/loadBalancers/5fd135a9-3ff6-4794-8b92-8cd8747a3ea3")
	cfg := lb["configuration"].(map[string]any)
	if lb["reference"] != nil || lb["state"] != "RUNNING" || lb["contract"].(map[string]any)["type"] != "HOURLY" ||
		cfg["balance"] != "roundrobin" || cfg["idleTimeOut"] != 60.0 || cfg["stickySession"] != nil {
		t.Errorf("load balancer defaults %v", lb)
	}
	creating := e.get(pc + "/loadBalancers/6fd135a9-3ff6-4794-8b92-8cd8747a3ea4")
	c := creating["contract"].(map[string]any)
	if creating["state"] != "CREATING" || len(creating["ips"].([]any)) != 0 || c["state"] != "PENDING" || c["term"] != 1.0 {
		t.Errorf("seeded CREATING monthly %v", creating)
	}
	e.clock.Advance(2 * time.Second)
	if got := e.get(pc + "/loadBalancers/6fd135a9-3ff6-4794-8b92-8cd8747a3ea4"); got["state"] != "RUNNING" || len(got["ips"].([]any)) != 2 {
		t.Errorf("after the delay %v", got)
	}
}

func TestSeedBalancingErrors(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tg := func(fields string) string {
		return `{"targetGroups": [{"id": "` + tgWeb + `", "name": "web", "region": "eu-west-3"` + fields + `}]`
	}
	lb := func(listener string) string {
		return tg("") + `, "loadBalancers": [{"region": "eu-west-3", "type": "lsw.m4.large", "listeners": [` + listener + `]}]}`
	}
	tests := map[string]string{
		"tg without name":          `{"targetGroups": [{"region": "eu-west-3"}]}`,
		"tg bad region":            `{"targetGroups": [{"name": "a", "region": "mars"}]}`,
		"tg bad protocol":          tg(`, "protocol": "UDP"`) + `}`,
		"tg bad port":              tg(`, "port": 70000`) + `}`,
		"tg TCP check with method": tg(`, "healthCheck": {"protocol": "TCP", "method": "GET", "uri": "/", "port": 1}`) + `}`,
		"tg HTTP check no method":  tg(`, "healthCheck": {"protocol": "HTTP", "uri": "/", "port": 1}`) + `}`,
		"tg unknown target":        tg(`, "targets": ["`+unknown+`"]`) + `}`,
		"tg duplicate id":          `{"targetGroups": [{"id": "a", "name": "a", "region": "eu-west-3"}, {"id": "a", "name": "b", "region": "eu-west-3"}]}`,
		"target in other region": tg(`, "targets": ["`+workerA+`"]`) + `, "instances": [{"id": "` + workerA +
			`", "region": "eu-central-1", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"}]}`,
		"asg unknown tg":          `{"autoScalingGroups": [{"region": "eu-west-3", "targetGroupIds": ["` + unknown + `"]}]}`,
		"asg tg in other region":  tg("") + `, "autoScalingGroups": [{"region": "eu-central-1", "targetGroupIds": ["` + tgWeb + `"]}]}`,
		"lb bad type":             `{"loadBalancers": [{"region": "eu-west-3", "type": "lsw.g6.xlarge"}]}`,
		"lb bad balance":          `{"loadBalancers": [{"region": "eu-west-3", "type": "lsw.m4.large", "configuration": {"balance": "random"}}]}`,
		"lb unknown field":        `{"loadBalancers": [{"region": "eu-west-3", "type": "lsw.m4.large", "colour": "red"}]}`,
		"listener unknown tg":     lb(`{"protocol": "HTTP", "port": 80, "targetGroupId": "` + unknown + `"}`),
		"listener bad protocol":   lb(`{"protocol": "UDP", "port": 80, "targetGroupId": "` + tgWeb + `"}`),
		"listener HTTPS no cert":  lb(`{"protocol": "HTTPS", "port": 443, "targetGroupId": "` + tgWeb + `"}`),
		"listener cert with HTTP": lb(`{"protocol": "HTTP", "port": 80, "targetGroupId": "` + tgWeb + `", "certificate": {"privateKey": "k", "certificate": "c"}}`),
		"listener port twice": lb(`{"protocol": "HTTP", "port": 80, "targetGroupId": "` + tgWeb + `"},` +
			`{"protocol": "TCP", "port": 80, "targetGroupId": "` + tgWeb + `"}`),
		"listener tg in other region": `{"targetGroups": [{"id": "` + tgWeb + `", "name": "web", "region": "eu-central-1"}],` +
			`"loadBalancers": [{"region": "eu-west-3", "type": "lsw.m4.large", "listeners": [{"protocol": "HTTP", "port": 80, "targetGroupId": "` + tgWeb + `"}]}]}`,
	}
	for name, doc := range tests {
		if err := e.srv.Seed(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: Seed accepted %s", name, doc)
		}
	}
	// The building blocks of the cases above are valid on their own.
	for _, doc := range []string{tg("") + "}", lb(`{"protocol": "HTTP", "port": 80, "targetGroupId": "` + tgWeb + `"}`)} {
		if err := e.srv.Seed(strings.NewReader(doc)); err != nil {
			t.Errorf("Seed refused %s: %v", doc, err)
		}
	}
}

func TestBalancingPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	first := newEnv(t, sandbox.Options{StatePath: path})
	tg := first.createTG("web", "eu-west-3")
	inst := first.launch(launchBody("web-1"))
	lb := first.launchLB(lbBody("edge"))
	wantStatus(t, first.do("POST", pc+"/targetGroups/"+tg+"/registerTargets", []string{inst}), http.StatusNoContent)

	// A second process half a second later: the target group is still locked,
	// the load balancer still CREATING; both continue from the file.
	second := newEnv(t, sandbox.Options{StatePath: path})
	second.clock.Advance(500 * time.Millisecond)
	wantStatus(t, second.do("POST", pc+"/targetGroups/"+tg+"/deregisterTargets", []string{inst}), http.StatusLocked)
	if got := second.get(pc + "/loadBalancers/" + lb)["state"]; got != "CREATING" {
		t.Errorf("second process: %v", got)
	}
	second.clock.Advance(1500 * time.Millisecond)
	if got := second.get(pc + "/loadBalancers/" + lb); got["state"] != "RUNNING" || got["startedAt"] != "2025-03-14T09:26:55+00:00" {
		t.Errorf("second process after the delay: %v %v", got["state"], got["startedAt"])
	}
	wantStatus(t, second.do("POST", pc+"/loadBalancers/"+lb+"/listeners", listenerBody("HTTPS", 443, tg)), http.StatusCreated)
	wantStatus(t, second.do("PUT", pc+"/loadBalancers/"+lb, map[string]any{"balance": "source"}), http.StatusOK)

	third := newEnv(t, sandbox.Options{StatePath: path})
	third.clock.Advance(3 * time.Second)
	listeners, _ := third.items(pc+"/loadBalancers/"+lb+"/listeners", "listeners")
	if len(listeners) != 1 {
		t.Fatalf("third process sees %d listeners", len(listeners))
	}
	if c := third.get(pc + "/loadBalancers/" + lb + "/listeners/" + listeners[0]["id"].(string))["sslCertificates"].([]any); len(c) != 1 {
		t.Errorf("certificate not persisted: %v", c)
	}
	if got := third.get(pc + "/loadBalancers/" + lb)["configuration"].(map[string]any)["balance"]; got != "source" {
		t.Errorf("configuration not persisted: %v", got)
	}
	if got := third.instance(inst)["targetGroups"].([]any); len(got) != 1 {
		t.Errorf("targets not persisted: %v", got)
	}
	wantStatus(t, third.do("POST", pc+"/targetGroups/"+tg+"/deregisterTargets", []string{inst}), http.StatusNoContent)
	b, _ := os.ReadFile(path)
	var doc struct {
		TargetGroups []struct {
			Targets     []string `json:"targets"`
			LockedUntil string   `json:"lockedUntil"`
		} `json:"targetGroups"`
		LoadBalancers []struct {
			Listeners []map[string]any `json:"listeners"`
		} `json:"loadBalancers"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.TargetGroups) != 1 || len(doc.TargetGroups[0].Targets) != 0 ||
		doc.TargetGroups[0].LockedUntil != "2025-03-14T09:26:57Z" || len(doc.LoadBalancers[0].Listeners) != 1 {
		t.Errorf("state file %s (%v)", b, err)
	}
}

func TestBalancingStatsAndFaults(t *testing.T) {
	e := newEnv(t, sandbox.Options{Delay: -1})
	tg := e.createTG("web", "eu-west-3")
	inst := e.launch(launchBody("a"))
	e.srv.SetFaults(sandbox.Faults{Rules: []sandbox.FaultRule{
		{Method: "POST", Path: "/publicCloud/v1/targetGroups/*/registerTargets", Status: http.StatusLocked, Times: 1},
		{Method: "GET", Path: "/publicCloud/v1/loadBalancers", Status: http.StatusServiceUnavailable, Times: 1},
	}})
	e.srv.ResetStats()
	r := e.do("POST", pc+"/targetGroups/"+tg+"/registerTargets", []string{inst})
	wantStatus(t, r, http.StatusLocked)
	if r.header.Get(sandbox.FaultHeader) == "" {
		t.Errorf("injected 423 without %s", sandbox.FaultHeader)
	}
	wantStatus(t, e.do("POST", pc+"/targetGroups/"+tg+"/registerTargets", []string{inst}), http.StatusNoContent)
	wantStatus(t, e.do("GET", pc+"/loadBalancers", nil), http.StatusServiceUnavailable)
	wantStatus(t, e.do("GET", pc+"/loadBalancers", nil), http.StatusOK)
	st := e.srv.Stats()
	if st.ByRoute["POST /publicCloud/v1/targetGroups/{targetGroupId}/registerTargets"] != 2 ||
		st.ByRoute["GET /publicCloud/v1/loadBalancers"] != 2 || st.Faults != 2 || st.ByStatus[423] != 1 {
		t.Errorf("stats %+v", st)
	}
}
