package sandbox

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// APIKey is the X-LSW-Auth value lswctl sends in --sandbox mode. The server
// does not check it: any non-empty X-LSW-Auth is accepted, and a missing or
// empty one is answered 401 like the real API.
const APIKey = "lswctl-sandbox-key"

// Defaults of Options.
const (
	DefaultDelay    = 2 * time.Second
	DefaultPageSize = 10
)

// maxBodyBytes bounds the request bodies the sandbox reads.
const maxBodyBytes = 8 << 20

// Options configures a Server.
type Options struct {
	// StatePath is the state file. "" keeps state in memory only; otherwise
	// New loads it when it exists, and every request that changes state
	// (or sees a transition complete) saves it atomically (temporary file,
	// then rename). The file is read once: processes that use it one after
	// the other share state, processes running at the same time overwrite
	// each other's changes.
	StatePath string
	// Delay is how long a transitional state of an instance or a load
	// balancer lasts (CREATING→RUNNING, STARTING→RUNNING, STOPPING→STOPPED,
	// DESTROYING→DESTROYED); a target group stays locked (423) for Delay/2
	// after a register or deregister. 0 means DefaultDelay; negative means
	// immediately (the response to the request still shows the transitional
	// state; the next request sees the end) and no lock.
	Delay time.Duration
	// PageSize is the page size of lists when the client sends no limit;
	// 0 means DefaultPageSize. GET /instanceTypes and instanceTypesUpdate
	// use their documented default of 50 instead.
	PageSize int
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Faults is the initial fault configuration.
	Faults Faults
	// Seed seeds the RNG behind ids, addresses and ErrorRate; 0 seeds from
	// the time.
	Seed int64
}

// Server is the sandbox: an http.Handler that emulates the Leaseweb API.
// It is safe for concurrent use.
type Server struct {
	delay    time.Duration
	pageSize int
	clock    func() time.Time
	store    storage
	cat      *catalog
	api      router
	control  router

	mu     sync.Mutex // guards everything below
	st     *state
	rng    *rand.Rand
	faults faultState
	dirty  bool // st changed since the last save

	stats statsCollector
}

// New returns a Server, loading Options.StatePath when it exists.
func New(opts Options) (*Server, error) {
	if err := opts.Faults.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox faults: %w", err)
	}
	if opts.PageSize < 0 {
		return nil, fmt.Errorf("sandbox page size %d is negative", opts.PageSize)
	}
	s := &Server{
		delay:    cmp.Or(opts.Delay, DefaultDelay),
		pageSize: cmp.Or(opts.PageSize, DefaultPageSize),
		clock:    opts.Clock,
		store:    memoryStorage{},
		cat:      newCatalog(),
		st:       newState(),
		faults:   newFaultState(opts.Faults),
		stats:    statsCollector{s: newStats()},
	}
	s.delay = max(s.delay, 0)
	if s.clock == nil {
		s.clock = time.Now
	}
	seed := uint64(opts.Seed)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	if opts.StatePath != "" {
		s.store = fileStorage{path: opts.StatePath}
	}
	doc, err := s.store.load()
	if err != nil {
		return nil, err
	}
	if doc != nil {
		if s.st, err = s.buildState(doc, s.clock()); err != nil {
			return nil, fmt.Errorf("loading %s: %w", opts.StatePath, err)
		}
	}
	s.registerPublicCloud(&s.api)
	s.registerControl(&s.control)
	return s, nil
}

// ServeHTTP serves the Leaseweb API routes and the /_sandbox/ control
// routes. A dropped-connection fault hijacks and closes the connection;
// when the ResponseWriter cannot be hijacked (HTTP/2, a recorder) it panics
// with http.ErrAbortHandler, which net/http servers take as a silent abort.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, drop := s.serve(r)
	if drop {
		dropConnection(w)
		return
	}
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if len(resp.body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body) // a client that went away needs no answer
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// serve answers one request; drop reports that the connection must be
// dropped instead.
func (s *Server) serve(r *http.Request) (resp response, drop bool) {
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		return s.serveControl(r), false
	}
	s.stats.begin()
	key, fault := r.Method+" (no route)", false
	defer func() { s.stats.end(key, resp.status, drop, fault) }()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return response{}, true
	}
	if !s.sleep(r) {
		return response{}, true
	}
	rt, params, allowed := s.api.match(r.Method, r.URL.Path)
	if rt != nil {
		key = r.Method + " " + rt.template
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rq := &request{http: r, body: body, params: params, query: r.URL.Query(),
		now: s.clock(), correlationID: s.newUUID()}
	if s.advance(rq.now) {
		s.dirty = true // save what was observed, so every process continues from it
	}
	f := s.pickFault(r.Method, r.URL.Path, body)
	fault = f != nil
	if f != nil && !f.rule.AfterApply {
		return f.answer(rq), f.rule.Drop
	}
	resp = s.dispatch(rt, allowed, rq)
	if f == nil && s.shrinkAfterPage(rt, rq, resp) {
		fault = true // a shrink rule removed an object after this first page
	}
	if err := s.persist(); err != nil {
		resp = errorResponse(rq.correlationID, err)
	}
	if f != nil {
		return f.answer(rq), f.rule.Drop
	}
	return resp, false
}

// sleep waits for the configured latency; false means the client gave up
// meanwhile and the request is abandoned unapplied.
func (s *Server) sleep(r *http.Request) bool {
	s.mu.Lock()
	d := s.faults.cfg.Latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dispatch authenticates and routes an API request. Callers hold s.mu.
func (s *Server) dispatch(rt *route, allowed []string, rq *request) response {
	if rq.http.Header.Get("X-LSW-Auth") == "" {
		return errorResponse(rq.correlationID, &apiError{status: http.StatusUnauthorized,
			message: standardMessage(http.StatusUnauthorized)})
	}
	if rt == nil && len(allowed) > 0 {
		resp := errorResponse(rq.correlationID, &apiError{status: http.StatusMethodNotAllowed,
			message: fmt.Sprintf("Method %s is not allowed here; allowed: %s.", rq.http.Method, strings.Join(allowed, ", "))})
		resp.header.Set("Allow", strings.Join(allowed, ", "))
		return resp
	}
	if rt == nil {
		e := errNotFound()
		e.details = map[string][]string{"path": {"The sandbox has no route " + rq.http.Method + " " + rq.http.URL.Path + "."}}
		return errorResponse(rq.correlationID, e)
	}
	resp, err := rt.handle(rq)
	if err != nil {
		return errorResponse(rq.correlationID, err)
	}
	return resp
}

// persist saves the state when it changed. Callers hold s.mu.
func (s *Server) persist() error {
	if !s.dirty {
		return nil
	}
	s.dirty = false
	return s.store.save(s.st.document())
}

// SetFaults replaces the fault configuration and restarts every rule's
// Times. It does not validate (see Faults.Validate); a rule with neither a
// status nor Drop answers 503.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = newFaultState(f)
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the request counters.
func (s *Server) ResetStats() { s.stats.reset() }

// Reset removes every object, leaving the catalog, and saves when there is
// a state file. Faults and stats are kept.
func (s *Server) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState()
	s.dirty = true
	return s.persist()
}

// Seed replaces every object with those of a state document (the JSON of
// the state file; see the package documentation for the defaults it fills
// in), and saves when there is a state file. On error nothing changes.
func (s *Server) Seed(r io.Reader) error {
	doc, err := decodeDocument(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.buildState(doc, s.clock())
	if err != nil {
		return fmt.Errorf("seeding sandbox: %w", err)
	}
	s.st = st
	s.dirty = true
	return s.persist()
}

// Close saves the state when there is a state file. The Server stays usable.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dirty = true
	return s.persist()
}
