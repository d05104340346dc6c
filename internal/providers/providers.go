// Package providers defines what a provider is — a set of kinds, each with a
// schema and Create/Read/Update/Delete — and the registry providers join from
// their init functions. The engine is generic over kinds; adding a kind
// touches one provider file, the schema, the sandbox, an example and tests.
package providers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"

	"github.com/lswctl/lswctl/internal/model"
)

// Gate runs call while holding one of apply's --parallelism write slots.
// Kinds wrap every mutating API call in it and poll for readiness outside
// it, so waiting never blocks other writes.
type Gate func(ctx context.Context, call func(context.Context) error) error

// NoGate runs the call directly; for tests and read-only paths.
func NoGate(ctx context.Context, call func(context.Context) error) error { return call(ctx) }

// Op is one change handed to a kind: the object, its live id, its live
// attributes (Before) and its desired attributes with references resolved to
// ids (After), in the configuration's shape.
type Op struct {
	Addr   model.Address
	ID     string
	Before model.Object
	After  model.Object
	// Changed lists the attribute paths that differ, for Update.
	Changed []string
}

// Kind is one resource kind of a provider.
type Kind interface {
	Schema() model.KindSchema
	// Read returns every live object of the kind, in the configuration's
	// shape, with Addr.Name set to its natural key.
	Read(ctx context.Context) ([]model.Resource, error)
	// Create makes the object, waits until it is ready and returns its id.
	// After an ambiguous failure it looks the object up by its key rather
	// than creating it twice.
	Create(ctx context.Context, gate Gate, op Op) (string, error)
	// Update changes the object in place and waits until it is ready.
	Update(ctx context.Context, gate Gate, op Op) error
	// Delete removes the object and waits until it is gone.
	Delete(ctx context.Context, gate Gate, op Op) error
}

// Checker is an optional Kind ability: checks that need the API (catalogs,
// eligible types) run at plan time, so apply does not fail halfway.
type Checker interface {
	// Check returns a precise error when op cannot be applied.
	Check(ctx context.Context, action string, op Op) error
}

// Warner is an optional Kind ability: what the operator should know before
// approving a step the API will accept (a replaced MONTHLY instance keeps
// running, and billed, until its contract ends). A warning never stops a
// plan: the plan shows it above its steps, before anyone confirms.
type Warner interface {
	// Warn returns sentences about op, without the object's address (the
	// engine adds it). Actions are those of Checker.Check.
	Warn(ctx context.Context, action string, op Op) []string
}

// Refresher is an optional Kind ability: re-read one object by id, for
// saved-plan staleness checks. It returns (nil, nil) when the object is gone.
type Refresher interface {
	ReadOne(ctx context.Context, id string) (*model.Resource, error)
}

// Provider is a set of kinds sharing one API client.
type Provider interface {
	Name() string
	Kinds() []Kind
}

// Config is what a provider factory gets from the engine.
type Config struct {
	LookupEnv  func(string) (string, bool)
	HTTPClient *http.Client // non-nil in sandbox mode and tests: an in-process transport
	Sandbox    bool
	Version    string    // lswctl version, for the User-Agent
	Debug      io.Writer // nil = no request logging
}

// Factory builds a provider. It reports missing credentials as an error.
type Factory func(cfg Config) (Provider, error)

// Registration is a registered provider.
type Registration struct {
	Name string
	// Schemas describe the kinds it serves. They are known without
	// building the provider, so validation needs no credentials.
	Schemas []model.KindSchema
	Factory Factory
}

// Serves reports whether the registration serves the singular kind.
func (r Registration) Serves(kind string) bool {
	for _, s := range r.Schemas {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

var registry struct {
	sync.Mutex
	byName map[string]Registration
}

// Register adds a provider; providers call it from init. Registering a name
// twice, or a kind served by another provider, is a programmer error and
// panics.
func Register(r Registration) {
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = map[string]Registration{}
	}
	if _, dup := registry.byName[r.Name]; dup {
		panic(fmt.Sprintf("providers: provider %q registered twice", r.Name))
	}
	for _, other := range registry.byName {
		for _, s := range r.Schemas {
			if other.Serves(s.Kind) {
				panic(fmt.Sprintf("providers: kind %q registered by %q and %q", s.Kind, other.Name, r.Name))
			}
		}
	}
	registry.byName[r.Name] = r
}

// Registered returns every registration, sorted by name.
func Registered() []Registration {
	registry.Lock()
	defer registry.Unlock()
	out := make([]Registration, 0, len(registry.byName))
	for _, r := range registry.byName {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ForKind returns the registration serving a singular kind.
func ForKind(kind string) (Registration, bool) {
	for _, r := range Registered() {
		if r.Serves(kind) {
			return r, true
		}
	}
	return Registration{}, false
}

// Schemas returns the schema of every registered kind, by singular kind.
func Schemas() map[string]model.KindSchema {
	out := map[string]model.KindSchema{}
	for _, r := range Registered() {
		for _, s := range r.Schemas {
			out[s.Kind] = s
		}
	}
	return out
}

// FieldError is a Checker finding about one attribute, so the engine can
// point at the line that declared it.
type FieldError struct {
	Path string // attribute path, "type"; empty for the object as a whole
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// AttrError is an API refusal that names attributes of the request (the
// Leaseweb errorDetails), so the engine can point at the lines that
// declared them. AttrMessages maps an attribute path in the configuration's
// shape ("contract.term") to the API's messages about it.
type AttrError interface {
	error
	AttrMessages() map[string][]string
}
