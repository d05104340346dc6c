package leaseweb

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const testKey = "lsw-test-key-5f1c0b7e"

// fakeClock is the injected clock and Sleep: sleeping advances time at once
// and records the wait.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// recorded is what a test transport or server saw of one request.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// step answers one request of a scriptRT.
type step func(*http.Request) (*http.Response, error)

// answer returns a step that answers status with body and header pairs.
func answer(status int, body string, kv ...string) step {
	return func(req *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Header: h,
			Body: io.NopCloser(strings.NewReader(body)), Request: req,
		}, nil
	}
}

// drop is a connection reset before any answer.
func drop(*http.Request) (*http.Response, error) {
	return nil, errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer")
}

// refused is a connection refused: the request never reached the server.
func refused(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}

// scriptRT is an in-process RoundTripper that plays steps in order (the
// last one repeats) and records every request.
type scriptRT struct {
	mu    sync.Mutex
	steps []step
	reqs  []recorded
}

func (s *scriptRT) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	s.mu.Lock()
	n := len(s.reqs)
	s.reqs = append(s.reqs, recorded{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Clone(), string(body)})
	st := s.steps[min(n, len(s.steps)-1)]
	s.mu.Unlock()
	return st(req)
}

func (s *scriptRT) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// newScripted returns a client on a scriptRT and a fake clock. mod adjusts
// the options before NewClient.
func newScripted(t *testing.T, mod func(*ClientOptions), steps ...step) (*Client, *scriptRT, *fakeClock) {
	t.Helper()
	rt := &scriptRT{steps: steps}
	clock := newFakeClock()
	o := ClientOptions{
		APIKey: testKey, UserAgent: "lswctl/test",
		HTTPClient: &http.Client{Transport: rt},
		Sleep:      clock.Sleep,
		Rand:       func() float64 { return 0.5 },
	}
	if mod != nil {
		mod(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	c.now = clock.Now
	return c, rt, clock
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		opts    ClientOptions
		wantErr string
	}{
		{"missing key", ClientOptions{}, "LEASEWEB_API_KEY is not set"},
		{"plain http", ClientOptions{APIKey: "k", BaseURL: "http://example.com"},
			`LEASEWEB_API_URL "http://example.com": plain http is only allowed for loopback addresses`},
		{"negative page size", ClientOptions{APIKey: "k", PageSize: -1}, "page size -1 is negative"},
		{"negative timeout", ClientOptions{APIKey: "k", Timeout: -time.Second}, "client timeout -1s is negative"},
		{"defaults", ClientOptions{APIKey: "k"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.base.String() != DefaultBaseURL || c.timeout != DefaultTimeout || c.maxRetries != DefaultMaxRetries ||
				c.concurrency != DefaultConcurrency || c.limiter.limit() != DefaultRateLimit || c.userAgent != DefaultUserAgent {
				t.Errorf("defaults not applied: %+v", c)
			}
		})
	}
	c, err := NewClient(ClientOptions{APIKey: "k", MaxRetries: -1})
	if err != nil || c.maxRetries != 0 {
		t.Errorf("MaxRetries -1: maxRetries = %d, err %v; want 0", c.maxRetries, err)
	}
}

func TestDoHeadersAndBody(t *testing.T) {
	type launch struct {
		Reference string `json:"reference"`
		Size      int    `json:"rootDiskSize"`
	}
	tests := []struct {
		name, method string
		body         any
		wantBody     string
		wantCT       string
	}{
		{"GET without body", "GET", nil, "", ""},
		{"POST struct", "POST", launch{"web-1", 50}, `{"reference":"web-1","rootDiskSize":50}`, "application/json"},
		{"PUT raw message", "put", json.RawMessage(`{"type":"lsw.m5a.large"}`), `{"type":"lsw.m5a.large"}`, "application/json"},
		{"POST bytes", "POST", []byte(`{"a":1}`), `{"a":1}`, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rt, _ := newScripted(t, nil, answer(200, `{"id":"abc","state":"RUNNING"}`))
			var out struct{ ID, State string }
			q := url.Values{"reference": {"web 1"}}
			if err := c.Do(context.Background(), tt.method, "/publicCloud/v1/instances", q, tt.body, &out); err != nil {
				t.Fatal(err)
			}
			if out.ID != "abc" || out.State != "RUNNING" {
				t.Errorf("decoded %+v", out)
			}
			r := rt.Requests()[0]
			checks := map[string][2]string{
				"method":       {r.Method, strings.ToUpper(tt.method)},
				"path":         {r.Path, "/publicCloud/v1/instances"},
				"query":        {r.RawQuery, "reference=web+1"},
				"X-LSW-Auth":   {r.Header.Get("X-LSW-Auth"), testKey},
				"User-Agent":   {r.Header.Get("User-Agent"), "lswctl/test"},
				"Accept":       {r.Header.Get("Accept"), "application/json"},
				"Content-Type": {r.Header.Get("Content-Type"), tt.wantCT},
				"body":         {r.Body, tt.wantBody},
			}
			for k, v := range checks {
				if v[0] != v[1] {
					t.Errorf("%s = %q, want %q", k, v[0], v[1])
				}
			}
		})
	}
}

func TestDoAnswers(t *testing.T) {
	tests := []struct {
		name    string
		answer  step
		opts    []CallOption
		wantErr string
		wantOut string
	}{
		{"empty 204", answer(204, ""), nil, "", "untouched"},
		{"empty 202 with whitespace", answer(202, " \n"), nil, "", "untouched"},
		{"json 200", answer(200, `{"name":"x"}`), nil, "", "x"},
		{"invalid json", answer(200, `{"name":`), nil, "DELETE /v/x: decoding 200 answer: unexpected end of JSON input", ""},
		{"expected 404", answer(404, `{"errorCode":"404"}`), []CallOption{Expect(204, 404)}, "", "untouched"},
		{"unexpected 200", answer(200, `{}`), []CallOption{Expect(204)}, "DELETE /v/x: 200 OK: unexpected status, want [204]", ""},
		{"redirect to other host", answer(302, "", "Location", "https://other.example/"), nil,
			"DELETE /v/x: refusing redirect to https://other.example: it would carry the API key to another host", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := newScripted(t, nil, tt.answer)
			out := struct{ Name string }{"untouched"}
			err := c.Do(context.Background(), "DELETE", "/v/x", nil, nil, &out, tt.opts...)
			if got := errString(err); got != tt.wantErr {
				t.Fatalf("err = %q, want %q", got, tt.wantErr)
			}
			if tt.wantErr == "" && out.Name != tt.wantOut {
				t.Errorf("out = %q, want %q", out.Name, tt.wantOut)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestDoBadPath(t *testing.T) {
	c, rt, _ := newScripted(t, nil, answer(200, ""))
	for _, p := range []string{"publicCloud/v1", "/x?limit=1", "/x/%zz"} {
		if err := c.Do(context.Background(), "GET", p, nil, nil, nil); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
	if n := len(rt.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad paths", n)
	}
}

func TestPathEscaping(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/publicCloud/v1/instances/" + url.PathEscape("a/b c"), "/publicCloud/v1/instances/a%2Fb%20c"},
		{"/publicCloud/v1/instances/web 1", "/publicCloud/v1/instances/web%201"},
		{"/vps/123581321", "/vps/123581321"},
	}
	for _, tt := range tests {
		c, rt, _ := newScripted(t, nil, answer(204, ""))
		var got string
		rt.steps = []step{func(r *http.Request) (*http.Response, error) {
			got = r.URL.EscapedPath()
			return answer(204, "")(r)
		}}
		if err := c.Do(context.Background(), "GET", tt.path, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("path %q sent as %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestBaseURLPrefix(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.RequestURI()
		w.WriteHeader(204)
	}))
	defer srv.Close()
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL + "/leaseweb/"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Do(context.Background(), "GET", "/publicCloud/v1/regions", url.Values{"limit": {"5"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if want := "/leaseweb/publicCloud/v1/regions?limit=5"; got != want {
		t.Errorf("request URI = %q, want %q", got, want)
	}
}

func TestRedirectToOtherHostRefused(t *testing.T) {
	var leaked bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = r.Header.Get("X-LSW-Auth") != ""
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// 127.0.0.1 and localhost are different hosts to the client.
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/x", nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if leaked {
		t.Error("API key sent to the redirect target")
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	clock := newFakeClock()
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL, Timeout: 30 * time.Millisecond,
		MaxRetries: 1, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/slow", nil, nil, nil)
	want := "GET /slow: no complete answer within 30ms (gave up after 2 attempts)"
	if errString(err) != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Error("a per-attempt timeout must not look like the caller's deadline")
	}
}
