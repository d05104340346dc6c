// Package engine is the pipeline: load and validate the configuration, read
// live state through the providers, diff, plan, and apply. It wires
// providers to diff, plan and apply, which never see a provider themselves.
//
// Planning and applying share one code path: Plan does everything up to the
// first write, and Apply carries out a plan that Plan produced.
package engine

import (
	"io"
	"net/http"
	"os"
	"sort"

	"github.com/lswctl/lswctl/internal/config"
	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
)

// Options are everything the pipeline takes from the command line and the
// environment.
type Options struct {
	Paths     []string
	Cwd       string
	LookupEnv func(string) (string, bool)
	Version   string

	// HTTPClient, when set, is used by every provider (the sandbox's
	// in-process transport, or a test's).
	HTTPClient *http.Client
	Sandbox    bool
	Debug      io.Writer

	// Replace forces replacement of these addresses ("instance.web-1").
	Replace []string
}

// Engine holds a loaded, validated configuration and the providers it needs.
type Engine struct {
	opts     Options
	cfg      *config.Config
	declared map[model.Address]*model.Resource
	schemas  map[string]model.KindSchema // by singular kind
	kinds    map[string]providers.Kind   // by singular kind
	replace  []model.Address
	// liveIDs are the ids of the live objects the last plan read.
	liveIDs map[model.Address]string
}

// Load reads and validates the configuration. It contacts nothing: a
// configuration with errors never reaches an API. Errors are a diag.List.
func Load(opts Options) (*Engine, error) {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	if opts.Cwd == "" {
		opts.Cwd, _ = os.Getwd()
	}
	cfg, err := config.Load(opts.Paths, config.Options{Cwd: opts.Cwd, LookupEnv: opts.LookupEnv})
	if err != nil {
		return nil, err
	}
	e := &Engine{opts: opts, cfg: cfg, declared: map[model.Address]*model.Resource{}}
	for i := range cfg.Resources {
		r := &cfg.Resources[i]
		e.declared[r.Addr] = r
	}
	var errs diag.List
	for _, s := range opts.Replace {
		a, err := model.ParseAddress(s)
		if err != nil {
			errs.Addf("", 0, 0, "--replace", "%v", err)
			continue
		}
		e.replace = append(e.replace, a)
	}
	errs = append(errs, e.checkCycles()...)
	return e, errs.Err()
}

// Config returns the loaded configuration.
func (e *Engine) Config() *config.Config { return e.cfg }

// checkCycles reports reference cycles among declared objects, with the
// position of every member.
func (e *Engine) checkCycles() diag.List {
	g := map[model.Address][]model.Address{}
	for a, r := range e.declared {
		for _, ref := range r.Refs() {
			g[a] = append(g[a], ref.To)
		}
	}
	cycle := plan.Cycle(g)
	if cycle == nil {
		return nil
	}
	first := e.declared[cycle[0]]
	err := &diag.Error{File: first.Pos.File, Line: first.Pos.Line, Col: first.Pos.Col,
		Path: e.yamlPath(cycle[0], ""), Msg: "reference cycle: " + joinAddrs(cycle)}
	for _, a := range cycle[1:] {
		p := e.declared[a].Pos
		err.Related = append(err.Related, diag.Related{File: p.File, Line: p.Line, Col: p.Col, Msg: a.String()})
	}
	return diag.List{err}
}

// neededKinds are the singular kinds to read: declared ones and the ones
// settings.prune and settings.watch name.
func (e *Engine) neededKinds() []string {
	set := map[string]bool{}
	for a := range e.declared {
		set[a.Kind] = true
	}
	for _, plural := range append(append([]string(nil), e.cfg.Settings.Prune...), e.cfg.Settings.Watch...) {
		if k, ok := config.KindOf(plural); ok {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func joinAddrs(as []model.Address) string {
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a.String()
	}
	return s
}
