package sandbox_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/sandbox"
)

const instancesPath = "/publicCloud/v1/instances"

func TestErrorRate(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{ErrorRate: 1}})
	for range 5 {
		r := e.do("GET", instancesPath, nil)
		wantStatus(t, r, http.StatusServiceUnavailable)
		if m := r.object(t); m["errorCode"] != "503" || m["errorMessage"] != "The API is not available at the moment." {
			t.Errorf("503 body %s", r.body)
		}
		if r.header.Get(sandbox.FaultHeader) != "error-rate" {
			t.Errorf("fault header %q", r.header.Get(sandbox.FaultHeader))
		}
	}
	wantStatus(t, e.do("GET", "/_sandbox/stats", nil), http.StatusOK) // control routes are never faulted

	e.srv.SetFaults(sandbox.Faults{ErrorRate: 0.5})
	counts := map[int]int{}
	for range 60 {
		counts[e.do("GET", instancesPath, nil).status]++
	}
	if counts[200] < 10 || counts[503] < 10 || counts[200]+counts[503] != 60 {
		t.Errorf("error rate 0.5 over 60 requests: %v", counts)
	}
}

func TestFaultRules(t *testing.T) {
	rules, err := sandbox.ParseFaultRules("POST /publicCloud/v1/instances 503 x2 retry-after=7; " +
		"PUT /publicCloud/v1/instances/* 500 body~web-2; GET /publicCloud/v1/regions 429 retry-after=1")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Rules: rules}})
	for i := range 2 {
		r := e.do("POST", instancesPath, launchBody("a"))
		wantStatus(t, r, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") != "7" || r.header.Get(sandbox.FaultHeader) != "rule 1" {
			t.Errorf("attempt %d: headers %v", i, r.header)
		}
	}
	id := e.launch(launchBody("a")) // the rule is spent
	if got := e.list("").Meta.TotalCount; got != 1 {
		t.Errorf("%d instances, want 1: failed launches must not apply", got)
	}
	e.clock.Advance(2 * time.Second)
	wantStatus(t, e.do("PUT", instancesPath+"/"+id, map[string]any{"reference": "web-1"}), http.StatusOK)
	wantStatus(t, e.do("PUT", instancesPath+"/"+id, map[string]any{"reference": "web-2"}), http.StatusInternalServerError)
	wantStatus(t, e.do("PUT", instancesPath+"/"+id, map[string]any{"reference": "web-2"}), http.StatusInternalServerError)
	if got := e.instance(id)["reference"]; got != "web-1" {
		t.Errorf("reference %v after failed updates", got)
	}
	// 429 is not documented for any Public Cloud operation; the contract
	// validator lets it through only because the fault header marks it.
	r := e.do("GET", "/publicCloud/v1/regions", nil)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "1" || r.object(t)["errorCode"] != "429" {
		t.Errorf("429: %v %s", r.header, r.body)
	}
	wantStatus(t, e.do("GET", "/publicCloud/v1/images", nil), http.StatusOK)
}

func TestAfterApplyFault(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.SetFaults(sandbox.Faults{Rules: []sandbox.FaultRule{
		{Method: "POST", Path: instancesPath, Status: 500, Times: 1, AfterApply: true},
	}})
	r := e.do("POST", instancesPath, launchBody("ambiguous"))
	wantStatus(t, r, http.StatusInternalServerError)
	if p := e.list("?reference=ambiguous"); len(p.Instances) != 1 {
		t.Errorf("an after-apply 500 did not apply the launch: %d instances", len(p.Instances))
	}
}

func TestDropThroughTransport(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.SetFaults(sandbox.Faults{Rules: []sandbox.FaultRule{
		{Method: "POST", Path: instancesPath, Drop: true, BodyContains: `"before"`},
		{Method: "POST", Path: instancesPath, Drop: true, Times: 1, AfterApply: true},
	}})
	for _, ref := range []string{"before", "after"} {
		req, _ := http.NewRequest("POST", "https://api.leaseweb.com"+instancesPath,
			strings.NewReader(`{"region": "eu-west-3", "type": "lsw.m4.large", "imageId": "DEBIAN_12_64BIT", `+
				`"contractType": "HOURLY", "rootDiskSize": 20, "rootDiskStorageType": "CENTRAL", "reference": "`+ref+`"}`))
		req.Header.Set("X-LSW-Auth", sandbox.APIKey)
		req.Header.Set("Content-Type", "application/json")
		_, err := e.client.Do(req)
		var op *net.OpError
		if !errors.Is(err, syscall.ECONNRESET) || !errors.As(err, &op) {
			t.Errorf("%s: dropped request error %v, want a *net.OpError with ECONNRESET", ref, err)
		}
	}
	if got := e.list("").refs(); !slices.Equal(got, []string{"after"}) {
		t.Errorf("instances %v: the plain drop must not apply, the after-apply drop must", got)
	}
	e.launch(launchBody("third")) // the after-apply rule is spent
	st := e.srv.Stats()
	if st.Dropped != 2 || st.Faults != 2 || st.ByStatus[201] != 1 {
		t.Errorf("stats %+v, want 2 dropped, 2 faults, one 201", st)
	}
}

func TestDropOverListener(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Seed: 1, Faults: sandbox.Faults{Rules: []sandbox.FaultRule{
		{Path: "/publicCloud/v1/regions", Drop: true, Times: 1},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	report := func(err error) { t.Errorf("contract: %v", err) }
	ts := httptest.NewServer(contract.ForTest(t).Middleware(srv, report))
	defer ts.Close()
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest("GET", ts.URL+"/publicCloud/v1/regions", nil)
		req.Header.Set("X-LSW-Auth", sandbox.APIKey)
		return ts.Client().Do(req)
	}
	if resp, err := get(); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %s", resp.Status)
	}
	resp, err := get()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("second request: %s", resp.Status)
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 40 * time.Millisecond}})
	start := time.Now()
	wantStatus(t, e.do("GET", "/publicCloud/v1/regions", nil), http.StatusOK)
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("request took %s with 40ms latency", d)
	}
	// A client that gives up during the latency gets its context error and
	// the request is not applied.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://api.leaseweb.com"+instancesPath, strings.NewReader(`{}`))
	req.Header.Set("X-LSW-Auth", sandbox.APIKey)
	if _, err := e.srv.Transport().RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("abandoned request: %v", err)
	}
}

func TestFaultsControlRoute(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	body := `{"latency": "1ms", "errorRate": 0.25, "rules": "POST /publicCloud/v1/instances 503 x2"}`
	wantStatus(t, e.do("PUT", "/_sandbox/faults", body), http.StatusNoContent)
	r := e.do("GET", "/_sandbox/faults", nil)
	var got sandbox.Faults
	r.decode(t, &got)
	want := sandbox.Faults{Latency: time.Millisecond, ErrorRate: 0.25, Rules: []sandbox.FaultRule{
		{Method: "POST", Path: instancesPath, Status: 503, Times: 2}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET /_sandbox/faults %s = %+v, want %+v", r.body, got, want)
	}
	list := `{"rules": [{"method": "GET", "path": "/publicCloud/v1/images", "status": 500, "times": 1}]}`
	wantStatus(t, e.do("PUT", "/_sandbox/faults", list), http.StatusNoContent)
	wantStatus(t, e.do("GET", "/publicCloud/v1/images", nil), http.StatusInternalServerError)
	wantStatus(t, e.do("GET", "/publicCloud/v1/images", nil), http.StatusOK)
	for _, bad := range []string{`{"errorRate": 2}`, `{"latency": "soon"}`, `{"rules": "GET /x 200"}`,
		`{"rules": [{"path": "nope", "status": 500}]}`, `[]`} {
		r := e.do("PUT", "/_sandbox/faults", bad)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(string(r.body), `"error"`) {
			t.Errorf("%s: %s", bad, r.body)
		}
	}
	if _, err := sandbox.New(sandbox.Options{Faults: sandbox.Faults{ErrorRate: -1}}); err == nil {
		t.Error("New accepted a negative error rate")
	}
}
