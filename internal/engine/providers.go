package engine

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// connect builds the providers serving the needed kinds, once each.
func (e *Engine) connect() error {
	if e.kinds != nil {
		return nil
	}
	e.kinds = map[string]providers.Kind{}
	built := map[string]providers.Provider{}
	needed := e.neededKinds()
	for _, kind := range needed {
		reg, ok := providers.ForKind(kind)
		if !ok {
			return fmt.Errorf("no provider serves %s objects yet", kind)
		}
		p, ok := built[reg.Name]
		if !ok {
			var err error
			p, err = reg.Factory(providers.Config{
				LookupEnv:  e.opts.LookupEnv,
				HTTPClient: e.opts.HTTPClient,
				Sandbox:    e.opts.Sandbox,
				Version:    e.opts.Version,
				Debug:      e.opts.Debug,
			})
			if err != nil {
				return fmt.Errorf("%s provider: %w", reg.Name, err)
			}
			built[reg.Name] = p
		}
		for _, k := range p.Kinds() {
			if s := k.Schema().Kind; slices.Contains(needed, s) {
				e.kinds[s] = k // only what the configuration needs is read
			}
		}
	}
	return nil
}

// pluralOf maps a singular kind back to its configuration key.
func pluralOf(kind string) string {
	if s, ok := providers.Schemas()[kind]; ok && s.Plural != "" {
		return s.Plural
	}
	return kind + "s"
}

// readLive reads every needed kind. Each kind's provider pages and
// parallelises its own lists.
func (e *Engine) readLive(ctx context.Context) ([]model.Resource, error) {
	kinds := map[string]bool{}
	for k := range e.kinds {
		kinds[k] = true
	}
	lists, err := e.readKinds(ctx, kinds)
	if err != nil {
		return nil, err
	}
	all := []model.Resource{} // not nil: e.live != nil says live state was read
	for _, k := range model.SortedKeys(lists) {
		all = append(all, lists[k]...)
	}
	e.live = all
	return all, nil
}

// readKinds reads the given kinds concurrently, marks their sensitive
// fields and fingerprints every object.
func (e *Engine) readKinds(ctx context.Context, kinds map[string]bool) (map[string][]model.Resource, error) {
	var (
		g  errgroup.Group
		mu sync.Mutex
	)
	out := map[string][]model.Resource{}
	for k := range kinds {
		g.Go(func() error {
			list, err := e.kinds[k].Read(ctx)
			if err != nil {
				return err
			}
			for i := range list {
				markSensitive(list[i].Attrs, e.schemas[k].Sensitive, "api")
				e.reportSecrets(list[i].Attrs)
				list[i].Fingerprint = fingerprint(list[i])
			}
			mu.Lock()
			defer mu.Unlock()
			out[k] = list
			return nil
		})
	}
	return out, g.Wait()
}

// markSensitive turns plain strings at sensitive paths into secrets.
func markSensitive(attrs model.Object, paths []string, source string) {
	for _, p := range paths {
		if s, ok := model.Get(attrs, p); ok {
			if str, ok := s.(string); ok {
				model.Set(attrs, p, model.NewSecret(str, source))
			}
		}
	}
}

// yamlPath names a declared object or one of its fields the way errors do:
// "instances.web-1.rootDisk.size", "loadBalancers.edge.listeners[1].port".
func (e *Engine) yamlPath(a model.Address, field string) string {
	p, ok := e.paths[a]
	if !ok {
		p = pluralOf(a.Kind) + "." + a.Name
	}
	if field != "" {
		p += "." + field
	}
	return p
}

// problem positions a message about an object (and optionally one of its
// fields) at its declaration, when it has one.
func (e *Engine) problem(a model.Address, field, msg string) *diag.Error {
	d, ok := e.declared[a]
	if !ok {
		return &diag.Error{Path: a.String(), Msg: msg}
	}
	pos := d.Pos
	if field != "" {
		pos = d.FieldPos(field)
	}
	return &diag.Error{File: pos.File, Line: pos.Line, Col: pos.Col, Path: e.yamlPath(a, field), Msg: msg}
}
