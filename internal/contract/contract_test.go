package contract_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/sandbox"
)

const instanceID = "0b5e6ad4-7c5b-4b8f-9a58-1c1d1e1f2a3b"

func TestDocumentPath(t *testing.T) {
	t.Setenv("LSWCTL_OPENAPI", "/elsewhere/api.json")
	if got := contract.DocumentPath(); got != "/elsewhere/api.json" {
		t.Errorf("with LSWCTL_OPENAPI: %s", got)
	}
	t.Setenv("LSWCTL_OPENAPI", "")
	root, _ := filepath.Abs(filepath.Join("..", "..")) // this package is <root>/internal/contract
	want := filepath.Join(root, "testdata", "api", "leaseweb-openapi.json")
	if got := contract.DocumentPath(); got != want {
		t.Errorf("DocumentPath() = %s, want %s", got, want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the repository must hold the OpenAPI document: %v", err)
	}
}

// fakeTB records Fatal and stops the function under test the way the
// testing package does (here with a panic caught by run).
type fakeTB struct {
	testing.TB
	fatal string
}

type stopped struct{}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Fatal(args ...any) { f.fatal = fmt.Sprint(args...); panic(stopped{}) }

func (f *fakeTB) run(fn func(testing.TB)) {
	defer func() {
		if r := recover(); r != nil && r != (stopped{}) {
			panic(r)
		}
	}()
	fn(f)
}

// TestForTestWithoutDocument: a missing document fails the test, in CI or
// not — it is part of the repository, so nothing skips silently.
func TestForTestWithoutDocument(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no.json")
	t.Setenv("LSWCTL_OPENAPI", missing)
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		tb := &fakeTB{}
		tb.run(func(tb testing.TB) { contract.ForTest(tb) })
		if !strings.Contains(tb.fatal, missing) {
			t.Errorf("CI=%q: fatal %q", ci, tb.fatal)
		}
	}
	broken := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(broken, []byte(`{"openapi": `), 0o600)
	if _, err := contract.Load(broken); err == nil {
		t.Error("Load accepted a broken document")
	}
}

func newRequest(method, target, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "https://api.leaseweb.com"+target, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

func TestCheckRequest(t *testing.T) {
	v := contract.ForTest(t)
	tests := []struct {
		method, target, body string
		want                 string // "" = valid
	}{
		{"GET", "/publicCloud/v1/instances?limit=5&offset=10&state=RUNNING&reference=web", "", ""},
		{"GET", "/publicCloud/v1/instances/" + instanceID, "", ""},
		{"POST", "/publicCloud/v1/instances", `{"region":"eu-west-3","type":"lsw.m4.large","imageId":"X","contractType":"HOURLY","rootDiskSize":5,"rootDiskStorageType":"LOCAL"}`, ""},
		{"GET", "/_sandbox/stats?whatever=1", "", ""},
		{"GET", "/publicCloud/v1/nothing", "", "request GET /publicCloud/v1/nothing: the document has no such path"},
		{"PATCH", "/publicCloud/v1/instances", "", "the document has this path but not this method"},
		{"GET", "/publicCloud/v1/instances?name=web", "", `query parameters ["name"] are not in the document`},
		{"GET", "/publicCloud/v1/instances?state=RUNNING,STOPPED", "", `parameter "state" in query`},
		{"GET", "/publicCloud/v1/instances?ip=not-an-ip", "", `parameter "ip" in query`},
		{"GET", "/publicCloud/v1/instances/web-1", "", `(/publicCloud/v1/instances/{instanceId}): parameter "instanceId" in path`},
		{"GET", "/publicCloud/v1/instanceTypes", "", `parameter "region" in query has an error: value is required`},
		{"POST", "/publicCloud/v1/instances", `{"region":"eu-west-3"}`, `at /imageId: property "imageId" is missing`},
		{"PUT", "/publicCloud/v1/instances/" + instanceID, `{"rootDiskSize": 1}`, `at /rootDiskSize: number must be at least 5`},
	}
	for _, tt := range tests {
		err := v.CheckRequest(newRequest(tt.method, tt.target, tt.body), []byte(tt.body))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s %s: %v", tt.method, tt.target, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s %s: %v, want an error containing %q", tt.method, tt.target, err, tt.want)
		}
		var vio *contract.Violation
		if err != nil && (!errors.As(err, &vio) || vio.Method != tt.method || vio.Status != 0) {
			t.Errorf("%s %s: error %T %+v is not a request Violation", tt.method, tt.target, err, vio)
		}
	}
}

func TestCheckResponse(t *testing.T) {
	v := contract.ForTest(t)
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	fault := http.Header{"Content-Type": {"application/json"}, sandbox.FaultHeader: {"rule 1"}}
	regions := `{"regions":[{"name":"eu-west-3","location":"Amsterdam"}],"_metadata":{"totalCount":1,"offset":0,"limit":10}}`
	errBody := `{"correlationId":"x","errorCode":"503","errorMessage":"down"}`
	tests := []struct {
		name, method, target string
		status               int
		header               http.Header
		body                 string
		want                 string
	}{
		{"valid list", "GET", "/publicCloud/v1/regions", 200, jsonCT, regions, ""},
		{"valid empty 202", "POST", "/publicCloud/v1/instances/" + instanceID + "/stop", 202, http.Header{}, "", ""},
		{"valid 200 without body", "DELETE", "/publicCloud/v1/instances/" + instanceID, 200, http.Header{}, "", ""},
		{"documented error", "GET", "/publicCloud/v1/regions", 503, jsonCT, errBody, ""},
		{"injected undocumented status", "GET", "/publicCloud/v1/regions", 429, fault, errBody, ""},
		{"control route", "GET", "/_sandbox/stats", 200, jsonCT, `[]`, ""},
		{"missing field", "GET", "/publicCloud/v1/regions", 200, jsonCT, strings.Replace(regions, `,"location":"Amsterdam"`, "", 1),
			`response GET /publicCloud/v1/regions 200: response body doesn't match schema #/components/schemas/getRegionListResult: at /regions/0/location: property "location" is missing`},
		{"bad enum", "GET", "/publicCloud/v1/regions", 200, jsonCT, strings.Replace(regions, "eu-west-3", "mars-1", 1), "at /regions/0/name: value is not one of the allowed values"},
		{"undocumented status", "GET", "/publicCloud/v1/regions", 429, jsonCT, errBody, "response GET /publicCloud/v1/regions 429: status is not supported"},
		{"injected documented status is still checked", "GET", "/publicCloud/v1/regions", 503, fault, `{"errorCode": 503}`, "at /errorCode: value must be a string"},
		{"body where none is documented", "DELETE", "/publicCloud/v1/instances/" + instanceID, 200, jsonCT, `{}`, "the document gives status 200 no content, but the body has 2 bytes"},
		{"wrong content type", "GET", "/publicCloud/v1/regions", 200, http.Header{"Content-Type": {"text/plain"}}, regions, "Content-Type"},
		{"unknown path", "GET", "/publicCloud/v2/regions", 404, jsonCT, errBody, "response GET /publicCloud/v2/regions 404: the document has no such path"},
	}
	for _, tt := range tests {
		err := v.CheckResponse(newRequest(tt.method, tt.target, ""), nil, tt.status, tt.header, []byte(tt.body))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// TestDocumentedExamples checks the validator against the document's own
// response examples for every operation the sandbox serves: none of them is
// a documented flaw, so all must pass.
func TestDocumentedExamples(t *testing.T) {
	v := contract.ForTest(t)
	b, err := os.ReadFile(contract.DocumentPath())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	const p = "/publicCloud/v1"
	served := map[string][]string{
		p + "/regions": {"get"}, p + "/instanceTypes": {"get"}, p + "/images": {"get"},
		p + "/instances": {"get", "post"}, p + "/instances/{instanceId}": {"get", "put", "delete"},
		p + "/instances/{instanceId}/start": {"post"}, p + "/instances/{instanceId}/stop": {"post"},
		p + "/instances/{instanceId}/reboot": {"post"}, p + "/instances/{instanceId}/cancelTermination": {"post"},
		p + "/instances/{instanceId}/instanceTypesUpdate": {"get"}, p + "/instances/{instanceId}/userData": {"get"},
	}
	checked := 0
	for path, methods := range served {
		for _, m := range methods {
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(doc.Paths[path][m], &op); err != nil {
				t.Fatal(err)
			}
			for status, raw := range op.Responses {
				example, ok := exampleOf(raw, doc.Components.Responses)
				if !ok {
					continue
				}
				target := strings.Replace(path, "{instanceId}", instanceID, 1)
				if strings.HasSuffix(path, "/instanceTypes") {
					target += "?region=eu-west-3"
				}
				var code int
				fmt.Sscan(status, &code)
				err := v.CheckResponse(newRequest(strings.ToUpper(m), target, ""), nil, code,
					http.Header{"Content-Type": {"application/json"}}, example)
				if err != nil {
					t.Errorf("documented example: %v", err)
				}
				checked++
			}
		}
	}
	if checked < 60 {
		t.Errorf("only %d examples checked", checked)
	}
}

// exampleOf returns the JSON example of a response (following a $ref to the
// components), if it has one.
func exampleOf(raw json.RawMessage, components map[string]json.RawMessage) ([]byte, bool) {
	var r struct {
		Ref     string `json:"$ref"`
		Content map[string]struct {
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	}
	json.Unmarshal(raw, &r)
	if r.Ref != "" {
		return exampleOf(components[strings.TrimPrefix(r.Ref, "#/components/responses/")], components)
	}
	ex := r.Content["application/json"].Example
	return ex, len(ex) > 0
}

func TestMiddleware(t *testing.T) {
	v := contract.ForTest(t)
	var reports []error
	report := func(err error) { reports = append(reports, err) }
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // the middleware restores the body it read
		switch r.URL.Path {
		case "/publicCloud/v1/regions":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"regions": [], "_metadata": {"totalCount": 0, "offset": 0}}`))
		case "/publicCloud/v1/instances/" + instanceID + "/stop":
			hj := w.(http.Hijacker)
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
			}
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTeapot)
			w.Write(body)
		}
	})
	ts := httptest.NewServer(v.Middleware(handler, report))
	defer ts.Close()
	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if resp, err := ts.Client().Do(req); err == nil {
			resp.Body.Close()
		}
	}
	send("GET", "/publicCloud/v1/regions", "")
	if len(reports) != 1 || !strings.Contains(reports[0].Error(), `response GET /publicCloud/v1/regions 200: response body doesn't match schema #/components/schemas/getRegionListResult: at /_metadata/limit: property "limit" is missing`) {
		t.Errorf("reports %v", reports)
	}
	reports = nil
	send("POST", "/publicCloud/v1/instances/"+instanceID+"/stop", "")
	if len(reports) != 0 {
		t.Errorf("a hijacked connection was checked: %v", reports)
	}
	send("PUT", "/_sandbox/faults", `{"x": 1}`)
	if len(reports) != 0 {
		t.Errorf("a control route was checked: %v", reports)
	}
	send("PUT", "/publicCloud/v1/instances/"+instanceID, `{"rootDiskSize": 1}`)
	if len(reports) != 2 || !strings.Contains(reports[0].Error(), "number must be at least 5") ||
		!strings.Contains(reports[1].Error(), "418: status is not supported") {
		t.Errorf("reports %v", reports)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransport(t *testing.T) {
	v := contract.ForTest(t)
	var reports []error
	var seenBody string
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/publicCloud/v1/images" {
			return nil, &net.OpError{Op: "dial", Err: errors.New("refused")}
		}
		b, _ := io.ReadAll(r.Body)
		seenBody = string(b)
		return &http.Response{StatusCode: 201, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"id": 1}`)), Request: r}, nil
	})
	client := &http.Client{Transport: v.Transport(next, func(err error) { reports = append(reports, err) })}
	resp, err := client.Post("https://api.leaseweb.com/publicCloud/v1/instances", "application/json",
		bytes.NewReader([]byte(`{"region": "eu-west-3"}`)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if seenBody != `{"region": "eu-west-3"}` || string(body) != `{"id": 1}` {
		t.Errorf("bodies not passed through: sent %q, received %q", seenBody, body)
	}
	if len(reports) != 2 || !strings.Contains(reports[0].Error(), "request POST /publicCloud/v1/instances") ||
		!strings.Contains(reports[1].Error(), "response POST /publicCloud/v1/instances 201") {
		t.Errorf("reports %v", reports)
	}
	if _, err := client.Get("https://api.leaseweb.com/publicCloud/v1/images"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("transport error not passed through: %v", err)
	}
}
