package leaseweb

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestRetryPolicy(t *testing.T) {
	ms := time.Millisecond
	ok := answer(200, `{}`)
	tests := []struct {
		name         string
		method       string
		opts         []CallOption
		maxRetries   int
		steps        []step
		wantAttempts int
		wantStatus   int // 0: success or transport error
		wantErr      string
		wantSleeps   []time.Duration
	}{
		{name: "GET 503 twice", method: "GET", steps: []step{answer(503, ""), answer(503, ""), ok},
			wantAttempts: 3, wantSleeps: []time.Duration{250 * ms, 500 * ms}},
		{name: "GET 429 Retry-After seconds", method: "GET", steps: []step{answer(429, "", "Retry-After", "7"), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{7 * time.Second}},
		{name: "GET 503 Retry-After date", method: "GET",
			steps:        []step{answer(503, "", "Retry-After", newFakeClock().Now().Add(20*time.Second).Format(http.TimeFormat)), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{20 * time.Second}},
		{name: "Retry-After capped", method: "GET", steps: []step{answer(429, "", "Retry-After", "3600"), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{maxRetryAfter}},
		{name: "GET 500 502 504", method: "GET", steps: []step{answer(500, ""), answer(502, ""), answer(504, ""), ok},
			wantAttempts: 4, wantSleeps: []time.Duration{250 * ms, 500 * ms, time.Second}},
		{name: "GET dropped connection", method: "GET", steps: []step{drop, ok},
			wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "PUT 503", method: "PUT", steps: []step{answer(503, ""), ok}, wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "DELETE drop", method: "DELETE", steps: []step{drop, ok}, wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "GET 400 not retried", method: "GET", steps: []step{answer(400, `{"errorMessage":"bad"}`)},
			wantAttempts: 1, wantStatus: 400, wantErr: "GET /x: 400 Bad Request: bad"},
		{name: "GET 404 not retried", method: "GET", steps: []step{answer(404, "")}, wantAttempts: 1, wantStatus: 404},
		{name: "plain POST 500 not retried", method: "POST", steps: []step{answer(500, ""), ok},
			wantAttempts: 1, wantStatus: 500, wantErr: "POST /x: 500 Internal Server Error"},
		{name: "plain POST drop not retried", method: "POST", steps: []step{drop, ok},
			wantAttempts: 1, wantErr: "POST /x: read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer"},
		{name: "plain POST refused retried: it never reached the server", method: "POST", steps: []step{refused, answer(204, "")},
			wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "plain POST 429 retried: the server did not act", method: "POST", steps: []step{answer(429, "", "Retry-After", "1"), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{time.Second}},
		{name: "idempotent POST 503", method: "POST", opts: []CallOption{Idempotent()}, steps: []step{answer(503, ""), answer(202, "")},
			wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "idempotent POST drop", method: "POST", opts: []CallOption{Idempotent()}, steps: []step{drop, answer(204, "")},
			wantAttempts: 2, wantSleeps: []time.Duration{250 * ms}},
		{name: "gives up with the last error", method: "GET", maxRetries: 2,
			steps:        []step{answer(503, ""), answer(502, ""), answer(500, `{"errorMessage":"last"}`)},
			wantAttempts: 3, wantStatus: 500, wantSleeps: []time.Duration{250 * ms, 500 * ms},
			wantErr: "GET /x: 500 Internal Server Error: last (gave up after 3 attempts)"},
		{name: "permanent error after a retry", method: "GET", steps: []step{answer(503, ""), answer(404, "")},
			wantAttempts: 2, wantStatus: 404, wantErr: "GET /x: 404 Not Found", wantSleeps: []time.Duration{250 * ms}},
		{name: "default budget is 6 attempts", method: "GET", steps: []step{answer(503, "")},
			wantAttempts: 6, wantStatus: 503, wantSleeps: []time.Duration{250 * ms, 500 * ms, time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "retries disabled", method: "GET", maxRetries: -1, steps: []step{answer(503, "")}, wantAttempts: 1, wantStatus: 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rt, clock := newScripted(t, func(o *ClientOptions) { o.MaxRetries = tt.maxRetries }, tt.steps...)
			err := c.Do(context.Background(), tt.method, "/x", nil, nil, nil, tt.opts...)
			if n := len(rt.Requests()); n != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", n, tt.wantAttempts)
			}
			if got := StatusOf(err); got != tt.wantStatus {
				t.Errorf("status of %v = %d, want %d", err, got, tt.wantStatus)
			}
			if tt.wantErr != "" && errString(err) != tt.wantErr {
				t.Errorf("err = %q, want %q", errString(err), tt.wantErr)
			}
			if tt.wantStatus == 0 && tt.wantErr == "" && err != nil {
				t.Errorf("unexpected error %v", err)
			}
			if got := clock.Sleeps(); !reflect.DeepEqual(got, tt.wantSleeps) && (len(got) > 0 || len(tt.wantSleeps) > 0) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
		})
	}
}

// TestDroppedConnectionOverTCP drops real connections: a plain POST reaches
// the server once, a GET is repeated until it gets an answer.
func TestDroppedConnectionOverTCP(t *testing.T) {
	tests := []struct {
		method   string
		opts     []CallOption
		wantHits int32
		wantOK   bool
	}{
		{"POST", nil, 1, false},
		{"POST", []CallOption{Idempotent()}, 2, true},
		{"GET", nil, 2, true},
	}
	for _, tt := range tests {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
		clock := newFakeClock()
		// No keep-alive: Go's transport would itself replay a GET that failed on a reused connection.
		hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL, HTTPClient: hc, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		err = c.Do(context.Background(), tt.method, "/publicCloud/v1/instances", nil, map[string]int{"n": 1}, nil, tt.opts...)
		srv.Close()
		if got := hits.Load(); got != tt.wantHits || (err == nil) != tt.wantOK {
			t.Errorf("%s %v: hits = %d, err = %v; want hits %d, ok %v", tt.method, tt.opts != nil, got, err, tt.wantHits, tt.wantOK)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "POST /publicCloud/v1/instances: ") {
			t.Errorf("error %q does not name the call", err)
		}
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	// Real Sleep: the Retry-After of 30s must be cut short by the cancel.
	rt := &scriptRT{steps: []step{answer(503, "", "Retry-After", "30")}}
	c, err := NewClient(ClientOptions{APIKey: testKey, HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err = c.Do(ctx, "GET", "/x", nil, nil, nil)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Do returned after %s", el)
	}
	if !errors.Is(err, context.Canceled) || err.Error() != "GET /x: context canceled" {
		t.Errorf("err = %v, want GET /x: context canceled", err)
	}
	if n := len(rt.Requests()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestCancelInFlight(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.Do(ctx, "GET", "/x", nil, nil, nil)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Do returned after %s", el)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the caller's deadline", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		n          int
		jitter     float64
		retryAfter time.Duration
		want       time.Duration
	}{
		{0, 1, 0, 500 * time.Millisecond},
		{1, 1, 0, time.Second},
		{5, 1, 0, 16 * time.Second},
		{6, 1, 0, retryMaxDelay},
		{70, 1, 0, retryMaxDelay},
		{3, 0, 0, 0},
		{3, 0.25, 0, time.Second},
		{3, 0.25, 9 * time.Second, 9 * time.Second},
	}
	for _, tt := range tests {
		c := &Client{rand: func() float64 { return tt.jitter }}
		if got := c.backoff(tt.n, tt.retryAfter); got != tt.want {
			t.Errorf("backoff(%d, %s) with jitter %v = %s, want %s", tt.n, tt.retryAfter, tt.jitter, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                     0,
		"0":                    0,
		"5":                    5 * time.Second,
		" 12":                  12 * time.Second,
		"-3":                   0,
		"61":                   maxRetryAfter,
		"99999999999999999999": 0, // overflows: unparsable
		now.Add(30 * time.Second).Format(http.TimeFormat): 30 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
		now.Add(time.Hour).Format(http.TimeFormat):        maxRetryAfter,
		"soon": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestLimiterBackOff checks that a 429 pauses and slows every later request
// of the client, not only the one that got it, and that successes recover.
func TestLimiterBackOff(t *testing.T) {
	c, _, clock := newScripted(t, func(o *ClientOptions) { o.MaxRetries = -1 }, answer(429, "", "Retry-After", "5"), answer(200, "{}"))
	// Not retried (retries are off), but it still makes the limiter back off.
	if err := c.Do(context.Background(), "POST", "/a", nil, nil, nil); StatusOf(err) != 429 {
		t.Fatalf("err = %v, want 429", err)
	}
	if got := c.limiter.limit(); got != DefaultRateLimit/2 {
		t.Errorf("rate after 429 = %v, want %v", got, DefaultRateLimit/2)
	}
	if err := c.Do(context.Background(), "GET", "/b", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !reflect.DeepEqual(got, []time.Duration{5 * time.Second}) {
		t.Errorf("the next request waited %v, want the Retry-After [5s]", got)
	}
	if got, want := c.limiter.limit(), DefaultRateLimit/2+DefaultRateLimit/rateRecoverDiv; got != want {
		t.Errorf("rate after one success = %v, want %v", got, want)
	}
	for range 20 {
		if err := c.Do(context.Background(), "GET", "/b", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.limiter.limit(); got != DefaultRateLimit {
		t.Errorf("rate after recovery = %v, want %v", got, DefaultRateLimit)
	}
}

func TestLimiterHalvesOncePerIntervalWithFloor(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(16, 10, clock.Now)
	l.backOff(0)
	l.backOff(0) // same instant: a burst of 503s counts once
	if got := l.limit(); got != 8 {
		t.Errorf("rate = %v, want 8", got)
	}
	for range 10 {
		_ = clock.Sleep(context.Background(), 2*time.Second)
		l.backOff(0)
	}
	if got := l.limit(); got != 1 {
		t.Errorf("rate = %v, want the floor 1", got)
	}
	inf := newLimiter(rate.Inf, 10, clock.Now)
	inf.backOff(3 * time.Second)
	if inf.limit() != rate.Inf {
		t.Error("an unlimited limiter got a rate")
	}
	if err := inf.wait(context.Background(), clock.Sleep); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); got[len(got)-1] != 3*time.Second {
		t.Errorf("unlimited limiter ignored Retry-After: sleeps %v", got)
	}
}

func TestLimiterPaces(t *testing.T) {
	c, rt, clock := newScripted(t, func(o *ClientOptions) { o.RateLimit = 2 }, answer(204, ""))
	for range DefaultBurst + 2 {
		if err := c.Do(context.Background(), "GET", "/x", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rt.Requests()); n != DefaultBurst+2 {
		t.Fatalf("requests = %d", n)
	}
	want := []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}
	if got := clock.Sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("limiter waits = %v, want %v (burst %d, then 2/s)", got, want, DefaultBurst)
	}
}
