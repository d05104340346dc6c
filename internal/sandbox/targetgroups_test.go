package sandbox_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestTargetGroupCRUD(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	r := e.do("POST", pc+"/targetGroups", tgBody("web", "eu-west-3"))
	wantStatus(t, r, http.StatusCreated)
	tg := r.object(t)
	id := tg["id"].(string)
	hc := tg["healthCheck"].(map[string]any)
	if tg["name"] != "web" || tg["protocol"] != "HTTP" || tg["port"] != 80.0 || tg["region"] != "eu-west-3" ||
		hc["method"] != "GET" || hc["uri"] != "/healthz" || hc["host"] != nil {
		t.Errorf("created %v", tg)
	}
	tcp := map[string]any{"name": "db", "protocol": "TCP", "port": 5432, "region": "eu-west-3",
		"healthCheck": map[string]any{"protocol": "TCP", "uri": "/", "port": 5432, "host": "db.example"}}
	r = e.do("POST", pc+"/targetGroups", tcp)
	wantStatus(t, r, http.StatusCreated)
	if hc := r.object(t)["healthCheck"].(map[string]any); hc["method"] != nil || hc["host"] != "db.example" {
		t.Errorf("TCP health check %v: method must be null", hc)
	}
	bare := e.do("POST", pc+"/targetGroups", map[string]any{"name": "bare", "protocol": "HTTPS", "port": 443, "region": "us-east-1"})
	wantStatus(t, bare, http.StatusCreated)
	if v, ok := bare.object(t)["healthCheck"]; !ok || v != nil {
		t.Errorf("no health check: %v, want null", v)
	}

	if got := e.get(pc + "/targetGroups/" + id); got["name"] != "web" {
		t.Errorf("GET %v", got)
	}
	r = e.do("PUT", pc+"/targetGroups/"+id, map[string]any{"name": "web-2", "port": 8080,
		"healthCheck": map[string]any{"protocol": "HTTPS", "method": "HEAD", "uri": "/", "port": 8443, "host": "a.example"}})
	wantStatus(t, r, http.StatusOK)
	tg = r.object(t)
	hc = tg["healthCheck"].(map[string]any)
	if tg["name"] != "web-2" || tg["port"] != 8080.0 || tg["protocol"] != "HTTP" || hc["protocol"] != "HTTPS" || hc["host"] != "a.example" {
		t.Errorf("after PUT %v", tg)
	}
	// A partial PUT keeps what it does not name.
	wantStatus(t, e.do("PUT", pc+"/targetGroups/"+id, map[string]any{"port": 81}), http.StatusOK)
	if got := e.get(pc + "/targetGroups/" + id); got["name"] != "web-2" || got["healthCheck"] == nil || got["port"] != 81.0 {
		t.Errorf("after partial PUT %v", got)
	}

	r = e.do("DELETE", pc+"/targetGroups/"+id, nil)
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("DELETE answered %s", r.body)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", id}, {"PUT", id}, {"DELETE", id}, {"GET", id + "/targets"},
		{"POST", id + "/registerTargets"}, {"POST", id + "/deregisterTargets"},
	} {
		var body any
		switch c.method {
		case "PUT":
			body = map[string]any{"name": "x"}
		case "POST":
			body = []string{unknown}
		}
		wantStatus(t, e.do(c.method, pc+"/targetGroups/"+c.path, body), http.StatusNotFound)
	}
}

func TestTargetGroupValidation(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	with := func(kv ...any) map[string]any {
		b := tgBody("web", "eu-west-3")
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(b, kv[i].(string))
			} else {
				b[kv[i].(string)] = kv[i+1]
			}
		}
		return b
	}
	check := func(kv ...any) map[string]any {
		return with("healthCheck", func() map[string]any {
			hc := map[string]any{"protocol": "HTTP", "method": "GET", "uri": "/", "port": 80}
			for i := 0; i < len(kv); i += 2 {
				if kv[i+1] == nil {
					delete(hc, kv[i].(string))
				} else {
					hc[kv[i].(string)] = kv[i+1]
				}
			}
			return hc
		}())
	}
	tests := []struct {
		name      string
		body      any
		fields    []string
		violation string
	}{
		{"all required missing", map[string]any{}, []string{"name", "port", "protocol", "region"}, "is missing"},
		{"bad protocol", with("protocol", "UDP"), []string{"protocol"}, "/protocol"},
		{"bad region", with("region", "mars-1"), []string{"region"}, "/region"},
		{"port out of range", with("port", 70000), []string{"port"}, ""},
		{"port not an integer", with("port", "80"), []string{"port"}, "/port"},
		{"HTTP check without method", check("method", nil), []string{"healthCheck.method"}, ""},
		{"HTTPS check without method", check("protocol", "HTTPS", "method", nil), []string{"healthCheck.method"}, ""},
		{"TCP check with method", check("protocol", "TCP"), []string{"healthCheck.method"}, ""},
		{"bad method", check("method", "PUT"), []string{"healthCheck.method"}, "/method"},
		{"check without uri and port", check("uri", nil, "port", nil), []string{"healthCheck.port", "healthCheck.uri"}, "is missing"},
		{"check port out of range", check("port", 0), []string{"healthCheck.port"}, ""},
		{"check not an object", with("healthCheck", "GET /"), []string{"healthCheck"}, "/healthCheck"},
		{"check null", with("healthCheck", nil, "healthCheck", "null"), []string{"healthCheck"}, "/healthCheck"},
		{"malformed", `{"name": `, nil, "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			body := tt.body
			if m, ok := body.(map[string]any); ok && m["healthCheck"] == "null" {
				body = `{"name":"web","protocol":"HTTP","port":80,"region":"eu-west-3","healthCheck":null}`
			}
			var r result
			send := func() { r = e.do("POST", pc+"/targetGroups", body) }
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
	if _, meta := e.items(pc+"/targetGroups", "targetGroups"); meta.TotalCount != 0 {
		t.Errorf("a rejected create made a target group")
	}
	id := e.createTG("web", "eu-west-3")
	wantDetail(e, e.do("PUT", pc+"/targetGroups/"+id, map[string]any{"healthCheck": map[string]any{"protocol": "TCP", "method": "GET", "uri": "/", "port": 1}}), "healthCheck.method")
	wantDetail(e, e.do("PUT", pc+"/targetGroups/"+id, map[string]any{"name": ""}), "name")
	wantDetail(e, e.do("PUT", pc+"/targetGroups/"+id, map[string]any{"port": 0}), "port")
	if got := e.get(pc + "/targetGroups/" + id); got["port"] != 80.0 || got["name"] != "web" {
		t.Errorf("a rejected PUT changed %v", got)
	}
}

func TestTargetGroupListFiltersAndPaging(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var all []string
	for i := range 12 {
		region := "eu-west-3"
		if i%3 == 0 {
			region = "us-east-1"
		}
		body := tgBody(fmt.Sprintf("tg-%02d", i), region)
		if i%4 == 0 {
			body["protocol"], body["port"] = "TCP", 5432
			delete(body, "healthCheck")
		}
		r := e.do("POST", pc+"/targetGroups", body)
		wantStatus(t, r, http.StatusCreated)
		all = append(all, r.object(t)["id"].(string))
	}
	tests := []struct {
		query string
		want  []string
		meta  listMeta
	}{
		{"", all[:10], listMeta{12, 0, 10}},
		{"?offset=10", all[10:], listMeta{12, 10, 10}},
		{"?limit=5&offset=5", all[5:10], listMeta{12, 5, 5}},
		{"?name=tg-07", all[7:8], listMeta{1, 0, 10}},
		{"?id=" + all[3], all[3:4], listMeta{1, 0, 10}},
		{"?region=us-east-1", []string{all[0], all[3], all[6], all[9]}, listMeta{4, 0, 10}},
		{"?protocol=TCP", []string{all[0], all[4], all[8]}, listMeta{3, 0, 10}},
		{"?port=5432&region=us-east-1", []string{all[0]}, listMeta{1, 0, 10}},
		{"?name=nobody", nil, listMeta{0, 0, 10}},
	}
	for _, tt := range tests {
		got, meta := e.items(pc+"/targetGroups"+tt.query, "targetGroups")
		if !slices.Equal(ids(got), tt.want) || meta != tt.meta {
			t.Errorf("%q: %v %+v, want %v %+v", tt.query, ids(got), meta, tt.want, tt.meta)
		}
	}
}

func TestTargets(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tg := e.createTG("web", "eu-west-3")
	a, b := e.launchRunning("a"), e.launchRunning("b")
	far := launchBody("far")
	far["region"] = "eu-central-1"
	farID := e.launch(far)
	path := pc + "/targetGroups/" + tg

	r := e.do("POST", path+"/registerTargets", []string{a, b, a})
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("204 with a body %s", r.body)
	}
	targets, meta := e.items(path+"/targets", "targets")
	if !slices.Equal(ids(targets), []string{a, b}) || meta != (listMeta{2, 0, 10}) {
		t.Fatalf("targets %v %+v", ids(targets), meta)
	}
	first := targets[0]
	if first["reference"] != "a" || first["state"] != "RUNNING" || first["image"].(map[string]any)["id"] != "UBUNTU_24_04_64BIT" ||
		len(first["ips"].([]any)) != 2 || first["healthCheck"].(map[string]any)["state"] != "HEALTHY" {
		t.Errorf("target %v", first)
	}
	// Reverse index: the instance lists its target groups.
	in := e.instance(a)
	if tgs := in["targetGroups"].([]any); len(tgs) != 1 || tgs[0].(map[string]any)["id"] != tg ||
		tgs[0].(map[string]any)["healthCheck"].(map[string]any)["uri"] != "/healthz" {
		t.Errorf("instance targetGroups %v", in["targetGroups"])
	}

	// 423 for Delay/2 after every change.
	r = e.do("POST", path+"/deregisterTargets", []string{b})
	wantStatus(t, r, http.StatusLocked)
	if m := r.object(t); m["errorCode"] != "423" || m["errorMessage"] != "Resource is locked by other process" || len(m) != 2 {
		t.Errorf("423 body %s", r.body)
	}
	e.clock.Advance(time.Second - time.Nanosecond)
	wantStatus(t, e.do("POST", path+"/registerTargets", []string{b}), http.StatusLocked)
	e.clock.Advance(time.Nanosecond)
	wantStatus(t, e.do("POST", path+"/deregisterTargets", []string{b}), http.StatusNoContent)
	if targets, _ := e.items(path+"/targets", "targets"); !slices.Equal(ids(targets), []string{a}) {
		t.Errorf("after deregister: %v", ids(targets))
	}
	if got := e.instance(b)["targetGroups"].([]any); len(got) != 0 {
		t.Errorf("deregistered instance still lists %v", got)
	}
	e.clock.Advance(time.Second)

	tests := []struct {
		name      string
		action    string
		body      any
		field     string
		violation string
	}{
		{"unknown instance", "registerTargets", []string{a, unknown}, "ids[1]", ""},
		{"instance in another region", "registerTargets", []string{farID}, "ids[0]", ""},
		{"not registered", "deregisterTargets", []string{b}, "ids[0]", ""},
		{"empty list", "registerTargets", []string{}, "ids", ""},
		{"not an array", "registerTargets", map[string]any{"ids": []string{a}}, "", "request body"},
		{"not ids", "registerTargets", []any{42}, "ids[0]", "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("POST", path+"/"+tt.action, tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantStatus(t, r, http.StatusBadRequest)
			if d := errorDetails(t, r); tt.field != "" && d[tt.field] == nil {
				t.Errorf("errorDetails %v lacks %q", d, tt.field)
			}
		})
	}
	e.t = t
	// Failed calls neither change the targets nor lock the group.
	wantStatus(t, e.do("POST", path+"/registerTargets", []string{b}), http.StatusNoContent)
}

func TestTargetHealthAndLifecycle(t *testing.T) {
	e := newEnv(t, sandbox.Options{Delay: -1}) // no 423 window; transitions end on the next request
	tg := e.createTG("web", "eu-west-3")
	a, b := e.launch(launchBody("a")), e.launch(launchBody("b"))
	path := pc + "/targetGroups/" + tg
	wantStatus(t, e.do("POST", path+"/registerTargets", []string{a, b}), http.StatusNoContent)

	// Health follows the instance.
	wantStatus(t, e.do("POST", pc+"/instances/"+b+"/stop", nil), http.StatusAccepted)
	targets, _ := e.items(path+"/targets", "targets")
	if h := targets[1]["healthCheck"].(map[string]any); h["state"] != "UNHEALTHY" || targets[1]["state"] != "STOPPED" {
		t.Errorf("stopped target %v", targets[1])
	}
	// A DESTROYED instance leaves the group (DESTROYING is still a target).
	e2 := newEnv(t, sandbox.Options{})
	tg2 := e2.createTG("web", "eu-west-3")
	c := e2.launchRunning("c")
	wantStatus(t, e2.do("POST", pc+"/targetGroups/"+tg2+"/registerTargets", []string{c}), http.StatusNoContent)
	wantStatus(t, e2.do("DELETE", pc+"/instances/"+c, nil), http.StatusOK)
	if targets, _ := e2.items(pc+"/targetGroups/"+tg2+"/targets", "targets"); len(targets) != 1 {
		t.Errorf("a DESTROYING instance left the group early")
	}
	e2.clock.Advance(2 * time.Second)
	if targets, _ := e2.items(pc+"/targetGroups/"+tg2+"/targets", "targets"); len(targets) != 0 {
		t.Errorf("after its instance was destroyed the target is still there: %v", ids(targets))
	}
	if got := e2.instance(c)["targetGroups"].([]any); len(got) != 0 {
		t.Errorf("destroyed instance lists %v", got)
	}

	// Without a health check, a target's health is null.
	bare := e.do("POST", pc+"/targetGroups", map[string]any{"name": "bare", "protocol": "TCP", "port": 22, "region": "eu-west-3"})
	bareID := bare.object(t)["id"].(string)
	wantStatus(t, e.do("POST", pc+"/targetGroups/"+bareID+"/registerTargets", []string{b}), http.StatusNoContent)
	if targets, _ := e.items(pc+"/targetGroups/"+bareID+"/targets", "targets"); targets[0]["healthCheck"] != nil {
		t.Errorf("health without a check: %v", targets[0]["healthCheck"])
	}
	if got := e.instance(b)["targetGroups"].([]any); len(got) != 2 {
		t.Errorf("instance in two groups lists %d", len(got))
	}
	// Deleting a group with targets is allowed and clears the reverse index.
	wantStatus(t, e.do("DELETE", pc+"/targetGroups/"+bareID, nil), http.StatusNoContent)
	if got := e.instance(b)["targetGroups"].([]any); len(got) != 1 {
		t.Errorf("after deleting a group the instance lists %d", len(got))
	}
}

func TestTargetsPagingAndNoLockWithoutDelay(t *testing.T) {
	e := newEnv(t, sandbox.Options{Delay: -1, PageSize: 3})
	tg := e.createTG("web", "eu-west-3")
	var all []string
	for i := range 5 {
		all = append(all, e.launch(launchBody(fmt.Sprint("i", i))))
	}
	for _, id := range all { // no 423 window when transitions are immediate
		wantStatus(t, e.do("POST", pc+"/targetGroups/"+tg+"/registerTargets", []string{id}), http.StatusNoContent)
	}
	for _, tt := range []struct {
		query string
		want  []string
		meta  listMeta
	}{
		{"", all[:3], listMeta{5, 0, 3}},
		{"?offset=3", all[3:], listMeta{5, 3, 3}},
		{"?limit=2&offset=1", all[1:3], listMeta{5, 1, 2}},
	} {
		got, meta := e.items(pc+"/targetGroups/"+tg+"/targets"+tt.query, "targets")
		if !slices.Equal(ids(got), tt.want) || meta != tt.meta {
			t.Errorf("%q: %v %+v", tt.query, ids(got), meta)
		}
	}
}
