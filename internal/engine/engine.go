// Package engine is the pipeline: load and validate the configuration, read
// live state through the providers, diff, plan, and apply. It wires
// providers to diff, plan and apply, which never see a provider themselves.
//
// Planning and applying share one code path: Plan does everything up to the
// first write, and Apply carries out a plan that Plan produced.
package engine

import (
	"fmt"
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

	// AllowExternalFiles lets {file: PATH} read outside the repository
	// holding the configuration (--allow-external-files).
	AllowExternalFiles bool
	// OnSecret, when set, receives every secret value lswctl learns: from
	// the configuration, and sensitive values read from the API.
	OnSecret func(value string)

	// Replace forces replacement of the objects these patterns match
	// ("instance.web-1", "instance.web-*"; plan.Pattern).
	Replace []string
	// Targets limit the plan to matching objects and their dependencies.
	Targets []string
}

// Engine holds a loaded, validated configuration and the providers it needs.
type Engine struct {
	opts    Options
	cfg     *config.Config
	schemas map[string]model.KindSchema // by singular kind, from the registry
	// desired are the declared objects, children split out of their parents.
	desired  []model.Resource
	declared map[model.Address]*model.Resource
	// paths are the YAML paths of declared objects ("loadBalancers.edge.listeners[1]").
	paths map[model.Address]string
	// childLists says which child kinds a declared parent lists.
	childLists map[model.Address][]string
	// replace are the addresses --replace expands to, once live state is
	// read (a saved plan records them expanded).
	replace []model.Address

	kinds map[string]providers.Kind // by singular kind, once connected
	// liveIDs are the ids of the live objects the last plan read.
	liveIDs map[model.Address]string
	// live are the live objects the last plan read, so that Verify can say
	// which object a saved plan touches moved since.
	live []model.Resource
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
	cfg, err := config.Load(opts.Paths, config.Options{Cwd: opts.Cwd, LookupEnv: opts.LookupEnv,
		AllowExternalFiles: opts.AllowExternalFiles, OnSecret: opts.OnSecret})
	if err != nil {
		return nil, err
	}
	e := &Engine{opts: opts, cfg: cfg, schemas: providers.Schemas(),
		declared: map[model.Address]*model.Resource{}, paths: map[model.Address]string{},
		childLists: map[model.Address][]string{}}
	errs := e.expand()
	if _, err := plan.ParsePatterns("--replace", opts.Replace); err != nil {
		errs.Addf("", 0, 0, "--replace", "%v", err)
	}
	errs = append(errs, e.checkRefs()...)
	return e, errs.Err()
}

// Config returns the loaded configuration.
func (e *Engine) Config() *config.Config { return e.cfg }

// Declared returns the declared objects, children split out of their
// parents, sorted by address.
func (e *Engine) Declared() []model.Resource { return e.desired }

// expand turns the configuration into the declared objects: every kind must
// be served by a provider, and child lists become objects of their own.
func (e *Engine) expand() diag.List {
	var errs diag.List
	for _, r := range e.cfg.Resources {
		ks, ok := e.schemas[r.Addr.Kind]
		if !ok {
			errs.Add(&diag.Error{File: r.Pos.File, Line: r.Pos.Line, Col: r.Pos.Col,
				Path: pluralOf(r.Addr.Kind) + "." + r.Addr.Name, Msg: "no provider serves " + r.Addr.Kind + " objects yet"})
			continue
		}
		r.Attrs = model.CloneObject(r.Attrs)
		markSensitive(r.Attrs, ks.Sensitive, "literal")
		e.paths[r.Addr] = ks.Plural + "." + r.Addr.Name
		for _, child := range ks.Children {
			e.desired = append(e.desired, e.splitChildren(&r, child)...)
		}
		e.desired = append(e.desired, r)
	}
	sort.SliceStable(e.desired, func(i, j int) bool { return e.desired[i].Addr.Less(e.desired[j].Addr) })
	for i := range e.desired {
		e.declared[e.desired[i].Addr] = &e.desired[i]
		e.reportSecrets(e.desired[i].Attrs) // children are marked sensitive only once split out
	}
	return errs
}

// checkRefs reports reference cycles among declared objects, with the
// position of every member, and references to objects declared absent.
func (e *Engine) checkRefs() diag.List {
	var errs diag.List
	g := map[string][]string{}
	for a, r := range e.declared {
		for _, ref := range r.Refs() {
			if !ref.Named() || ref.To == r.Parent {
				continue
			}
			g[a.String()] = append(g[a.String()], ref.To.String())
			if t := e.declared[ref.To]; t != nil && t.Ensure == model.Absent && r.Ensure != model.Absent {
				errs.Add(e.problem(a, "", fmt.Sprintf("refers to %s, which is declared ensure: absent", e.paths[ref.To])))
			}
		}
	}
	cycle := plan.Cycle(g)
	if cycle == nil {
		return errs
	}
	first, _ := model.ParseAddress(cycle[0])
	err := e.problem(first, "", "reference cycle: "+joinStrings(cycle))
	for _, s := range cycle[1:] {
		a, _ := model.ParseAddress(s)
		p := e.declared[a].Pos
		err.Related = append(err.Related, diag.Related{File: p.File, Line: p.Line, Col: p.Col, Msg: s})
	}
	return append(errs, err)
}

// neededKinds are the singular kinds to read: declared ones, the ones
// settings.prune and settings.watch name, and their child kinds.
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
	for k := range set {
		for _, c := range e.schemas[k].Children {
			set[c.Kind] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func joinStrings(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
