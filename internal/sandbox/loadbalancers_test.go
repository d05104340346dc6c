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

func TestLoadBalancerLifecycle(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	r := e.do("POST", pc+"/loadBalancers", lbBody("edge"))
	wantStatus(t, r, http.StatusCreated)
	lb := r.object(t)
	id := lb["id"].(string)
	cfg := lb["configuration"].(map[string]any)
	switch {
	case lb["state"] != "CREATING" || lb["startedAt"] != nil || len(lb["ips"].([]any)) != 0:
		t.Errorf("new load balancer %v", lb)
	case lb["contract"].(map[string]any)["state"] != "PENDING" || lb["reference"] != "edge" || lb["privateNetwork"] != nil:
		t.Errorf("new load balancer %v", lb)
	case cfg["stickySession"] != nil || cfg["balance"] != "roundrobin" || cfg["xForwardedFor"] != false || cfg["idleTimeOut"] != 60.0:
		t.Errorf("new configuration %v, want the documented defaults", cfg)
	}
	path := pc + "/loadBalancers/" + id
	e.clock.Advance(2*time.Second - time.Nanosecond)
	if got := e.get(path)["state"]; got != "CREATING" {
		t.Fatalf("before the delay: %v", got)
	}
	e.clock.Advance(time.Nanosecond)
	lb = e.get(path)
	if lb["state"] != "RUNNING" || lb["startedAt"] != "2025-03-14T09:26:55+00:00" || lb["contract"].(map[string]any)["state"] != "ACTIVE" {
		t.Errorf("after the delay %v", lb)
	}
	ips := lb["ips"].([]any)
	if len(ips) != 2 || ips[0].(map[string]any)["ddos"] == nil || !strings.HasPrefix(ips[0].(map[string]any)["ip"].(string), "203.0.113.") {
		t.Errorf("ips %v", ips)
	}
	// Instances and load balancers share the address pools.
	inst := e.launchRunning("web")
	if got := e.instance(inst)["ips"].([]any)[0].(map[string]any)["ip"]; got == ips[0].(map[string]any)["ip"] {
		t.Errorf("instance got the load balancer's address %v", got)
	}

	// List items are thinner: contract type/term/billingFrequency, IPs without ddos.
	items, meta := e.items(pc+"/loadBalancers", "loadBalancers")
	if len(items) != 1 || meta != (listMeta{1, 0, 10}) {
		t.Fatalf("list %v %+v", items, meta)
	}
	if got := keys(items[0]["contract"].(map[string]any)); !slices.Equal(got, []string{"billingFrequency", "term", "type"}) {
		t.Errorf("list item contract %v", got)
	}
	if _, ok := items[0]["ips"].([]any)[0].(map[string]any)["ddos"]; ok {
		t.Errorf("list item ip has ddos")
	}

	// Power actions, as for instances.
	act := func(action string, status int) {
		t.Helper()
		r := e.do("POST", path+"/"+action, nil)
		wantStatus(t, r, status)
		if status == http.StatusBadRequest && errorDetails(t, r)["loadBalancerId"] == nil {
			t.Errorf("%s: %s", action, r.body)
		}
	}
	act("start", http.StatusBadRequest)
	act("stop", http.StatusAccepted)
	if got := e.get(path)["state"]; got != "STOPPING" {
		t.Errorf("after stop: %v", got)
	}
	e.clock.Advance(2 * time.Second)
	act("reboot", http.StatusBadRequest)
	act("start", http.StatusAccepted)
	e.clock.Advance(2 * time.Second)
	act("reboot", http.StatusAccepted)
	if got := e.get(path)["state"]; got != "STARTING" {
		t.Errorf("after reboot: %v", got)
	}
	e.clock.Advance(2 * time.Second)
	if got := e.get(path)["state"]; got != "RUNNING" {
		t.Errorf("after reboot and delay: %v", got)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", ""}, {"PUT", ""}, {"DELETE", ""}, {"POST", "/start"}, {"POST", "/stop"}, {"POST", "/reboot"},
		{"GET", "/listeners"}, {"GET", "/listeners/" + unknown}, {"DELETE", "/listeners/" + unknown},
	} {
		var body any
		switch c.method {
		case "PUT":
			body = map[string]any{"reference": "x"}
		case "DELETE":
			body = map[string]any{"reasonCode": "CANCEL_OTHER", "reason": "x"}
		}
		wantStatus(t, e.do(c.method, pc+"/loadBalancers/"+unknown+c.path, body), http.StatusNotFound)
	}
}

func TestLoadBalancerLaunchValidation(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	with := func(kv ...any) map[string]any {
		b := lbBody("x")
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(b, kv[i].(string))
			} else {
				b[kv[i].(string)] = kv[i+1]
			}
		}
		return b
	}
	tests := []struct {
		name      string
		body      any
		fields    []string
		violation string
	}{
		{"all required missing", map[string]any{}, []string{"contractType", "region", "type"}, "is missing"},
		{"bad region", with("region", "mars-1"), []string{"region"}, "/region"},
		{"unknown type", with("type", "lsw.x9.huge"), []string{"type"}, "/type"},
		{"type not in the catalog", with("type", "lsw.g6.xlarge"), []string{"type"}, ""},
		{"type not offered in region", with("region", "ap-northeast-1"), []string{"type"}, ""},
		{"monthly without term", with("contractType", "MONTHLY"), []string{"contractTerm"}, ""},
		{"hourly with term", with("contractTerm", 12), []string{"contractTerm"}, ""},
		{"bad billing frequency", with("contractType", "MONTHLY", "contractTerm", 1, "billingFrequency", 2), []string{"billingFrequency"}, "/billingFrequency"},
		{"bad contract type", with("contractType", "WEEKLY"), []string{"contractType"}, "/contractType"},
		{"not an object", `[]`, nil, "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("POST", pc+"/loadBalancers", tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantStatus(t, r, http.StatusBadRequest)
			got := keys(errorDetails(t, r))
			want := slices.Sorted(slices.Values(tt.fields))
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("errorDetails keys %v, want %v; body %s", got, want, r.body)
			}
		})
	}
	e.t = t
	body := lbBody("m")
	body["contractType"], body["contractTerm"], body["billingFrequency"] = "MONTHLY", 12, 3
	r := e.do("POST", pc+"/loadBalancers", body)
	wantStatus(t, r, http.StatusCreated)
	if c := r.object(t)["contract"].(map[string]any); c["term"] != 12.0 || c["billingFrequency"] != 3.0 || len(c["id"].(string)) != 14 {
		t.Errorf("monthly contract %v", c)
	}
	if _, meta := e.items(pc+"/loadBalancers", "loadBalancers"); meta.TotalCount != 1 {
		t.Errorf("rejected launches created load balancers: %d", meta.TotalCount)
	}
}

func TestLoadBalancerUpdate(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	creating := e.launchLB(lbBody("new"))
	wantDetail(e, e.do("PUT", pc+"/loadBalancers/"+creating, map[string]any{"reference": "x"}), "loadBalancerId")
	id := e.launchLBRunning("edge")
	path := pc + "/loadBalancers/" + id
	r := e.do("PUT", path, map[string]any{"reference": "edge-2", "type": "lsw.m5.xlarge", "balance": "leastconn",
		"xForwardedFor": true, "idleTimeOut": 120, "stickySession": map[string]any{"enabled": true, "maxLifeTime": 300}})
	wantStatus(t, r, http.StatusOK)
	lb := r.object(t)
	cfg := lb["configuration"].(map[string]any)
	sticky, _ := cfg["stickySession"].(map[string]any)
	if lb["reference"] != "edge-2" || lb["type"] != "lsw.m5.xlarge" || lb["resources"].(map[string]any)["cpu"].(map[string]any)["value"] != 4.0 ||
		cfg["balance"] != "leastconn" || cfg["xForwardedFor"] != true || cfg["idleTimeOut"] != 120.0 ||
		sticky["enabled"] != true || sticky["maxLifeTime"] != 300.0 {
		t.Errorf("after PUT %v", lb)
	}
	// Partial: only what is named changes; stickySession null removes it.
	r = e.do("PUT", path, `{"stickySession": null, "contractType": "MONTHLY"}`)
	wantStatus(t, r, http.StatusOK)
	lb = e.get(path)
	cfg = lb["configuration"].(map[string]any)
	c := lb["contract"].(map[string]any)
	if cfg["stickySession"] != nil || cfg["balance"] != "leastconn" || lb["reference"] != "edge-2" ||
		c["type"] != "MONTHLY" || c["term"] != 1.0 || len(c["id"].(string)) != 14 {
		t.Errorf("after partial PUT %v", lb)
	}
	tests := []struct {
		name      string
		body      any
		field     string
		violation string
	}{
		{"monthly to hourly", map[string]any{"contractType": "HOURLY"}, "contractType", ""},
		{"bad balance", map[string]any{"balance": "random"}, "balance", "/balance"},
		{"type not in region", map[string]any{"type": "lsw.g6.xlarge"}, "type", ""},
		{"idle timeout not positive", map[string]any{"idleTimeOut": 0}, "idleTimeOut", ""},
		{"sticky without maxLifeTime", map[string]any{"stickySession": map[string]any{"enabled": true}}, "stickySession.maxLifeTime", "is missing"},
		{"xForwardedFor not a bool", map[string]any{"xForwardedFor": "yes"}, "xForwardedFor", "/xForwardedFor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("PUT", path, tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantDetail(e, r, tt.field)
		})
	}
	e.t = t
	if got := e.get(path)["configuration"].(map[string]any)["idleTimeOut"]; got != 120.0 {
		t.Errorf("a rejected PUT changed idleTimeOut to %v", got)
	}
}

func TestLoadBalancerTerminate(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tg := e.createTG("web", "eu-west-3")
	id := e.launchLBRunning("edge")
	path := pc + "/loadBalancers/" + id
	wantStatus(t, e.do("POST", path+"/listeners", listenerBody("HTTP", 80, tg)), http.StatusCreated)

	// reasonCode is required for every load balancer, HOURLY included.
	var r result
	e.expectViolation("request body", func() { r = e.do("DELETE", path, nil) })
	wantDetail(e, r, "reasonCode")
	e.expectViolation("reasonCode", func() { r = e.do("DELETE", path, map[string]any{"reason": "moving"}) })
	wantDetail(e, r, "reasonCode")
	wantDetail(e, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_OTHER"}), "reason")
	wantDetail(e, e.do("DELETE", path, map[string]any{"reasonCode": "BORED"}), "reasonCode")

	r = e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_TRIAL_PERIOD"})
	wantStatus(t, r, http.StatusAccepted)
	if len(r.body) != 0 {
		t.Errorf("202 with a body %s", r.body)
	}
	if got := e.get(path)["state"]; got != "DESTROYING" {
		t.Errorf("state %v, want DESTROYING", got)
	}
	if items, _ := e.items(path+"/listeners", "listeners"); len(items) != 0 {
		t.Errorf("listeners of a DESTROYING load balancer: %v", items)
	}
	// The target group is free again.
	wantDetail(e, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_TRIAL_PERIOD"}), "loadBalancerId")
	e.clock.Advance(2 * time.Second)
	lb := e.get(path)
	if lb["state"] != "DESTROYED" || len(lb["ips"].([]any)) != 0 || lb["contract"].(map[string]any)["state"] != "INACTIVE" {
		t.Errorf("destroyed %v", lb)
	}
	e.clock.Advance(20 * time.Second)
	wantStatus(t, e.do("GET", path, nil), http.StatusNotFound)
	wantStatus(t, e.do("DELETE", pc+"/targetGroups/"+tg, nil), http.StatusNoContent)

	// MONTHLY: scheduled until the end of the term, listeners kept until then.
	tg = e.createTG("web", "eu-west-3")
	body := lbBody("m")
	body["contractType"], body["contractTerm"] = "MONTHLY", 1
	id = e.launchLB(body)
	path = pc + "/loadBalancers/" + id
	wantDetail(e, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}), "loadBalancerId") // CREATING
	e.clock.Advance(2 * time.Second)
	wantStatus(t, e.do("POST", path+"/listeners", listenerBody("TCP", 22, tg)), http.StatusCreated)
	wantStatus(t, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}), http.StatusAccepted)
	lb = e.get(path)
	c := lb["contract"].(map[string]any)
	// Launched at t0+24s; the first one-month term ends a month later.
	if lb["state"] != "RUNNING" || c["state"] != "DELETE_SCHEDULED" || c["endsAt"] != "2025-04-14T09:27:17+00:00" {
		t.Errorf("scheduled %v %v", lb["state"], c)
	}
	if items, _ := e.items(pc+"/loadBalancers?contractState=DELETE_SCHEDULED", "loadBalancers"); len(items) != 1 {
		t.Errorf("contractState filter: %d", len(items))
	}
	e.expectViolation("no such path", func() { r = e.do("POST", path+"/cancelTermination", nil) })
	wantStatus(t, r, http.StatusNotFound) // there is no cancelTermination for load balancers
	end := time.Date(2025, 4, 14, 9, 27, 17, 0, time.UTC)
	e.clock.Advance(end.Sub(e.clock.Now()))
	if got := e.get(path)["state"]; got != "DESTROYING" {
		t.Errorf("at the end of the term: %v", got)
	}
	if items, _ := e.items(path+"/listeners", "listeners"); len(items) != 0 {
		t.Errorf("listeners survive the end of the contract: %v", items)
	}
}

func TestLoadBalancerListFilters(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var all []string
	for i := range 12 {
		body := lbBody(fmt.Sprintf("lb-%02d", i))
		if i%4 == 0 {
			body["region"], body["type"] = "eu-central-1", "lsw.c5.large"
		}
		all = append(all, e.launchLB(body))
	}
	e.clock.Advance(2 * time.Second)
	wantStatus(t, e.do("POST", pc+"/loadBalancers/"+all[1]+"/stop", nil), http.StatusAccepted)
	ip := e.get(pc + "/loadBalancers/" + all[2])["ips"].([]any)[0].(map[string]any)["ip"].(string)
	tests := []struct {
		query string
		want  []string
		meta  listMeta
	}{
		{"", all[:10], listMeta{12, 0, 10}},
		{"?offset=10", all[10:], listMeta{12, 10, 10}},
		{"?limit=4&offset=8", all[8:12], listMeta{12, 8, 4}},
		{"?reference=lb-05", all[5:6], listMeta{1, 0, 10}},
		{"?id=" + all[7], all[7:8], listMeta{1, 0, 10}},
		{"?region=eu-central-1", []string{all[0], all[4], all[8]}, listMeta{3, 0, 10}},
		{"?type=lsw.c5.large&region=eu-central-1", []string{all[0], all[4], all[8]}, listMeta{3, 0, 10}},
		{"?state=STOPPING", all[1:2], listMeta{1, 0, 10}},
		{"?contractType=MONTHLY", nil, listMeta{0, 0, 10}},
		{"?contractState=ACTIVE&limit=1", all[:1], listMeta{12, 0, 1}},
		{"?ip=" + ip, all[2:3], listMeta{1, 0, 10}},
	}
	for _, tt := range tests {
		got, meta := e.items(pc+"/loadBalancers"+tt.query, "loadBalancers")
		if !slices.Equal(ids(got), tt.want) || meta != tt.meta {
			t.Errorf("%q: %v %+v, want %v %+v", tt.query, ids(got), meta, tt.want, tt.meta)
		}
	}
}
