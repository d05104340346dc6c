package sandbox_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

type instancePage struct {
	Instances []struct {
		ID        string  `json:"id"`
		Reference *string `json:"reference"`
		State     string  `json:"state"`
		IPs       []struct {
			IP string `json:"ip"`
		} `json:"ips"`
	} `json:"instances"`
	Meta listMeta `json:"_metadata"`
}

func (e *env) list(query string) instancePage {
	e.t.Helper()
	r := e.do("GET", "/publicCloud/v1/instances"+query, nil)
	wantStatus(e.t, r, http.StatusOK)
	var p instancePage
	r.decode(e.t, &p)
	return p
}

func (p instancePage) refs() []string {
	var out []string
	for _, in := range p.Instances {
		out = append(out, *in.Reference)
	}
	return out
}

func TestListPaging(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var want []string
	for i := range 12 {
		ref := fmt.Sprintf("web-%02d", i)
		e.launch(launchBody(ref))
		want = append(want, ref)
	}
	tests := []struct {
		query string
		refs  []string
		meta  listMeta
	}{
		{"", want[:10], listMeta{12, 0, 10}},
		{"?offset=10", want[10:], listMeta{12, 10, 10}},
		{"?limit=5&offset=5", want[5:10], listMeta{12, 5, 5}},
		{"?limit=0", want[:10], listMeta{12, 0, 10}},
		{"?limit=500", want, listMeta{12, 0, sandbox.MaxPageSize}},
		{"?offset=40", nil, listMeta{12, 40, 10}},
		{"?limit=3&reference=web-07", want[7:8], listMeta{1, 0, 3}},
	}
	for _, tt := range tests {
		p := e.list(tt.query)
		if !slices.Equal(p.refs(), tt.refs) || p.Meta != tt.meta {
			t.Errorf("%q: refs %v meta %+v, want %v %+v", tt.query, p.refs(), p.Meta, tt.refs, tt.meta)
		}
	}

	small := newEnv(t, sandbox.Options{PageSize: 3})
	for i := range 4 {
		small.launch(launchBody(fmt.Sprint(i)))
	}
	if p := small.list(""); len(p.Instances) != 3 || p.Meta != (listMeta{4, 0, 3}) {
		t.Errorf("PageSize 3: %d items %+v", len(p.Instances), p.Meta)
	}

	var r result
	e.expectViolation(`parameter "limit"`, func() { r = e.do("GET", "/publicCloud/v1/instances?limit=many", nil) })
	wantStatus(t, r, http.StatusBadRequest)
	if d := errorDetails(t, r); d["limit"] == nil {
		t.Errorf("errorDetails %v lacks limit", d)
	}
}

func TestListFilters(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	a := e.launchRunning("a") // eu-west-3 m5a.large ubuntu hourly, RUNNING
	c := e.launchRunning("c")
	wantStatus(t, e.do("POST", "/publicCloud/v1/instances/"+c+"/stop", nil), http.StatusAccepted)
	monthly := launchBody("b")
	monthly["contractType"], monthly["contractTerm"] = "MONTHLY", 1
	monthly["region"], monthly["type"], monthly["imageId"] = "eu-central-1", "lsw.c5.large", "DEBIAN_12_64BIT"
	e.launch(monthly) // CREATING, contract PENDING
	ip := e.instance(a)["ips"].([]any)[0].(map[string]any)["ip"].(string)

	tests := map[string][]string{
		"?reference=b":                    {"b"},
		"?id=" + c:                        {"c"},
		"?region=eu-central-1":            {"b"},
		"?type=lsw.m5a.large":             {"a", "c"},
		"?state=STOPPING":                 {"c"},
		"?state=CREATING":                 {"b"},
		"?contractType=MONTHLY":           {"b"},
		"?contractState=PENDING":          {"b"},
		"?contractState=ACTIVE":           {"a", "c"},
		"?imageId=DEBIAN_12_64BIT":        {"b"},
		"?ip=" + ip:                       {"a"},
		"?ip=192.0.2.77":                  nil,
		"?reference=nobody":               nil,
		"?region=eu-west-3&state=RUNNING": {"a"},
		"?securityGroupIds=7e59b33d-05f3-4078-b251-c7831ae8fe14": nil,
	}
	for q, want := range tests {
		if got := e.list(q).refs(); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// The description says "state(s), separated by commas", the schema an
	// enum of single states: the sandbox honours the description and the
	// contract validator flags the request.
	var p instancePage
	e.expectViolation(`parameter "state"`, func() { p = e.list("?state=CREATING,STOPPING") })
	if got := p.refs(); !slices.Equal(got, []string{"c", "b"}) {
		t.Errorf("state=CREATING,STOPPING: %v", got)
	}
	e.expectViolation(`query parameters ["name"]`, func() { e.list("?name=a") })
}

func TestUnknownInstanceIs404(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	const id = "/publicCloud/v1/instances/0b5e6ad4-7c5b-4b8f-9a58-1c1d1e1f2a3b"
	for _, c := range []struct{ method, path string }{
		{"GET", id}, {"PUT", id}, {"DELETE", id}, {"POST", id + "/start"}, {"POST", id + "/stop"},
		{"POST", id + "/reboot"}, {"POST", id + "/cancelTermination"},
		{"GET", id + "/instanceTypesUpdate"}, {"GET", id + "/userData"},
	} {
		var body any
		if c.method == "PUT" {
			body = map[string]any{"reference": "x"}
		}
		r := e.do(c.method, c.path, body)
		wantStatus(t, r, http.StatusNotFound)
		if m := r.object(t); m["errorCode"] != "404" || m["errorMessage"] != "Resource not found" {
			t.Errorf("%s %s: %s", c.method, c.path, r.body)
		}
	}
}

func TestAuth(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	for _, path := range []string{"/publicCloud/v1/instances", "/publicCloud/v1/regions", "/publicCloud/v1/images"} {
		for _, h := range []map[string]string{{}, {"X-LSW-Auth": ""}} {
			r := e.send("GET", path, nil, h)
			wantStatus(t, r, http.StatusUnauthorized)
			if m := r.object(t); m["errorCode"] != "401" || m["errorMessage"] != "You are not authorized to view this resource." {
				t.Errorf("%s: %s", path, r.body)
			}
		}
	}
	r := e.send("POST", "/publicCloud/v1/instances", launchBody("x"), nil)
	wantStatus(t, r, http.StatusUnauthorized)
	if got := e.list("").Meta.TotalCount; got != 0 {
		t.Errorf("an unauthorised launch created %d instances", got)
	}
	wantStatus(t, e.send("GET", "/publicCloud/v1/instances", nil, map[string]string{"X-LSW-Auth": "any-key"}), http.StatusOK)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var r result
	e.expectViolation("the document has no such path", func() { r = e.do("GET", "/publicCloud/v1/instancez", nil) })
	wantStatus(t, r, http.StatusNotFound)
	if d := errorDetails(t, r); d["path"] == nil {
		t.Errorf("404 for an unknown route: %s", r.body)
	}
	e.expectViolation("not this method", func() { r = e.do("DELETE", "/publicCloud/v1/instances", nil) })
	wantStatus(t, r, http.StatusMethodNotAllowed)
	if got := r.header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow %q", got)
	}
	errorDetails(t, r)
}
