package apply

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/plan"
)

// TestRunInterruptCancelsQueuedWrites is the --parallelism 1 case: twenty
// independent creates, an interrupt while the first one writes. The other
// nineteen are queued for the one write slot; none of them may write after
// the interrupt, and each ends "not started" with no hook calls.
func TestRunInterruptCancelsQueuedWrites(t *testing.T) {
	for trial := range 30 { // the interrupt races the slot hand-over: run it a bunch of times
		var steps []plan.Step
		for i := range 20 {
			steps = append(steps, step(fmt.Sprintf("web-%02d", i)))
		}
		f := newFake()
		f.entering, f.writing = make(chan string, 20), make(chan string, 20)
		release := make(chan struct{})
		for _, s := range steps {
			f.block[s.Addr.Name] = release // only the first write gets to block
		}
		ctx, cancel := context.WithCancel(context.Background())
		hook := newRecHook()
		go func() {
			<-f.writing // the first step holds the slot and is writing
			for range 20 {
				<-f.entering // every step has asked for a slot: nineteen are queued
			}
			cancel()
			close(release)
		}()
		sum := Run(ctx, &plan.Plan{Steps: steps}, f, Options{Parallelism: 1, Hook: hook})
		if got := f.calls.Load(); got != 1 {
			t.Fatalf("trial %d: %d write calls, want 1: queued steps wrote after the interrupt", trial, got)
		}
		if sum.Count(Done) != 1 || sum.Count(NotStarted) != 19 || !sum.Interrupted || sum.OK() {
			t.Fatalf("trial %d: done %d, not started %d, interrupted %v, ok %v", trial,
				sum.Count(Done), sum.Count(NotStarted), sum.Interrupted, sum.OK())
		}
		if pre, post := hook.pre.Load(), hook.post.Load(); pre != 1 || post != 1 {
			t.Fatalf("trial %d: PreStep %d, PostStep %d times, want 1 and 1", trial, pre, post)
		}
	}
}

// inFlightExec writes once, lets the test interrupt, then writes again and
// waits for readiness on its own context, as a real create does.
type inFlightExec struct {
	wrote, interrupted chan struct{}
	ctxErr             error
	second             error
}

func (x *inFlightExec) Execute(ctx context.Context, _ *plan.Step, env Env) (string, error) {
	if err := env.Write(ctx, func(context.Context) error { return nil }); err != nil {
		return "", err
	}
	close(x.wrote)
	<-x.interrupted
	// Polling for readiness would stop here if ctx were cancelled. The
	// cancellation would arrive on another goroutine, so give it time; this
	// bound can only make the test miss a regression, never fail a correct walk.
	select {
	case <-ctx.Done():
	case <-time.After(200 * time.Millisecond):
	}
	x.ctxErr = ctx.Err()
	x.second = env.Write(ctx, func(context.Context) error { return nil }) // e.g. powering the instance on
	return "id-1", errors.Join(x.ctxErr, x.second)
}

// TestRunInFlightStepCompletes: a step that has written is not cut short by
// an interrupt: its context stays live and its next writes are made.
func TestRunInFlightStepCompletes(t *testing.T) {
	x := &inFlightExec{wrote: make(chan struct{}), interrupted: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-x.wrote
		cancel()
		close(x.interrupted)
	}()
	sum := Run(ctx, &plan.Plan{Steps: []plan.Step{step("a")}}, x, Options{})
	if x.ctxErr != nil || x.second != nil {
		t.Errorf("in-flight step: context %v, second write %v; want both nil", x.ctxErr, x.second)
	}
	if r := sum.Results[0]; r.Status != Done || r.ID != "id-1" {
		t.Errorf("in-flight step: %s id %q, want done id-1", r.Status, r.ID)
	}
}

// waitingExec waits for its object to settle before writing, as an update
// does; the wait watches ctx.
type waitingExec struct {
	waiting chan struct{}
	calls   int
}

func (x *waitingExec) Execute(ctx context.Context, _ *plan.Step, env Env) (string, error) {
	close(x.waiting)
	awaitCancel(ctx)
	err := env.Write(ctx, func(context.Context) error { x.calls++; return nil })
	return "", fmt.Errorf("waiting for instance to settle: %w", errors.Join(ctx.Err(), err))
}

// TestRunInterruptStopsPreWriteWaits: a step that has not written yet is
// stopped even while it reads or waits, its late Write is refused, and it
// is reported "not started" rather than failed.
func TestRunInterruptStopsPreWriteWaits(t *testing.T) {
	x := &waitingExec{waiting: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-x.waiting
		cancel()
	}()
	hook := newRecHook()
	sum := Run(ctx, &plan.Plan{Steps: []plan.Step{step("a")}}, x, Options{Hook: hook})
	if x.calls != 0 {
		t.Errorf("a write was made after the interrupt")
	}
	if r := sum.Results[0]; r.Status != NotStarted {
		t.Errorf("status %s (%v), want not-started", r.Status, r.Err)
	}
	if hook.pre.Load()+hook.post.Load() != 0 {
		t.Errorf("hooks fired for a step that never started")
	}
}

// failingExec fails before writing for a reason of its own.
type failingExec struct{ waiting chan struct{} }

func (x failingExec) Execute(ctx context.Context, _ *plan.Step, _ Env) (string, error) {
	close(x.waiting)
	awaitCancel(ctx)
	return "", errors.New("contract.cancelReason is required")
}

// TestRunInterruptKeepsRealFailures: an error that is not the interrupt's
// stays a failure, so its message reaches the summary.
func TestRunInterruptKeepsRealFailures(t *testing.T) {
	x := failingExec{waiting: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-x.waiting
		cancel()
	}()
	sum := Run(ctx, &plan.Plan{Steps: []plan.Step{step("a")}}, x, Options{})
	if r := sum.Results[0]; r.Status != Failed || r.Err == nil {
		t.Errorf("status %s (%v), want failed with the message", r.Status, r.Err)
	}
}

// awaitCancel waits for ctx to be cancelled, or gives up after a bound far
// beyond any scheduling delay, so a walk that never cancels fails the test
// instead of hanging it.
func awaitCancel(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(20 * time.Second):
	}
}
