package apply

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

func addr(n string) model.Address { return model.Address{Kind: "instance", Name: n} }

func step(n string, deps ...string) plan.Step {
	s := plan.Step{Addr: addr(n), Action: plan.Create}
	for _, d := range deps {
		s.DependsOn = append(s.DependsOn, addr(d).String())
	}
	return s
}

// fakeExec records the order steps start and finish in and can fail or
// block chosen steps.
type fakeExec struct {
	mu        sync.Mutex
	finished  []string
	fail      map[string]bool
	block     map[string]chan struct{} // blocks the step's write call
	calls     atomic.Int32             // write calls made
	entering  chan string              // if set, told when a step is about to Write
	writing   chan string              // if set, told when a step's write call runs
	barrier   *barrier                 // if set, the readiness wait after the write, outside the slot
	writes    atomic.Int32
	maxWrites atomic.Int32
	sawIDs    map[string]string
}

func (f *fakeExec) Execute(ctx context.Context, s *plan.Step, env Env) (string, error) {
	for _, d := range s.DependsOn {
		a, _ := model.ParseAddress(d)
		id, ok := env.ID(a)
		if !ok {
			return "", fmt.Errorf("dependency %s has no id", d)
		}
		f.mu.Lock()
		f.sawIDs[s.Addr.Name+"->"+a.Name] = id
		f.mu.Unlock()
	}
	if f.entering != nil {
		f.entering <- s.Addr.Name
	}
	err := env.Write(ctx, func(context.Context) error {
		f.calls.Add(1)
		if f.writing != nil {
			f.writing <- s.Addr.Name
		}
		if ch := f.block[s.Addr.Name]; ch != nil {
			<-ch
		}
		n := f.writes.Add(1)
		for {
			m := f.maxWrites.Load()
			if n <= m || f.maxWrites.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		f.writes.Add(-1)
		return nil
	})
	if err != nil {
		return "", err
	}
	if f.barrier != nil {
		f.barrier.arrive()
	}
	f.mu.Lock()
	f.finished = append(f.finished, s.Addr.Name)
	f.mu.Unlock()
	if f.fail[s.Addr.Name] {
		return "", errors.New("boom")
	}
	return "id-" + s.Addr.Name, nil
}

func newFake() *fakeExec {
	return &fakeExec{fail: map[string]bool{}, block: map[string]chan struct{}{}, sawIDs: map[string]string{}}
}

func TestRunRespectsDependenciesAndPassesIDs(t *testing.T) {
	for range 20 {
		p := &plan.Plan{Steps: []plan.Step{step("lb", "tg"), step("tg", "a", "b"), step("a"), step("b")}}
		f := newFake()
		sum := Run(context.Background(), p, f, Options{})
		if !sum.OK() {
			t.Fatalf("not ok: %+v", sum.Results)
		}
		pos := map[string]int{}
		for i, n := range f.finished {
			pos[n] = i
		}
		if pos["tg"] < pos["a"] || pos["tg"] < pos["b"] || pos["lb"] < pos["tg"] {
			t.Fatalf("order violated: %v", f.finished)
		}
		if f.sawIDs["lb->tg"] != "id-tg" {
			t.Fatalf("lb saw tg id %q", f.sawIDs["lb->tg"])
		}
	}
}

// barrier holds every caller until n have arrived, or for a bound far beyond
// any scheduling delay, after which broken reports whether it gave up.
type barrier struct {
	n       int
	mu      sync.Mutex
	arrived int
	all     chan struct{}
	broken  atomic.Bool
}

func newBarrier(n int) *barrier { return &barrier{n: n, all: make(chan struct{})} }

func (b *barrier) arrive() {
	b.mu.Lock()
	b.arrived++
	if b.arrived == b.n {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
	case <-time.After(20 * time.Second):
		b.broken.Store(true)
	}
}

// TestRunBoundsWritesButNotWaits: each step's readiness wait lasts until
// all twelve steps have written. That can only happen if waiting holds no
// write slot (with 2 slots held by waiters nobody else could write).
func TestRunBoundsWritesButNotWaits(t *testing.T) {
	var steps []plan.Step
	for i := range 12 {
		steps = append(steps, step(fmt.Sprint(i)))
	}
	f := newFake()
	f.barrier = newBarrier(len(steps))
	sum := Run(context.Background(), &plan.Plan{Steps: steps}, f, Options{Parallelism: 2})
	if !sum.OK() {
		t.Fatal("not ok")
	}
	if got := f.maxWrites.Load(); got > 2 {
		t.Errorf("max concurrent writes = %d, want <= 2", got)
	}
	if f.barrier.broken.Load() {
		t.Error("the waits never all overlapped: waiting seems to hold write slots")
	}
}

func TestRunFailureSkipsDependentsOnly(t *testing.T) {
	p := &plan.Plan{Steps: []plan.Step{step("tg"), step("lis", "tg"), step("rule", "lis"), step("other")}}
	f := newFake()
	f.fail["tg"] = true
	sum := Run(context.Background(), p, f, Options{})
	want := map[string]Status{"tg": Failed, "lis": UpstreamFailed, "rule": UpstreamFailed, "other": Done}
	for _, r := range sum.Results {
		if r.Status != want[r.Addr.Name] {
			t.Errorf("%s: status %s, want %s", r.Addr.Name, r.Status, want[r.Addr.Name])
		}
	}
	if sum.OK() || sum.Count(Failed) != 1 || sum.Count(UpstreamFailed) != 2 {
		t.Errorf("counts wrong: %+v", sum.Results)
	}
	if r := sum.Results[1]; len(r.Because) != 1 || r.Because[0] != "instance.tg" {
		t.Errorf("lis because = %v", r.Because)
	}
}

func TestRunInterruptLetsInFlightFinish(t *testing.T) {
	p := &plan.Plan{Steps: []plan.Step{step("slow"), step("after", "slow")}}
	f := newFake()
	release := make(chan struct{})
	f.block["slow"] = release
	ctx, cancel := context.WithCancel(context.Background())
	hook := newRecHook()
	go func() {
		<-hook.started // slow is writing
		cancel()
		close(release)
	}()
	sum := Run(ctx, p, f, Options{Hook: hook})
	if !sum.Interrupted || sum.OK() {
		t.Errorf("interrupted = %v, ok = %v: an interrupted walk is never ok", sum.Interrupted, sum.OK())
	}
	if sum.Results[0].Status != Done {
		t.Errorf("in-flight step: %s, want done", sum.Results[0].Status)
	}
	if sum.Results[1].Status != NotStarted {
		t.Errorf("pending step: %s, want not-started", sum.Results[1].Status)
	}
}

// stillExec writes, then keeps "waiting for readiness" until the hook has
// reported it still running (bounded, so a broken ticker fails the test).
type stillExec struct{ hook *recHook }

func (x stillExec) Execute(ctx context.Context, _ *plan.Step, env Env) (string, error) {
	if err := env.Write(ctx, func(context.Context) error { return nil }); err != nil {
		return "", err
	}
	select {
	case <-x.hook.stillCh:
	case <-time.After(20 * time.Second):
	}
	return "id", nil
}

func TestRunStillRunning(t *testing.T) {
	hook := newRecHook()
	Run(context.Background(), &plan.Plan{Steps: []plan.Step{step("a")}}, stillExec{hook}, Options{Hook: hook, StillEvery: 5 * time.Millisecond})
	if hook.still.Load() == 0 {
		t.Error("StillRunning never fired")
	}
	if hook.pre.Load() != 1 || hook.post.Load() != 1 {
		t.Errorf("PreStep fired %d, PostStep %d times", hook.pre.Load(), hook.post.Load())
	}
}

// recHook counts hook calls; started receives every PreStep without ever
// blocking the walk (it holds more than any test has steps).
type recHook struct {
	started          chan string
	stillCh          chan struct{} // closed at the first StillRunning
	stillOnce        sync.Once
	pre, still, post atomic.Int32
}

func newRecHook() *recHook {
	return &recHook{started: make(chan string, 64), stillCh: make(chan struct{})}
}

func (h *recHook) PreStep(s *plan.Step) {
	h.pre.Add(1)
	h.started <- s.Addr.Name
}
func (h *recHook) StillRunning(*plan.Step, time.Duration) {
	h.still.Add(1)
	h.stillOnce.Do(func() { close(h.stillCh) })
}
func (h *recHook) PostStep(*plan.Step, StepResult) { h.post.Add(1) }
