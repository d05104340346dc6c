package apply

import (
	"context"
	"sync"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// walk is the shared state of one Run. results and ids are written only
// through the mutex-guarded methods below.
type walk struct {
	p     *plan.Plan
	opts  Options
	slots chan struct{}
	done  map[string]chan struct{} // by step key
	index map[string]int

	mu      sync.Mutex
	results []StepResult
	ids     map[model.Address]string
}

func newWalk(p *plan.Plan, opts Options) *walk {
	w := &walk{
		p:       p,
		opts:    opts,
		slots:   make(chan struct{}, opts.Parallelism),
		done:    map[string]chan struct{}{},
		index:   map[string]int{},
		results: make([]StepResult, len(p.Steps)),
		ids:     map[model.Address]string{},
	}
	for a, id := range opts.KnownIDs {
		w.ids[a] = id
	}
	for i, s := range p.Steps {
		w.done[s.Key()] = make(chan struct{})
		w.index[s.Key()] = i
		w.results[i] = StepResult{Key: s.Key(), Addr: s.Addr, Deposed: s.Deposed, Action: s.Action, ID: s.ID}
	}
	return w
}

func (w *walk) runStep(ctx context.Context, exec Executor, i int) {
	step := &w.p.Steps[i]
	defer close(w.done[step.Key()])
	var failed []string
	for _, dep := range step.DependsOn {
		ch, ok := w.done[dep]
		if !ok {
			continue
		}
		select {
		case <-ch:
		case <-ctx.Done():
			w.finish(i, StepResult{Status: NotStarted})
			return
		}
		if st := w.status(dep); st != Done {
			failed = append(failed, dep)
		}
	}
	switch {
	case len(failed) > 0:
		w.finish(i, StepResult{Status: UpstreamFailed, Because: failed})
		return
	case ctx.Err() != nil:
		w.finish(i, StepResult{Status: NotStarted})
		return
	}
	w.execute(ctx, exec, i)
}

// execute runs one step. Until its first write the step can be stopped by
// an interrupt and then ends "not started"; from its first write on it is in
// flight and runs to completion (see stepRun).
func (w *walk) execute(ctx context.Context, exec Executor, i int) {
	step := &w.p.Steps[i]
	s := newStepRun(ctx, w, step)
	id, err := exec.Execute(s.ctx, step, s)
	r := StepResult{Status: s.status(err), ID: id, Err: err}
	if r.Status == NotStarted {
		s.end()
		w.finish(i, StepResult{Status: NotStarted})
		return
	}
	s.announce() // a step that never wrote is announced now, for its outcome
	s.end()
	r.Elapsed = s.elapsed()
	w.finish(i, r)
	w.opts.Hook.PostStep(step, w.result(i))
}

func (w *walk) still(step *plan.Step, start time.Time, stop <-chan struct{}) {
	t := time.NewTicker(w.opts.StillEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			w.opts.Hook.StillRunning(step, time.Since(start).Truncate(time.Second))
		}
	}
}

func (w *walk) finish(i int, r StepResult) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cur := &w.results[i]
	cur.Status, cur.Err, cur.Elapsed, cur.Because = r.Status, r.Err, r.Elapsed, r.Because
	if r.ID != "" {
		cur.ID = r.ID
	}
	step := &w.p.Steps[i]
	switch {
	case r.Status != Done || step.Deposed:
	case step.Action == plan.Delete:
		delete(w.ids, cur.Addr)
	case cur.ID != "":
		w.ids[cur.Addr] = cur.ID
	}
}

func (w *walk) status(key string) Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	if i, ok := w.index[key]; ok {
		return w.results[i].Status
	}
	return Done
}

func (w *walk) result(i int) StepResult {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.results[i]
}

func (w *walk) id(a model.Address) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id, ok := w.ids[a]
	return id, ok
}
