package main

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
)

// The soak's fault injector: an http.RoundTripper wrapped around the
// in-process sandbox's transport (cli.Env.WrapTransport), so no sandbox
// change is needed. Every API request draws once against the fault rate;
// a faulted request gets one of:
//
//	503      answered 503 without reaching the API
//	lost     reaches the API and is applied, then the answer is lost: a 500,
//	         a 503 or a connection reset (the "write landed, answer lost" case)
//	reset    the connection is reset before the request reaches the API
//	refused  the connection is refused (the request never left the client)
//	429      answered 429 with Retry-After: 1, without reaching the API
//	shrink   a first-page read of the target group list, answered truly, but
//	         between that page and the next ones stray groups are deleted
//	         out of band (see shrink)
//
// A draw is a hash of the seed, the iteration, the request (method, path,
// query and body with ids blanked) and how often that request was seen in
// this run, not a shared RNG: the fault a given request meets does not depend
// on how parallel steps interleave, only its arrival rank among identical
// requests does. A request is faulted at most soakMaxStreak times in a row.

type soakFault int

const (
	soakNoFault soakFault = iota
	soak503
	soakLost
	soakReset
	soakRefused
	soak429
	soakShrink
	soakFaultKinds
)

var soakFaultNames = [soakFaultKinds]string{"none", "503", "lost answer", "reset", "refused", "429", "shrink"}

// soakFaultWeights weigh the kinds a faulted request gets, out of 20: 429 is one
// fault in twenty because each costs a real second (Retry-After: 1), and
// stalls every request of the run for that second.
var soakFaultWeights = []struct {
	kind   soakFault
	weight int
}{{soak503, 6}, {soakLost, 6}, {soakReset, 4}, {soakRefused, 3}, {soak429, 1}}

// soakMaxStreak is how many times in a row one request (the same key: its
// retries, or polls of the same kind of object) may be faulted. The client's
// back-off doubles with every retry, so longer streaks add seconds of
// sleep and little coverage.
const soakMaxStreak = 2

// soakShrinkFactor times the fault rate is the chance that a first-page read of
// the unfiltered target group list is followed by a shrink (0.5 at 20 %):
// higher than the fault rate because an apply reads that list only once or
// twice.
const soakShrinkFactor = 2.5

const soakTGPath = "/publicCloud/v1/targetGroups"

type soakInjector struct {
	seed uint64
	rate float64

	mu      sync.Mutex
	iter    int
	on      bool
	seen    map[string]int // requests seen per key in this run
	streak  map[string]int // faults in a row per key in this run
	counts  [soakFaultKinds]int
	total   int // API requests while on
	shrinks []soakShrinkEvent
}

// soakShrinkEvent is one shrink: the strays it deleted and the managed group
// that slid from page 2 onto page 1 ("" when none did).
type soakShrinkEvent struct {
	iter    int
	deleted []string
	slid    string
}

func newSoakInjector(seed uint64, rate float64) *soakInjector {
	return &soakInjector{seed: seed, rate: rate}
}

// begin turns faults on for iteration iter; end turns them off.
func (f *soakInjector) begin(iter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.iter, f.on, f.seen, f.streak = iter, true, map[string]int{}, map[string]int{}
}

func (f *soakInjector) end() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on = false
}

func (f *soakInjector) wrap(next http.RoundTripper) http.RoundTripper {
	return &soakTransport{f: f, next: next}
}

var soakUUIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// decide draws the fault for one request, and a number that splits a lost
// answer into its three forms.
func (f *soakInjector) decide(req *http.Request, body []byte) (soakFault, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.on || !strings.HasPrefix(req.URL.Path, "/publicCloud/") {
		return soakNoFault, 0
	}
	f.total++
	key := soakUUIDs.ReplaceAllString(req.Method+" "+req.URL.Path+"?"+req.URL.RawQuery+" "+string(body), "{id}")
	n := f.seen[key]
	f.seen[key]++
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s|%d", f.seed, f.iter, key, n)
	r := rand.New(rand.NewPCG(h.Sum64(), f.seed))
	kind := soakNoFault
	switch {
	case soakShrinkable(req):
		if r.Float64() < f.rate*soakShrinkFactor {
			kind = soakShrink
		}
	case r.Float64() < f.rate && f.streak[key] < soakMaxStreak:
		w := r.IntN(20)
		for _, fw := range soakFaultWeights {
			if w -= fw.weight; w < 0 {
				kind = fw.kind
				break
			}
		}
	}
	f.counts[kind]++
	if kind == soakNoFault || kind == soakShrink {
		f.streak[key] = 0
	} else {
		f.streak[key]++
	}
	return kind, r.IntN(3)
}

// soakShrinkable reports whether req reads the first page of the whole
// target group list.
func soakShrinkable(req *http.Request) bool {
	if req.Method != http.MethodGet || req.URL.Path != soakTGPath {
		return false
	}
	for k := range req.URL.Query() {
		if k != "limit" {
			return false
		}
	}
	return true
}

type soakTransport struct {
	f    *soakInjector
	next http.RoundTripper
}

func (t *soakTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	fresh := func() *http.Request {
		c := req.Clone(req.Context())
		c.Body = io.NopCloser(bytes.NewReader(body))
		c.ContentLength = int64(len(body))
		return c
	}
	kind, form := t.f.decide(req, body)
	switch kind {
	case soak503:
		return soakFaultAnswer(req, http.StatusServiceUnavailable, 0), nil
	case soak429:
		return soakFaultAnswer(req, http.StatusTooManyRequests, 1), nil
	case soakReset:
		return nil, soakConnError("read", syscall.ECONNRESET)
	case soakRefused:
		return nil, soakConnError("dial", syscall.ECONNREFUSED)
	case soakLost:
		resp, err := t.next.RoundTrip(fresh())
		if err != nil {
			return nil, err
		}
		soakDrain(resp)
		switch form {
		case 0:
			return nil, soakConnError("read", syscall.ECONNRESET)
		case 1:
			return soakFaultAnswer(req, http.StatusInternalServerError, 0), nil
		}
		return soakFaultAnswer(req, http.StatusServiceUnavailable, 0), nil
	case soakShrink:
		resp, err := t.next.RoundTrip(fresh())
		if err != nil || resp.StatusCode != http.StatusOK {
			return resp, err
		}
		return t.f.shrink(req, resp, t.next)
	}
	return t.next.RoundTrip(fresh())
}

func soakDrain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// soakFaultAnswer is an API error answer in the documented error shape.
func soakFaultAnswer(req *http.Request, status, retryAfter int) *http.Response {
	body := fmt.Sprintf(`{"correlationId":"soak-fault","errorCode":"%d","errorMessage":"injected by the chaos soak"}`, status)
	h := http.Header{"Content-Type": {"application/json"}}
	if retryAfter > 0 {
		h.Set("Retry-After", fmt.Sprint(retryAfter))
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Request: req,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
	}
}

type soakAddr struct{}

func (soakAddr) Network() string { return "tcp" }
func (soakAddr) String() string  { return "sandbox:443" }

// soakConnError is what a real transport returns for a reset or refused
// connection.
func soakConnError(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Addr: soakAddr{}, Err: os.NewSyscallError(op, errno)}
}
