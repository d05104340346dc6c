package leaseweb

/*
Tests of the create protocol (createonce.go) against an in-memory API that
holds the objects of one key. Each test scripts one interleaving of the
proof's cases with channels, and chooses the ids, so that the run whose
object must lose is the one that would win if the protocol were missing a
step. TestCreateOnceRandomRaces runs many unscripted races.
*/

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/providers"
)

// fakeAPI holds the objects of one key. A create lands only while its
// context is live (a server never acts on a request after the client gave
// up: the lag createonce.go allows for is not modelled); its answer can
// still be lost or come too late.
type fakeAPI struct {
	mu      sync.Mutex
	objs    []string // ids of the live objects, in landing order
	ids     []string // ids to hand out, in order; random ones after
	rng     *rand.Rand
	creates int // creates that landed
	removes int // objects removed
	lookups int

	// Hooks, called without the lock; nil: none.
	beforeLand func(ctx context.Context, n int) error // n: 1 for the first create call
	afterLand  func(ctx context.Context, n int, id string) error
	onLookup   func(n int) // after lookup n answered
	calls      int         // create calls
}

func newFakeAPI(ids ...string) *fakeAPI {
	return &fakeAPI{ids: ids, rng: rand.New(rand.NewPCG(1, 2))}
}

func (f *fakeAPI) spec() onceSpec {
	return onceSpec{
		what: "widget w",
		lookup: func(ctx context.Context, _ []string) ([]candidate, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			f.mu.Lock()
			f.lookups++
			n := f.lookups
			out := make([]candidate, len(f.objs))
			for i, id := range f.objs {
				out[i] = candidate{id: id}
			}
			f.mu.Unlock()
			if f.onLookup != nil {
				f.onLookup(n)
			}
			return out, nil
		},
		create: func(ctx context.Context) (string, error) {
			f.mu.Lock()
			f.calls++
			n := f.calls
			f.mu.Unlock()
			if f.beforeLand != nil {
				if err := f.beforeLand(ctx, n); err != nil {
					return "", err
				}
			}
			f.mu.Lock()
			if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) || ctx.Err() != nil {
				f.mu.Unlock()
				return "", context.DeadlineExceeded // given up before it landed
			}
			id := fmt.Sprintf("%016x", f.rng.Uint64())
			if len(f.ids) > 0 {
				id, f.ids = f.ids[0], f.ids[1:]
			}
			f.objs = append(f.objs, id)
			f.creates++
			f.mu.Unlock()
			if f.afterLand != nil {
				if err := f.afterLand(ctx, n, id); err != nil {
					return "", err
				}
			}
			if err := ctx.Err(); err != nil {
				return "", err // landed, answer too late
			}
			return id, nil
		},
		remove: func(_ context.Context, id string) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			if i := slices.Index(f.objs, id); i >= 0 {
				f.objs = slices.Delete(f.objs, i, i+1)
				f.removes++
			}
			return nil
		},
	}
}

func (f *fakeAPI) live() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.objs)
}

// testOnce is quick but really waits: races need the window.
var testOnce = onceTimes{Window: 40 * time.Millisecond, Tries: 4, Backoff: time.Millisecond}

// result is what one run of the protocol returned.
type result struct {
	id  string
	err error
}

// runAll runs the protocol once per spec concurrently and returns the results.
func runAll(o onceTimes, specs ...onceSpec) []result {
	out := make([]result, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() {
			id, err := o.run(context.Background(), providers.NoGate, s)
			out[i] = result{id, err}
		})
	}
	wg.Wait()
	return out
}

// checkOne fails unless exactly one object is live and every run returned
// it without error.
func checkOne(t *testing.T, f *fakeAPI, results []result) string {
	t.Helper()
	live := f.live()
	if len(live) != 1 {
		t.Fatalf("%d live objects %v, want exactly 1 (results %v)", len(live), live, results)
	}
	for i, r := range results {
		if r.err != nil || r.id != live[0] {
			t.Errorf("run %d returned %q, %v; want %s", i+1, r.id, r.err, live[0])
		}
	}
	return live[0]
}

// barrier returns a function that blocks until n callers have arrived.
func barrier(n int) func(ctx context.Context) error {
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	return func(ctx context.Context) error {
		mu.Lock()
		if arrived++; arrived == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TestCreateOnceBothCreate: both runs see the key free and both create.
// The object with the smaller id keeps the key, although it landed second,
// and the other run deletes its own and adopts it.
func TestCreateOnceBothCreate(t *testing.T) {
	f := newFakeAPI("b-first", "a-second")
	both := barrier(2)
	f.beforeLand = func(ctx context.Context, n int) error {
		if err := both(ctx); err != nil {
			return err
		}
		if n == 2 {
			time.Sleep(5 * time.Millisecond) // the second call lands second
		}
		return nil
	}

	results := runAll(testOnce, f.spec(), f.spec())

	if id := checkOne(t, f, results); id != "a-second" {
		t.Errorf("kept %s, want the smaller id a-second", id)
	}
	if f.creates != 2 || f.removes != 1 {
		t.Errorf("%d creates and %d removes, want 2 and 1", f.creates, f.removes)
	}
}

// TestCreateOnceLateCreateIsAbandoned: run 2 looked the key up before run
// 1's object landed, but its create is held until run 1 has verified and
// returned. Its object would have the smaller id and keep the key while run
// 1 has already handed out its own: the window abandons the held create
// before it lands, and run 2 adopts run 1's object.
func TestCreateOnceLateCreateIsAbandoned(t *testing.T) {
	f := newFakeAPI("b-first", "a-late")
	run1Done := make(chan struct{})
	looked := make(chan struct{})
	f.onLookup = func(n int) {
		if n == 1 {
			close(looked) // run 2's lookup saw the key free
		}
	}
	f.beforeLand = func(ctx context.Context, n int) error {
		if n == 1 { // run 2's create: hold it until run 1 is done
			select {
			case <-run1Done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
	s1, s2 := f.spec(), f.spec()
	var r1, r2 result
	var wg sync.WaitGroup
	wg.Go(func() {
		r2.id, r2.err = testOnce.run(context.Background(), providers.NoGate, s2)
	})
	<-looked
	r1.id, r1.err = testOnce.run(context.Background(), providers.NoGate, s1)
	close(run1Done)
	wg.Wait()

	if id := checkOne(t, f, []result{r1, r2}); id != "b-first" {
		t.Errorf("kept %s, want run 1's b-first, which it returned first", id)
	}
	if f.creates != 1 {
		t.Errorf("%d creates landed, want 1: the held one must never land", f.creates)
	}
}

// TestCreateOnceAdopterWaits: run 3 looks the key up when only run 1's
// object has landed; run 2's, with a smaller id, lands just after. Run 3
// must not adopt the object it saw first, which run 1 then deletes.
func TestCreateOnceAdopterWaits(t *testing.T) {
	f := newFakeAPI("b-first", "a-second")
	run3Looked := make(chan struct{})
	both := barrier(2)
	f.beforeLand = func(ctx context.Context, n int) error {
		if err := both(ctx); err != nil {
			return err
		}
		if n == 2 {
			select {
			case <-run3Looked:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
	s3 := f.spec()
	lookup := s3.lookup
	s3.lookup = func(ctx context.Context, own []string) ([]candidate, error) {
		c, err := lookup(ctx, own)
		if len(c) > 0 {
			select {
			case <-run3Looked:
			default:
				close(run3Looked)
			}
		}
		return c, err
	}
	var r3 result
	var wg sync.WaitGroup
	wg.Go(func() {
		for len(f.live()) == 0 { // run 3 looks once run 1's object is there
			time.Sleep(time.Millisecond)
		}
		r3.id, r3.err = testOnce.run(context.Background(), providers.NoGate, s3)
	})
	results := runAll(testOnce, f.spec(), f.spec())
	wg.Wait()

	if id := checkOne(t, f, append(results, r3)); id != "a-second" {
		t.Errorf("kept %s, want a-second", id)
	}
	if f.creates != 2 || f.removes != 1 {
		t.Errorf("%d creates and %d removes, want 2 and 1", f.creates, f.removes)
	}
}

// TestCreateOnceLostAnswer: run 1's create lands but its answer is lost
// while run 2 creates too. Run 1 does not know its id; the objects its
// lookup finds are verified as its own, so whichever loses is deleted.
func TestCreateOnceLostAnswer(t *testing.T) {
	for _, ids := range [][]string{{"a-lost", "b-other"}, {"b-lost", "a-other"}} {
		t.Run(ids[0], func(t *testing.T) {
			f := newFakeAPI(ids...)
			both := barrier(2)
			f.beforeLand = func(ctx context.Context, _ int) error { return both(ctx) }
			f.afterLand = func(_ context.Context, _ int, id string) error {
				if strings.HasSuffix(id, "-lost") {
					return &transportError{method: "POST", path: "/widgets", err: syscall.ECONNRESET, transient: true}
				}
				return nil
			}

			results := runAll(testOnce, f.spec(), f.spec())

			if id := checkOne(t, f, results); !strings.HasPrefix(id, "a-") {
				t.Errorf("kept %s, want the smaller id", id)
			}
		})
	}
}

// TestCreateOnceRetries: a create that provably did not land (no
// connection, a 429, or an ambiguous failure after which a lookup finds
// nothing) is repeated, a bounded number of times; a refusal is not.
func TestCreateOnceRetries(t *testing.T) {
	dial := &transportError{method: "POST", path: "/widgets", err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, transient: true, unsent: true}
	tests := []struct {
		name              string
		fail              error
		failures          int
		wantCalls, lookup int
		wantErr           string
	}{
		{name: "connection refused", fail: dial, failures: 2, wantCalls: 3, lookup: 4},
		{name: "dns", fail: &transportError{method: "POST", path: "/widgets", err: &net.DNSError{Err: "no such host", Name: "api.example"}, unsent: true}, failures: 1, wantCalls: 2, lookup: 3},
		{name: "429", fail: &APIError{Status: http.StatusTooManyRequests}, failures: 1, wantCalls: 2, lookup: 3},
		{name: "500 before landing", fail: &APIError{Status: http.StatusInternalServerError}, failures: 3, wantCalls: 4, lookup: 8},
		{name: "gives up", fail: dial, failures: 9, wantCalls: 4, lookup: 4, wantErr: "gave up after 4 attempts"},
		{name: "refused", fail: &APIError{Status: http.StatusBadRequest}, failures: 1, wantCalls: 1, lookup: 1, wantErr: "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI()
			f.beforeLand = func(_ context.Context, n int) error {
				if n <= tt.failures {
					return tt.fail
				}
				return nil
			}

			id, err := sbSingleOnce.run(context.Background(), providers.NoGate, f.spec())

			if f.calls != tt.wantCalls || f.lookups != tt.lookup {
				t.Errorf("%d create calls and %d lookups, want %d and %d", f.calls, f.lookups, tt.wantCalls, tt.lookup)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || len(f.live()) != 0 {
					t.Errorf("run = %q, %v with %v live; want an error with %q and nothing live", id, err, f.live(), tt.wantErr)
				}
				return
			}
			checkOne(t, f, []result{{id, err}})
		})
	}
}

// TestCreateOnceGiveUpNamesTheAPIAnswer: when the last attempts were only
// abandoned at their deadline (a loaded machine, a slow API), giving up
// reports the API's answer to an earlier attempt, not "context deadline
// exceeded".
func TestCreateOnceGiveUpNamesTheAPIAnswer(t *testing.T) {
	f := newFakeAPI()
	f.beforeLand = func(_ context.Context, n int) error {
		if n == 1 {
			return &APIError{Status: http.StatusInternalServerError}
		}
		return context.DeadlineExceeded
	}
	_, err := sbSingleOnce.run(context.Background(), providers.NoGate, f.spec())
	if StatusOf(err) != http.StatusInternalServerError || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("run error %v, want the 500 and the attempts", err)
	}
}

// TestCreateOnceUnique: for a kind whose API refuses a second object with
// the key, a refused create adopts the object that holds it, and one that
// does not fit the declaration is a conflict naming it.
func TestCreateOnceUnique(t *testing.T) {
	for _, misfit := range []string{"", "protocol TCP, not HTTP"} {
		f := newFakeAPI()
		s := f.spec()
		s.unique = true
		s.refused = func(err error) bool { return StatusOf(err) == http.StatusBadRequest }
		lookup := s.lookup
		s.lookup = func(ctx context.Context, own []string) ([]candidate, error) {
			c, err := lookup(ctx, own)
			for i := range c {
				c[i].misfit = misfit
			}
			return c, err
		}
		f.beforeLand = func(_ context.Context, n int) error {
			// Another run adds it between the lookup and the create.
			f.mu.Lock()
			f.objs = append(f.objs, "theirs")
			f.mu.Unlock()
			return &APIError{Status: http.StatusBadRequest, ErrorMessage: "Port 80 is already used"}
		}

		id, err := testOnce.run(context.Background(), providers.NoGate, s)

		switch {
		case misfit == "" && (err != nil || id != "theirs"):
			t.Errorf("run = %q, %v; want theirs adopted", id, err)
		case misfit != "" && (err == nil || !strings.Contains(err.Error(), "theirs") || !strings.Contains(err.Error(), misfit)):
			t.Errorf("run = %q, %v; want a conflict naming theirs and %q", id, err, misfit)
		}
	}
}

// TestCreateOnceRemoveFails: when deleting a losing object fails, the error
// names the keeper and the duplicate left behind.
func TestCreateOnceRemoveFails(t *testing.T) {
	f := newFakeAPI("b-mine", "a-theirs")
	s := f.spec()
	s.remove = func(context.Context, string) error { return errors.New("503 Service Unavailable") }
	f.afterLand = func(_ context.Context, n int, _ string) error {
		if n == 1 { // another run's object lands right after ours
			f.mu.Lock()
			f.objs = append(f.objs, f.ids[0])
			f.ids = f.ids[1:]
			f.mu.Unlock()
		}
		return nil
	}

	_, err := testOnce.run(context.Background(), providers.NoGate, s)

	if err == nil || !strings.Contains(err.Error(), "a-theirs") || !strings.Contains(err.Error(), "b-mine") {
		t.Errorf("run error %v, want one naming the keeper a-theirs and the duplicate b-mine", err)
	}
}

// TestCreateOnceRandomRaces runs unscripted races of 2 to 4 runs with
// random delays around every call, some longer than the window, and some
// lost answers. Whatever the interleaving, one object is left and every
// run that succeeds returns it.
func TestCreateOnceRandomRaces(t *testing.T) {
	o := onceTimes{Window: 15 * time.Millisecond, Tries: 4, Backoff: time.Millisecond}
	jitter := rand.New(rand.NewPCG(7, 8))
	var mu sync.Mutex
	delay := func(ctx context.Context, max time.Duration) error {
		mu.Lock()
		d := time.Duration(jitter.Int64N(int64(max)))
		mu.Unlock()
		return sleepTimer(ctx, d)
	}
	var creates, removes, failed int
	for trial := range 60 {
		f := newFakeAPI()
		f.rng = rand.New(rand.NewPCG(uint64(trial), 3))
		f.beforeLand = func(ctx context.Context, _ int) error { return delay(ctx, 10*time.Millisecond) }
		f.afterLand = func(ctx context.Context, n int, _ string) error {
			if n%5 == 0 {
				return &transportError{method: "POST", path: "/widgets", err: syscall.ECONNRESET, transient: true}
			}
			return delay(ctx, 5*time.Millisecond)
		}
		specs := make([]onceSpec, 2+trial%3)
		for i := range specs {
			specs[i] = f.spec()
		}
		results := runAll(o, specs...)
		live := f.live()
		if len(live) > 1 {
			t.Fatalf("trial %d: %d live objects %v (results %v)", trial, len(live), live, results)
		}
		for _, r := range results {
			switch {
			case r.err == nil && (len(live) != 1 || r.id != live[0]):
				t.Fatalf("trial %d: a run returned %s, live %v", trial, r.id, live)
			case r.err != nil && !strings.Contains(r.err.Error(), "gave up"):
				t.Fatalf("trial %d: %v", trial, r.err)
			case r.err != nil:
				failed++ // too slow for the window four times in a row
			}
		}
		creates += f.creates
		removes += f.removes
	}
	t.Logf("60 races: %d creates landed, %d removed as losers, %d runs gave up", creates, removes, failed)
	if removes == 0 {
		t.Errorf("no race had two objects land: the test does not exercise the protocol")
	}
}
