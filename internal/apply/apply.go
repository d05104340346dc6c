// Package apply walks a plan's dependency graph and carries out its steps.
//
// Every step gets a goroutine that waits for the steps it depends on; a
// separate semaphore of --parallelism slots bounds concurrent API writes, and
// executors hold a slot only around each write call (Env.Write), never while
// polling for readiness. When a step fails, the steps depending on it are
// skipped as "upstream failed" and the rest carry on. Cancelling the context
// (Ctrl-C) stops every step that has not yet written, including those
// queued for a write slot, while the ones in flight finish (step.go says
// what "in flight" means).
//
// Apply never prints: it reports through Hook, which the renderer implements.
package apply

import (
	"context"
	"sync"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// Executor carries out one step. The engine implements it with providers.
type Executor interface {
	// Execute performs step and returns the object's id (the new id after a
	// create or replace, the existing one otherwise).
	Execute(ctx context.Context, step *plan.Step, env Env) (string, error)
}

// Env is what an executor gets from the walk.
type Env interface {
	// Write runs call while holding one of the write slots. The first call
	// puts the step in flight. After an interrupt, a step not yet in flight
	// gets ErrInterrupted and call is not made.
	Write(ctx context.Context, call func(context.Context) error) error
	// ID returns the live id of addr as known so far: from a finished step
	// of this walk, or from the objects the plan read.
	ID(addr model.Address) (string, bool)
}

// Hook receives progress. Calls may come from several goroutines at once.
// PreStep fires when a step takes its first write slot (or, for a step that
// ends without writing, just before its PostStep); a step that never
// started gets no calls.
type Hook interface {
	PreStep(step *plan.Step)
	StillRunning(step *plan.Step, elapsed time.Duration)
	PostStep(step *plan.Step, result StepResult)
}

// Status is how a step ended.
type Status string

// The statuses.
const (
	Done           Status = "done"
	Failed         Status = "failed"
	UpstreamFailed Status = "upstream-failed"
	NotStarted     Status = "not-started" // the walk was interrupted first
)

// StepResult is the outcome of one step.
type StepResult struct {
	Key     string        `json:"key"`
	Addr    model.Address `json:"address"`
	Deposed bool          `json:"deposed,omitempty"`
	Action  plan.Action   `json:"action"`
	Status  Status        `json:"status"`
	ID      string        `json:"id,omitempty"`
	Err     error         `json:"-"`
	Elapsed time.Duration `json:"elapsed"`
	Because []string      `json:"because,omitempty"` // keys of failed dependencies, for skips
}

// Summary is the outcome of a walk, with results in plan order.
type Summary struct {
	Results     []StepResult
	Interrupted bool
}

// Count returns how many steps ended with status s.
func (s *Summary) Count(st Status) int {
	n := 0
	for _, r := range s.Results {
		if r.Status == st {
			n++
		}
	}
	return n
}

// OK reports whether the walk ran uninterrupted and every step was done. An
// interrupted walk is never a success, even when nothing was left undone.
func (s *Summary) OK() bool { return !s.Interrupted && s.Count(Done) == len(s.Results) }

// Options tune a walk.
type Options struct {
	// Parallelism bounds concurrent writes; default 10.
	Parallelism int
	Hook        Hook
	// StillEvery is how often StillRunning fires; default 10s.
	StillEvery time.Duration
	// KnownIDs are the ids of live objects the plan read, for references to
	// objects that have no step.
	KnownIDs map[model.Address]string
}

// Run walks the plan. It returns when every step has ended or, after ctx is
// cancelled, when the steps in flight have finished; the others end
// NotStarted.
func Run(ctx context.Context, p *plan.Plan, exec Executor, opts Options) *Summary {
	if opts.Parallelism <= 0 {
		opts.Parallelism = 10
	}
	if opts.StillEvery <= 0 {
		opts.StillEvery = 10 * time.Second
	}
	if opts.Hook == nil {
		opts.Hook = nopHook{}
	}
	w := newWalk(p, opts)
	var wg sync.WaitGroup
	for i := range p.Steps {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w.runStep(ctx, exec, i)
		}(i)
	}
	wg.Wait()
	return &Summary{Results: w.results, Interrupted: ctx.Err() != nil}
}

type nopHook struct{}

func (nopHook) PreStep(*plan.Step)                     {}
func (nopHook) StillRunning(*plan.Step, time.Duration) {}
func (nopHook) PostStep(*plan.Step, StepResult)        {}
