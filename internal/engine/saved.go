package engine

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

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

// Verify checks that a saved plan can still be applied as planned: the
// configuration is the one it was made from, every secret still has the
// digest the plan recorded (the plan holds only digests; the values are
// read again now), and no object the plan touches moved. It re-reads only
// the objects the plan touches. On success the plan's secrets are bound to
// their current values, ready for Apply.
func (e *Engine) Verify(ctx context.Context, p *plan.Plan) error {
	if p.ConfigDigest != e.cfg.Digest {
		return fmt.Errorf("the configuration changed since the plan was made (plan %s, now %s): plan again",
			short(p.ConfigDigest), short(e.cfg.Digest))
	}
	if err := e.bindSecrets(p); err != nil {
		return err
	}
	if err := e.connect(); err != nil {
		return err
	}
	moved, err := e.moved(ctx, p)
	if err != nil {
		return err
	}
	if len(moved) > 0 {
		return &StaleError{Moved: moved}
	}
	return nil
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}

// bindSecrets replaces the digest-only secrets of a decoded plan with the
// configuration's current values, refusing when a value changed.
func (e *Engine) bindSecrets(p *plan.Plan) error {
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
			cur, ok := now.(model.Secret)
			if !ok || !cur.Equal(sec) {
				changed = append(changed, fmt.Sprintf("%s: the value from %s changed since the plan was made", e.yamlPath(s.Addr, path), sec.Source))
				return
			}
			model.Set(s.After, path, cur)
		})
	}
	if len(changed) > 0 {
		sort.Strings(changed)
		return fmt.Errorf("refusing to apply the saved plan:\n  %s", strings.Join(changed, "\n  "))
	}
	return nil
}

// moved re-reads what the plan touches and describes every object that
// changed: by id with a Refresher where the kind has one, by reading its
// kind otherwise and for creates (which have no id yet).
func (e *Engine) moved(ctx context.Context, p *plan.Plan) ([]string, error) {
	kinds := map[string]bool{}
	for _, s := range p.Steps {
		if _, ok := e.kinds[s.Addr.Kind].(providers.Refresher); !ok || s.ID == "" {
			kinds[s.Addr.Kind] = true
		}
	}
	lists, err := e.readKinds(ctx, kinds)
	if err != nil {
		return nil, err
	}
	var (
		g     errgroup.Group
		notes = make([]string, len(p.Steps))
	)
	g.SetLimit(checkConcurrency)
	for i := range p.Steps {
		s := &p.Steps[i]
		g.Go(func() (err error) {
			notes[i], err = e.movedStep(ctx, s, lists[s.Addr.Kind])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return out, nil
}

func (e *Engine) movedStep(ctx context.Context, s *plan.Step, list []model.Resource) (string, error) {
	if s.ID == "" {
		for _, l := range list {
			if l.Addr == s.Addr && l.Untouchable == "" {
				return fmt.Sprintf("%s was to be created, but it exists now (id %s)", s.Addr, l.ID), nil
			}
		}
		return "", nil
	}
	var now *model.Resource
	if r, ok := e.kinds[s.Addr.Kind].(providers.Refresher); ok {
		var err error
		if now, err = r.ReadOne(ctx, s.ID); err != nil {
			return "", fmt.Errorf("re-reading %s: %w", s.Addr, err)
		}
	} else {
		for i := range list {
			if list[i].ID == s.ID {
				now = &list[i]
			}
		}
	}
	if now == nil {
		return fmt.Sprintf("%s (id %s) no longer exists", s.Addr, s.ID), nil
	}
	markSensitive(now.Attrs, e.schemas[s.Addr.Kind].Sensitive, "api")
	if fingerprint(*now) != s.Fingerprint {
		return fmt.Sprintf("%s (id %s) changed since the plan was made%s", s.Addr, s.ID, movedFields(s.Before, now.Attrs)), nil
	}
	return "", nil
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
