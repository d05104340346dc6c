package leaseweb

/*
Helpers for the kind tests that run against the real emulator
(internal/sandbox). Every request the provider sends and every answer the
sandbox gives pass through contract.Transport, and any violation fails the
test. Between the validator and the sandbox a recorder keeps each request's
method, path, query and body, so tests can assert what was sent.
*/

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// sbFastPoll replaces the provider's sandbox poll times (50ms..1s) so that
// waiting for a 20ms transition costs a few milliseconds, not a second.
var sbFastPoll = pollTimes{First: 2 * time.Millisecond, Max: 10 * time.Millisecond, Timeout: 5 * time.Second}

// sbSingleOnce replaces the create protocol's times in tests of a single
// run: a window too generous to expire on a loaded machine, and no waiting,
// since no concurrent run can race it.
var sbSingleOnce = onceTimes{Window: 10 * time.Second, Tries: 4, Backoff: time.Millisecond,
	sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}

// Sandbox route keys of Stats.ByRoute.
const (
	sbList   = "GET /publicCloud/v1/instances"
	sbLaunch = "POST /publicCloud/v1/instances"
	sbGet    = "GET /publicCloud/v1/instances/{instanceId}"
	sbPut    = "PUT /publicCloud/v1/instances/{instanceId}"
	sbDelete = "DELETE /publicCloud/v1/instances/{instanceId}"
	sbStart  = "POST /publicCloud/v1/instances/{instanceId}/start"
	sbStop   = "POST /publicCloud/v1/instances/{instanceId}/stop"
	sbTypes  = "GET /publicCloud/v1/instanceTypes"
	sbImages = "GET /publicCloud/v1/images"
	sbTypesU = "GET /publicCloud/v1/instances/{instanceId}/instanceTypesUpdate"
)

// sbRequest is one request as the sandbox received it.
type sbRequest struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// sbRecorder is a RoundTripper that keeps every request it forwards.
type sbRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []sbRequest
}

func (r *sbRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, sbRequest{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(),
		Header: req.Header.Clone(), Body: body})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// matching returns the recorded requests with the given method whose path
// ends with suffix ("" matches every path).
func (r *sbRecorder) matching(method, suffix string) []sbRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []sbRequest
	for _, q := range r.reqs {
		if q.Method == method && strings.HasSuffix(q.Path, suffix) {
			out = append(out, q)
		}
	}
	return out
}

// since returns the requests recorded after the first n.
func (r *sbRecorder) since(n int) []sbRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs[n:])
}

// count returns how many requests were recorded.
func (r *sbRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

func (r *sbRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = nil
}

// sbEnv is a sandbox, the leaseweb provider built on it by New, and its
// instance kind with fast poll times.
type sbEnv struct {
	t    *testing.T
	srv  *sandbox.Server
	rec  *sbRecorder
	kind *instances
	p    *Provider
	ctx  context.Context
}

// sbKind returns the provider's kind of type K, failing the test unless
// there is exactly one.
func sbKind[K providers.Kind](t *testing.T, p *Provider) K {
	t.Helper()
	var found []K
	for _, k := range p.Kinds() {
		if x, ok := k.(K); ok {
			found = append(found, x)
		}
	}
	if len(found) != 1 {
		var zero K
		t.Fatalf("Kinds() has %d kinds of type %T, want 1", len(found), zero)
	}
	return found[0]
}

// newSandboxEnv starts a sandbox with opts (seed 1 unless set), seeds it
// with seed (nil: empty) and builds the provider with New in sandbox
// mode, with every exchange checked against the OpenAPI document.
func newSandboxEnv(t *testing.T, opts sandbox.Options, seed ...sbInstance) *sbEnv {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	e := &sbEnv{t: t, srv: srv, rec: &sbRecorder{next: srv.Transport()}, ctx: t.Context()}
	report := func(err error) { t.Errorf("contract violation: %v", err) }
	hc := &http.Client{Transport: contract.ForTest(t).Transport(e.rec, report)}
	p, err := New(providers.Config{
		LookupEnv:  func(string) (string, bool) { return "", false },
		HTTPClient: hc,
		Sandbox:    true,
		Version:    "test",
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.p = p.(*Provider)
	k := sbKind[*instances](t, e.p)
	k.poll, k.once = sbFastPoll, sbSingleOnce
	e.kind = k
	if seed != nil {
		e.seed(seed...)
	}
	return e
}

// sbInstance is an instance of the sandbox state document (see
// internal/sandbox/doc.go); empty fields take the sandbox's defaults.
type sbInstance struct {
	ID                  string      `json:"id,omitempty"`
	Reference           *string     `json:"reference,omitempty"`
	Region              string      `json:"region"`
	Type                string      `json:"type"`
	ImageID             string      `json:"imageId"`
	MarketAppID         string      `json:"marketAppId,omitempty"`
	RootDiskSize        int         `json:"rootDiskSize,omitempty"`
	RootDiskStorageType string      `json:"rootDiskStorageType,omitempty"`
	State               string      `json:"state,omitempty"`
	Contract            *sbContract `json:"contract,omitempty"`
	AutoScalingGroupID  string      `json:"autoScalingGroupId,omitempty"`
}

type sbContract struct {
	Type             string `json:"type,omitempty"`
	Term             int    `json:"term,omitempty"`
	BillingFrequency int    `json:"billingFrequency,omitempty"`
	State            string `json:"state,omitempty"`
}

// sbASG is the auto scaling group seeded with every env, for ASG-owned
// instances.
const sbASG = "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"

// sbRef returns a pointer to a reference.
func sbRef(s string) *string { return &s }

// sbWeb returns a plain RUNNING hourly instance with the given reference in
// eu-west-3.
func sbWeb(ref string) sbInstance {
	return sbInstance{Reference: sbRef(ref), Region: "eu-west-3", Type: "lsw.m5a.large",
		ImageID: "UBUNTU_24_04_64BIT", RootDiskSize: 50, RootDiskStorageType: "CENTRAL"}
}

// sbMonthly returns a RUNNING monthly instance (12 months, billed every 3).
func sbMonthly(ref string) sbInstance {
	in := sbWeb(ref)
	in.Type = "lsw.r5.large"
	in.Contract = &sbContract{Type: "MONTHLY", Term: 12, BillingFrequency: 3}
	return in
}

// seed replaces the sandbox's objects with instances (and the ASG sbASG).
func (e *sbEnv) seed(instances ...sbInstance) {
	e.t.Helper()
	doc := map[string]any{
		"version": 1,
		"autoScalingGroups": []map[string]any{{"id": sbASG, "reference": "workers",
			"region": "eu-west-3", "type": "MANUAL", "state": "ACTIVE", "desiredAmount": 2}},
		"instances": instances,
	}
	b, err := json.Marshal(doc)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.srv.Seed(bytes.NewReader(b)); err != nil {
		e.t.Fatalf("seeding the sandbox: %v", err)
	}
}

// setFaults installs textual fault rules (sandbox.ParseFaultRules).
func (e *sbEnv) setFaults(spec string) {
	e.t.Helper()
	rules, err := sandbox.ParseFaultRules(spec)
	if err != nil {
		e.t.Fatalf("fault rules %q: %v", spec, err)
	}
	e.srv.SetFaults(sandbox.Faults{Rules: rules})
}

// resetCounters zeroes the sandbox's stats and the recorder.
func (e *sbEnv) resetCounters() {
	e.srv.ResetStats()
	e.rec.reset()
}

// read runs the kind's Read and indexes the result by Addr.Name, failing
// the test on an error or a duplicate name.
func (e *sbEnv) read() map[string]model.Resource {
	e.t.Helper()
	list, err := e.kind.Read(e.ctx)
	if err != nil {
		e.t.Fatalf("Read: %v", err)
	}
	out := map[string]model.Resource{}
	for _, r := range list {
		if _, dup := out[r.Addr.Name]; dup {
			e.t.Fatalf("Read returned %s twice", r.Addr.Name)
		}
		out[r.Addr.Name] = r
	}
	return out
}

// idOf returns the id of the only live instance with reference ref, failing
// the test when there is not exactly one.
func (e *sbEnv) idOf(ref string) string {
	e.t.Helper()
	live := e.live(ref)
	if len(live) != 1 {
		e.t.Fatalf("%d instances with reference %s, want 1", len(live), ref)
	}
	return live[0].ID
}

// live lists the instances with reference ref as the API shows them
// (DESTROYED ones included), bypassing the kind.
func (e *sbEnv) live(ref string) []apiInstance {
	e.t.Helper()
	list, err := ListAll[apiInstance](e.ctx, e.kind.c, instancesPath, url.Values{"reference": {ref}}, "instances")
	if err != nil {
		e.t.Fatalf("listing %s: %v", ref, err)
	}
	return list
}

// details GETs one instance, bypassing the kind, with its contract state.
func (e *sbEnv) details(id string) apiInstance {
	e.t.Helper()
	in, err := e.kind.get(e.ctx, id)
	if err != nil {
		e.t.Fatalf("GET instance %s: %v", id, err)
	}
	return *in
}

// sbJSON decodes a request body into a generic map (numbers as float64);
// an empty body is nil.
func sbJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("request body %s: %v", b, err)
	}
	return m
}

// sbKey is an SSH public key the sandbox accepts.
const sbKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm0 ops@example"

// sbAfter returns the desired attributes of a plain instance in eu-west-3,
// with extra merged in at the top level.
func sbAfter(extra model.Object) model.Object {
	a := model.Object{
		"region":   "eu-west-3",
		"type":     "lsw.m5a.large",
		"image":    "UBUNTU_24_04_64BIT",
		"rootDisk": map[string]any{"size": int64(50), "storageType": "CENTRAL"},
		"contract": map[string]any{"type": "HOURLY"},
	}
	maps.Copy(a, extra)
	return a
}

// sbOp is the op of a create of the instance called name.
func sbOp(name string, after model.Object) providers.Op {
	return providers.Op{Addr: model.Address{Kind: "instance", Name: name}, After: after}
}

// sbDisk returns a rootDisk attribute.
func sbDisk(size int64, storage string) map[string]any {
	return map[string]any{"size": size, "storageType": storage}
}

// checkFieldError fails unless err is a *providers.FieldError on path whose
// message has every want, or nil when path is "".
func checkFieldError(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	if path == "" {
		if err != nil {
			t.Fatalf("Check: %v, want no error", err)
		}
		return
	}
	var fe *providers.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("Check error %v (%T), want a *providers.FieldError on %s", err, err, path)
	}
	if fe.Path != path {
		t.Errorf("FieldError on %q (%s), want %q", fe.Path, fe.Msg, path)
	}
	for _, w := range want {
		if !strings.Contains(fe.Msg, w) {
			t.Errorf("message %q does not contain %q", fe.Msg, w)
		}
	}
}
