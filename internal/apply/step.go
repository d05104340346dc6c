package apply

// What an interrupt stops.
//
// A step is "in flight" from the moment it takes its first write slot. Before
// that it has changed nothing: it may be waiting for a slot (at
// --parallelism 1, nineteen of twenty creates are), or reading (waiting for
// an object to settle, looking a key up). The first Ctrl-C cancels all of
// that: the step's context is cancelled, a Write that has not yet taken its
// slot returns ErrInterrupted without calling, and the step ends
// "not started", with no hook calls.
//
// Once a step has written, it runs to completion, as an operation in flight
// does in Terraform: its remaining writes, the wait for readiness, and the
// look-ups that make a create safe (adopting a create whose answer was
// lost) all keep a context the interrupt does not cancel. Stopping a step
// half-way would leave an object between two states that no summary line
// could describe (a replacement's old half deleted and its new half never
// created, a create never checked for a duplicate); the cost is that the
// first Ctrl-C may wait for an instance to finish booting. A second Ctrl-C
// exits at once (the CLI's job).
//
// The decision "interrupted or in flight" is taken under one mutex by both
// sides — the interrupt and the first Write — so a step is never both.

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// ErrInterrupted is what Env.Write returns when the walk was interrupted
// before the step's first write: the call was not made.
var ErrInterrupted = errors.New("interrupted before the first write")

// stepRun is one step's execution and the Env its executor gets.
type stepRun struct {
	w       *walk
	step    *plan.Step
	walkCtx context.Context
	ctx     context.Context // the executor's: cancelled by an interrupt only before the first write
	cancel  context.CancelCauseFunc
	unhook  func() bool
	begun   time.Time

	mu        sync.Mutex
	inFlight  bool // a write slot was taken: an interrupt no longer stops the step
	stopped   bool // the interrupt came first
	announced bool
	start     time.Time
	ticker    chan struct{} // closed to stop StillRunning
}

func newStepRun(walkCtx context.Context, w *walk, step *plan.Step) *stepRun {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(walkCtx))
	s := &stepRun{w: w, step: step, walkCtx: walkCtx, ctx: ctx, cancel: cancel, begun: time.Now()}
	s.unhook = context.AfterFunc(walkCtx, s.interrupt)
	return s
}

// interrupt stops the step unless it is already in flight.
func (s *stepRun) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.inFlight {
		s.stopped = true
		s.cancel(ErrInterrupted)
	}
}

// begin marks the step in flight, unless the walk was interrupted first.
// The walk's context is checked as well as the flag: AfterFunc runs
// interrupt on its own goroutine, possibly after this.
func (s *stepRun) begin() bool {
	s.mu.Lock()
	if !s.inFlight {
		if s.stopped || s.walkCtx.Err() != nil {
			s.stopped = true
			s.mu.Unlock()
			return false
		}
		s.inFlight = true
	}
	s.mu.Unlock()
	s.announce()
	return true
}

// Write runs call while holding a write slot. The call gets a context the
// interrupt does not cancel: a request is never cut off half-way.
func (s *stepRun) Write(ctx context.Context, call func(context.Context) error) error {
	select {
	case s.w.slots <- struct{}{}:
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.w.slots }()
	if !s.begin() {
		return ErrInterrupted
	}
	return call(context.WithoutCancel(ctx))
}

// ID returns the live id of a known so far.
func (s *stepRun) ID(a model.Address) (string, bool) { return s.w.id(a) }

// announce fires PreStep once and starts the StillRunning ticker.
func (s *stepRun) announce() {
	s.mu.Lock()
	if s.announced {
		s.mu.Unlock()
		return
	}
	s.announced = true
	s.start = time.Now()
	if !s.inFlight {
		s.start = s.begun // announced at the end: it took this long
	}
	s.ticker = make(chan struct{})
	s.mu.Unlock()
	s.w.opts.Hook.PreStep(s.step)
	go s.w.still(s.step, s.start, s.ticker)
}

// status classifies how the executor ended. An error caused by the
// interrupt before any write means the step did not start; any other error
// is a failure, interrupt or not.
func (s *stepRun) status(err error) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		return Done
	case s.stopped && !s.inFlight && (errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled)):
		return NotStarted
	}
	return Failed
}

// end stops the ticker and releases the step's context.
func (s *stepRun) end() {
	s.unhook()
	s.mu.Lock()
	if s.ticker != nil {
		close(s.ticker)
		s.ticker = nil
	}
	s.mu.Unlock()
	s.cancel(nil)
}

func (s *stepRun) elapsed() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.start)
}
