package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// t0 is the fake clock's start.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// fakeClock is a settable clock for Options.Clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a sandbox behind the contract validator: every request and response
// of a test goes through contract.Transport, and a violation fails the test
// unless the test said it expects one (expectViolation).
type env struct {
	t      *testing.T
	srv    *sandbox.Server
	clock  *fakeClock
	client *http.Client

	mu       sync.Mutex
	expected string // substring the next violation must contain; "" = none allowed
	got      []error
}

// newEnv starts a sandbox with a fake clock (unless opts has one), seed 1
// and the default delay of 2s.
func newEnv(t *testing.T, opts sandbox.Options) *env {
	t.Helper()
	clock := &fakeClock{now: t0}
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	e := wrap(t, srv)
	e.clock = clock
	return e
}

// wrap puts srv behind the contract validator and closes it after the test.
func wrap(t *testing.T, srv *sandbox.Server) *env {
	t.Helper()
	e := &env{t: t, srv: srv}
	e.client = &http.Client{Transport: contract.ForTest(t).Transport(srv.Transport(), e.report)}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

func (e *env) report(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.expected == "" {
		e.t.Errorf("unexpected contract violation: %v", err)
		return
	}
	e.got = append(e.got, err)
}

// result is one answered request.
type result struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into v.
func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// object decodes the body as a JSON object.
func (r result) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// do sends a request with the sandbox API key. body is JSON-encoded unless
// it is a string (sent as is) or nil.
func (e *env) do(method, path string, body any) result {
	e.t.Helper()
	return e.send(method, path, body, map[string]string{"X-LSW-Auth": sandbox.APIKey})
}

// send sends a request with exactly the given headers.
func (e *env) send(method, path string, body any, headers map[string]string) result {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, "https://api.leaseweb.com"+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// expectViolation runs f, which must make the contract validator report a
// violation containing want (the request is deliberately off-contract; the
// answer to an off-contract request may be off-contract too, e.g. a 400 the
// operation does not document).
func (e *env) expectViolation(want string, f func()) {
	e.t.Helper()
	e.mu.Lock()
	e.expected, e.got = want, nil
	e.mu.Unlock()
	f()
	e.mu.Lock()
	got := e.got
	e.expected, e.got = "", nil
	e.mu.Unlock()
	if !slices.ContainsFunc(got, func(err error) bool { return strings.Contains(err.Error(), want) }) {
		e.t.Errorf("expected a contract violation containing %q, got %v", want, got)
	}
}

// wantStatus fails unless r has the status.
func wantStatus(t *testing.T, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// launchBody is a valid launch body for eu-west-3 with the given reference.
func launchBody(ref string) map[string]any {
	return map[string]any{
		"region": "eu-west-3", "type": "lsw.m5a.large", "imageId": "UBUNTU_24_04_64BIT",
		"contractType": "HOURLY", "rootDiskSize": 50, "rootDiskStorageType": "CENTRAL",
		"reference": ref,
	}
}

// launch launches an instance and returns its id.
func (e *env) launch(body map[string]any) string {
	e.t.Helper()
	r := e.do("POST", "/publicCloud/v1/instances", body)
	wantStatus(e.t, r, http.StatusCreated)
	return r.object(e.t)["id"].(string)
}

// launchRunning launches an instance and waits out its CREATING state.
func (e *env) launchRunning(ref string) string {
	e.t.Helper()
	id := e.launch(launchBody(ref))
	e.clock.Advance(2 * time.Second)
	return id
}

// instance returns GET /instances/{id} decoded.
func (e *env) instance(id string) map[string]any {
	e.t.Helper()
	r := e.do("GET", "/publicCloud/v1/instances/"+id, nil)
	wantStatus(e.t, r, http.StatusOK)
	return r.object(e.t)
}

// state returns the instance's state.
func (e *env) state(id string) string {
	e.t.Helper()
	return e.instance(id)["state"].(string)
}

// errorDetails returns the errorDetails keys of an error body, checking the
// errorResult shape on the way.
func errorDetails(t *testing.T, r result) map[string]any {
	t.Helper()
	m := r.object(t)
	if code, _ := m["errorCode"].(string); code != strconv.Itoa(r.status) {
		t.Errorf("errorCode %v, want %q", m["errorCode"], strconv.Itoa(r.status))
	}
	if id, _ := m["correlationId"].(string); len(id) != 36 {
		t.Errorf("correlationId %v is not a UUID", m["correlationId"])
	}
	d, _ := m["errorDetails"].(map[string]any)
	return d
}

// keys returns the sorted keys of m.
func keys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
