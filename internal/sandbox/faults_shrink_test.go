package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// shrinkSeed is a state document: instances stray-a (the oldest, a target of
// group web), gone (DESTROYED) and web-00..web-11; load balancers stray-lb
// and lb-00..lb-10, lb-00 with a listener on group stray-used; target groups
// stray-used, web, stray-free and tg-00..tg-09.
func shrinkSeed(t *testing.T) string {
	t.Helper()
	const region, tgUsed, tgWeb = "eu-west-3", "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20", "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d21"
	const strayID = "11111111-1111-4111-8111-111111111111"
	inst := func(ref string) map[string]any {
		return map[string]any{"reference": ref, "region": region, "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT"}
	}
	stray := inst("stray-a")
	stray["id"] = strayID
	gone := inst("gone")
	gone["state"] = "DESTROYED"
	instances := []map[string]any{stray, gone}
	for i := range 12 {
		instances = append(instances, inst(fmt.Sprintf("web-%02d", i)))
	}
	lb := func(ref string) map[string]any {
		return map[string]any{"reference": ref, "region": region, "type": "lsw.m4.large"}
	}
	lbs := []map[string]any{lb("stray-lb")}
	for i := range 11 {
		lbs = append(lbs, lb(fmt.Sprintf("lb-%02d", i)))
	}
	lbs[1]["listeners"] = []map[string]any{{"protocol": "HTTP", "port": 80, "targetGroupId": tgUsed}}
	tgs := []map[string]any{{"id": tgUsed, "name": "stray-used", "region": region},
		{"id": tgWeb, "name": "web", "region": region, "targets": []string{strayID}},
		{"name": "stray-free", "region": region}}
	for i := range 10 {
		tgs = append(tgs, map[string]any{"name": fmt.Sprintf("tg-%02d", i), "region": region})
	}
	b, err := json.Marshal(map[string]any{"version": 1, "instances": instances, "loadBalancers": lbs, "targetGroups": tgs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// shrinkEnv is a sandbox seeded with shrinkSeed and the given rules.
func shrinkEnv(t *testing.T, spec string) *env {
	t.Helper()
	e := newEnv(t, sandbox.Options{}) // the fake clock stands still: gone stays DESTROYED and listed
	if err := e.srv.Seed(strings.NewReader(shrinkSeed(t))); err != nil {
		t.Fatal(err)
	}
	rules, err := sandbox.ParseFaultRules(spec)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetFaults(sandbox.Faults{Rules: rules})
	return e
}

// names lists a collection's page as "totalCount: name name ...", by
// reference (target groups: name).
func (e *env) names(path string) string {
	e.t.Helper()
	r := e.do("GET", path, nil)
	wantStatus(e.t, r, http.StatusOK)
	var page map[string]json.RawMessage
	r.decode(e.t, &page)
	var meta struct {
		TotalCount int `json:"totalCount"`
	}
	_ = json.Unmarshal(page["_metadata"], &meta)
	var items []struct {
		Reference, Name string
	}
	for k, v := range page {
		if k != "_metadata" {
			_ = json.Unmarshal(v, &items)
		}
	}
	out := []string{}
	for _, it := range items {
		out = append(out, it.Reference+it.Name)
	}
	return fmt.Sprintf("%d: %s", meta.TotalCount, strings.Join(out, " "))
}

// TestShrinkInstances: after a first page, the oldest DESTROYED instance
// ages out at once, so the later pages of the same read see every item
// after it one place nearer the front.
func TestShrinkInstances(t *testing.T) {
	e := shrinkEnv(t, "GET /publicCloud/v1/instances shrink x1")
	steps := []struct{ path, want string }{
		// A later page is not a first page: nothing goes.
		{instancesPath + "?offset=10", "14: web-08 web-09 web-10 web-11"},
		// A first page is answered whole, then gone goes.
		{instancesPath, "14: stray-a gone web-00 web-01 web-02 web-03 web-04 web-05 web-06 web-07"},
		{instancesPath + "?offset=10", "13: web-09 web-10 web-11"},
		// x1: spent.
		{instancesPath, "13: stray-a web-00 web-01 web-02 web-03 web-04 web-05 web-06 web-07 web-08"},
		{instancesPath + "?offset=10", "13: web-09 web-10 web-11"},
	}
	for i, s := range steps {
		if got := e.names(s.path); got != s.want {
			t.Errorf("step %d: GET %s = %q\nwant %q", i+1, s.path, got, s.want)
		}
	}
	if st := e.srv.Stats(); st.Faults != 1 {
		t.Errorf("%d faults counted, want 1", st.Faults)
	}
}

// TestShrinkByReference: shrink=GLOB also removes a matching running object,
// as if deleted out of band: it leaves its target groups and GET by id is a
// 404. Only first pages of several pages shrink, and never a managed object.
func TestShrinkByReference(t *testing.T) {
	e := shrinkEnv(t, "GET /publicCloud/v1/instances shrink=stray-*")
	// One page only (a filter, or a limit that takes all): nothing goes.
	for _, q := range []string{"?reference=stray-a", "?limit=50"} {
		if got := e.names(instancesPath + q); !strings.Contains(got, "stray-a") {
			t.Errorf("GET %s = %q", q, got)
		}
	}
	id := e.list("?reference=stray-a").Instances[0].ID
	e.names(instancesPath) // gone (DESTROYED, the older) goes first
	e.names(instancesPath) // then stray-a
	want := "12: web-00 web-01 web-02 web-03 web-04 web-05 web-06 web-07 web-08 web-09"
	for range 3 { // nothing left that may go: the web-* instances stay
		if got := e.names(instancesPath); got != want {
			t.Errorf("GET %s = %q\nwant %q", instancesPath, got, want)
		}
	}
	wantStatus(t, e.do("GET", instancesPath+"/"+id, nil), http.StatusNotFound)
	if got := e.names("/publicCloud/v1/targetGroups/0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d21/targets"); got != "0: " {
		t.Errorf("targets of web after stray-a went: %q", got)
	}
	if st := e.srv.Stats(); st.Faults != 2 {
		t.Errorf("%d faults counted, want 2", st.Faults)
	}
}

func TestShrinkLoadBalancersAndTargetGroups(t *testing.T) {
	e := shrinkEnv(t, "GET /publicCloud/v1/loadBalancers shrink=stray-*; GET /publicCloud/v1/targetGroups shrink=stray-*")
	const lbs, tgs = "/publicCloud/v1/loadBalancers", "/publicCloud/v1/targetGroups"
	e.names(lbs)
	if got, want := e.names(lbs), "11: lb-00 lb-01 lb-02 lb-03 lb-04 lb-05 lb-06 lb-07 lb-08 lb-09"; got != want {
		t.Errorf("load balancers %q\nwant %q", got, want)
	}
	e.names(tgs)
	// stray-used is older but a listener uses it: stray-free goes instead.
	for range 2 {
		if got, want := e.names(tgs), "12: stray-used web tg-00 tg-01 tg-02 tg-03 tg-04 tg-05 tg-06 tg-07"; got != want {
			t.Errorf("target groups %q\nwant %q", got, want)
		}
	}
}

// TestShrinkSkipsAnsweredFaults: a first page failed by another rule was
// never served, so nothing shrinks after it; the shrink rule is not spent.
func TestShrinkSkipsAnsweredFaults(t *testing.T) {
	e := shrinkEnv(t, "GET /publicCloud/v1/instances 503 x1; GET /publicCloud/v1/instances shrink x1")
	wantStatus(t, e.do("GET", instancesPath, nil), http.StatusServiceUnavailable)
	if got := e.names(instancesPath); !strings.HasPrefix(got, "14: ") {
		t.Errorf("first page after the 503: %q", got)
	}
	if got := e.names(instancesPath); !strings.HasPrefix(got, "13: ") || strings.Contains(got, "gone") {
		t.Errorf("the next read: %q", got)
	}
}

func TestShrinkRulesRoundTrip(t *testing.T) {
	rules := []sandbox.FaultRule{{Method: "GET", Path: instancesPath, Shrink: true, Times: 2},
		{Path: "/publicCloud/v1/*", Shrink: true, ShrinkMatch: "stray-*"}}
	var spec []string
	for _, r := range rules {
		spec = append(spec, r.String())
	}
	if got := strings.Join(spec, "; "); got != "GET /publicCloud/v1/instances shrink x2; /publicCloud/v1/* shrink=stray-*" {
		t.Errorf("String: %q", got)
	}
	b, err := json.Marshal(sandbox.Faults{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	var back sandbox.Faults
	if err := json.Unmarshal(b, &back); err != nil || !slices.EqualFunc(back.Rules, rules, func(a, b sandbox.FaultRule) bool { return a == b }) {
		t.Errorf("JSON round trip %s: %+v, %v", b, back.Rules, err)
	}
	for _, bad := range []sandbox.FaultRule{{Path: "/x", ShrinkMatch: "a*"}, {Path: "/x", Shrink: true, Status: 503}} {
		if err := (sandbox.Faults{Rules: []sandbox.FaultRule{bad}}).Validate(); err == nil {
			t.Errorf("Validate accepted %+v", bad)
		}
	}
}
