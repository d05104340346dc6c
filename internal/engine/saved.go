package engine

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
)

// StaleError lists what moved between a saved plan and now.
type StaleError struct {
	Moved []string
}

func (e *StaleError) Error() string {
	return "the plan is stale: live state changed since it was made, so applying it could undo or repeat work;" +
		" plan again and review the new plan\n  " + strings.Join(e.Moved, "\n  ")
}

// DifferError lists how a saved plan differs from the plan the
// configuration and live state make now, when no object it touches moved:
// a plan file edited by hand, or made by another lswctl.
type DifferError struct {
	Diffs []string
}

// maxDiffs bounds the differences an error lists: a file made for another
// configuration differs everywhere, and the first ones say so.
const maxDiffs = 50

func (e *DifferError) Error() string {
	shown := e.Diffs[:min(len(e.Diffs), maxDiffs)]
	more := ""
	if n := len(e.Diffs) - len(shown); n > 0 {
		more = fmt.Sprintf("\n  and %d more differences", n)
	}
	return "refusing to apply the saved plan: it is not the plan the configuration and live state make now;" +
		" plan again and review the new plan\n  " + strings.Join(shown, "\n  ") + more
}

// KnownKinds are the singular kinds the registered providers serve: the
// kinds a plan file may name.
func KnownKinds() map[string]bool {
	out := map[string]bool{}
	for k := range providers.Schemas() {
		out[k] = true
	}
	return out
}

// Verify makes a saved plan again and returns the plan made now, proven
// equal to the saved one: that is the plan to apply, never the file's own
// steps. A plan file is data, not a program: whoever can edit it must not
// be able to widen what the configuration allows, so protect, maxDeletes
// and prune come from the configuration, and only the plan's --target
// patterns and --replace addresses are taken from it (they can only narrow
// a plan, or replace what protect and maxDeletes still guard).
//
// In order, Verify refuses when the configuration is not the one the plan
// was made from; when a secret no longer has the digest the plan recorded
// (the plan holds only digests: the values are read again now); when an
// object a step touches moved since planning (a StaleError naming each);
// and when any step differs from the one made now (a DifferError naming
// each). It reads live state the way plan does. apply uses it for a plan
// file, and again for its own plan once the prompt is answered.
func (e *Engine) Verify(ctx context.Context, saved *plan.Plan) (*plan.Plan, error) {
	if saved.ConfigDigest != e.cfg.Digest {
		return nil, fmt.Errorf("the configuration changed since the plan was made (plan %s, now %s): plan again",
			short(saved.ConfigDigest), short(e.cfg.Digest))
	}
	if err := e.checkSecrets(saved); err != nil {
		return nil, err
	}
	e.live = nil
	now, err := e.remake(ctx, saved)
	if e.live == nil {
		return nil, err // live state could not be read
	}
	// What moved explains the rest, even a plan that no longer checks (a
	// type the API refuses now that the live object changed).
	if moved := e.moved(saved); len(moved) > 0 {
		return nil, &StaleError{Moved: moved}
	}
	if err != nil {
		return nil, err
	}
	if diffs := plan.Compare(saved, now); len(diffs) > 0 {
		return nil, &DifferError{Diffs: diffs}
	}
	return now, nil
}

// remake plans again, limited and forced as the saved plan was.
func (e *Engine) remake(ctx context.Context, saved *plan.Plan) (*plan.Plan, error) {
	replace := make([]model.Address, 0, len(saved.Replace))
	for _, r := range saved.Replace {
		a, err := model.ParseAddress(r)
		if err != nil {
			return nil, fmt.Errorf("the plan's --replace: %w", err)
		}
		replace = append(replace, a)
	}
	// The recorded addresses are expanded already: they are taken as they
	// are, never as patterns again.
	e.replace, e.opts.Replace, e.opts.Targets = replace, nil, saved.Targets
	return e.Plan(ctx)
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}

// checkSecrets refuses a saved plan whose secrets (digests only) no longer
// match the configuration's current values, naming each field. It needs no
// API: it runs before anything is read.
func (e *Engine) checkSecrets(p *plan.Plan) error {
	var changed []string
	for i := range p.Steps {
		s := &p.Steps[i]
		d := e.declared[s.Addr]
		model.Walk(s.After, "", func(path string, v any) {
			sec, ok := v.(model.Secret)
			if !ok || sec.Known() {
				return
			}
			var now any
			if d != nil {
				now, _ = model.Get(d.Attrs, path)
			}
			if cur, ok := now.(model.Secret); !ok || !cur.Equal(sec) {
				changed = append(changed, fmt.Sprintf("%s: the value from %s changed since the plan was made",
					e.yamlPath(s.Addr, path), sec.Source))
			}
		})
	}
	if len(changed) > 0 {
		sort.Strings(changed)
		return fmt.Errorf("refusing to apply the saved plan:\n  %s", strings.Join(changed, "\n  "))
	}
	return nil
}

// moved describes every object a saved plan touches that changed since it
// was read, from the live objects the plan made now read: an object to be
// created that exists now, an object that no longer exists, an object
// whose fingerprint changed (with the fields that moved).
func (e *Engine) moved(p *plan.Plan) []string {
	byID := map[string]*model.Resource{}
	byAddr := map[model.Address]*model.Resource{}
	for i := range e.live {
		l := &e.live[i]
		byID[l.Addr.Kind+"\x00"+l.ID] = l
		if l.Untouchable == "" {
			byAddr[l.Addr] = l
		}
	}
	var out []string
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.ID == "" {
			if l := byAddr[s.Addr]; l != nil {
				out = append(out, fmt.Sprintf("%s was to be created, but it exists now (id %s)", s.Addr, l.ID))
			}
			continue
		}
		now := byID[s.Addr.Kind+"\x00"+s.ID]
		switch {
		case now == nil:
			out = append(out, fmt.Sprintf("%s (id %s) no longer exists", s.Addr, s.ID))
		case now.Addr != s.Addr:
			// Another object's id: not a move, and Compare names it.
		case now.Fingerprint != s.Fingerprint:
			out = append(out, fmt.Sprintf("%s (id %s) changed since the plan was made%s",
				s.Addr, s.ID, movedFields(s.Before, now.Attrs)))
		}
	}
	return dedupe(out)
}

// dedupe drops repeated lines (both halves of a replacement moved).
func dedupe(lines []string) []string {
	seen := map[string]bool{}
	out := lines[:0]
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func addrStrings(as []model.Address) []string {
	if len(as) == 0 {
		return nil
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

// movedFields names the fields that differ between two readings.
func movedFields(before, now model.Object) string {
	var paths []string
	seen := map[string]bool{}
	for _, p := range append(model.Leaves(before), model.Leaves(now)...) {
		if seen[p] {
			continue
		}
		seen[p] = true
		a, _ := model.Get(before, p)
		b, _ := model.Get(now, p)
		if !diff.Equal(a, b) {
			paths = append(paths, fmt.Sprintf("%s: %s -> %s", p, model.Format(a), model.Format(b)))
		}
	}
	if len(paths) == 0 {
		return ""
	}
	sort.Strings(paths)
	return " (" + strings.Join(paths, "; ") + ")"
}

// gitCommit returns the commit checked out where the configuration lives,
// or "" outside a git repository.
func gitCommit(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// configDir is the directory of the first configuration file.
func (e *Engine) configDir() string {
	if len(e.cfg.Files) == 0 {
		return e.opts.Cwd
	}
	dir := filepath.Dir(e.cfg.Files[0])
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(e.opts.Cwd, dir)
	}
	return dir
}
