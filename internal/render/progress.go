package render

import (
	"io"
	"strings"
	"sync"
	"time"

	"github.com/lswctl/lswctl/internal/apply"
	"github.com/lswctl/lswctl/internal/plan"
)

// Progress prints apply progress, one line per event. It implements
// apply.Hook and is safe for concurrent use.
type Progress struct {
	mu sync.Mutex
	w  io.Writer
	st Style
}

// NewProgress returns a Progress writing to w.
func NewProgress(w io.Writer, st Style) *Progress { return &Progress{w: w, st: st} }

type phrases struct{ start, still, done, failed string }

var progressWords = map[plan.Action]phrases{
	plan.Create:           {"Creating...", "Still creating...", "Creation complete", "Creation failed"},
	plan.Update:           {"Modifying...", "Still modifying...", "Modifications complete", "Modification failed"},
	plan.Delete:           {"Destroying...", "Still destroying...", "Destruction complete", "Destruction failed"},
	plan.DeleteThenCreate: {"Replacing...", "Still replacing...", "Replacement complete", "Replacement failed"},
	plan.CreateThenDelete: {"Replacing...", "Still replacing...", "Replacement complete", "Replacement failed"},
}

func (p *Progress) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fprintf(p.w, format+"\n", args...)
}

// PreStep announces a step.
func (p *Progress) PreStep(s *plan.Step) {
	msg := progressWords[s.Action].start
	if s.ID != "" {
		msg += " [id=" + s.ID + "]"
	}
	p.line("%s: %s", p.st.bold(s.Key()), msg)
}

// StillRunning reports a long step.
func (p *Progress) StillRunning(s *plan.Step, elapsed time.Duration) {
	p.line("%s: %s [%s elapsed]", p.st.bold(s.Key()), progressWords[s.Action].still, elapsed)
}

// PostStep reports how a step ended.
func (p *Progress) PostStep(s *plan.Step, r apply.StepResult) {
	w := progressWords[s.Action]
	el := r.Elapsed.Round(time.Second)
	if r.Err != nil {
		p.line("%s: %s after %s: %v", p.st.bold(s.Key()), p.st.red(w.failed), el, r.Err)
		return
	}
	msg := sprintf("%s after %s", w.done, el)
	if r.ID != "" && s.Action != plan.Delete {
		msg += " [id=" + r.ID + "]"
	}
	p.line("%s: %s", p.st.bold(s.Key()), msg)
}

// Summary renders the end of an apply: counts, then what failed with the
// API's message, what was skipped because a dependency failed, and what was
// never started because of an interrupt.
func Summary(w io.Writer, sum *apply.Summary, st Style) error {
	var b strings.Builder
	var done plan.Counts
	for _, r := range sum.Results {
		if r.Status != apply.Done || r.Deposed {
			continue
		}
		switch {
		case r.Action == plan.Create:
			done.Add++
		case r.Action == plan.Update:
			done.Change++
		case r.Action.IsReplace():
			done.Replace++
		case r.Action == plan.Delete:
			done.Destroy++
		}
	}
	counts := sprintf("%d added, %d changed, %d replaced, %d destroyed", done.Add, done.Change, done.Replace, done.Destroy)
	switch {
	case sum.OK():
		fprintf(&b, "\n%s Resources: %s.\n", st.boldGreen("Apply complete!"), counts)
	case sum.Interrupted && sum.Count(apply.Failed) == 0:
		fprintf(&b, "\n%s Resources: %s; %d not started.\n", st.boldYellow("Apply interrupted."), counts, sum.Count(apply.NotStarted))
	default:
		fprintf(&b, "\n%s Resources: %s; %d failed.\n", st.boldRed("Apply failed."), counts, sum.Count(apply.Failed))
	}
	writeResults(&b, sum, apply.Failed, "Failed:", st, func(r apply.StepResult) string { return ": " + errText(r.Err) })
	writeResults(&b, sum, apply.UpstreamFailed, "Skipped because a dependency failed:", st, func(r apply.StepResult) string {
		return " (needs " + joinAddrs(r) + ")"
	})
	writeResults(&b, sum, apply.NotStarted, "Not started (interrupted):", st, func(apply.StepResult) string { return "" })
	_, err := io.WriteString(w, b.String())
	return err
}

func writeResults(b *strings.Builder, sum *apply.Summary, status apply.Status, title string, st Style, detail func(apply.StepResult) string) {
	if sum.Count(status) == 0 {
		return
	}
	fprintf(b, "%s\n", st.bold(title))
	for _, r := range sum.Results {
		if r.Status == status {
			fprintf(b, "  %s %s %s%s\n", symbols[r.Action], verbs[r.Action], r.Key, detail(r))
		}
	}
}

func joinAddrs(r apply.StepResult) string { return strings.Join(r.Because, ", ") }

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}
