// Package diff compares desired objects with live ones: it matches them by
// their natural key and lists, field by field, what differs.
//
// It is a pure function of its inputs — no I/O, no colour, no provider. The
// comparison happens in two halves, each tested on its own: Match pairs
// desired and live objects into one keyed, sorted structure; Fields compares
// one pair. Only fields the configuration sets are compared ("fields you do
// not set are not managed"), write-only fields never differ, and a changed
// immutable field marks the change as forcing replacement.
package diff

import (
	"sort"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
)

// Options carries what the comparison needs to know about kinds.
type Options struct {
	// Schemas by singular kind name. A kind without a schema is compared
	// with no immutable or write-only fields.
	Schemas map[string]model.KindSchema
	// CmpOptions are extra go-cmp options for attribute values.
	CmpOptions []cmp.Option
	// Resolve turns a reference into the live id of what it names, when
	// that id is known now and will not change. Unresolved references stay
	// in the declared value and never compare equal: they are known only
	// after apply. Nil resolves literal ids only.
	Resolve func(model.Ref) (string, bool)
}

// Change is one differing attribute.
type Change struct {
	Path              string `json:"path"`
	Before            any    `json:"before"`
	After             any    `json:"after"`
	ForcesReplacement bool   `json:"forcesReplacement,omitempty"`
}

// Pair is a desired object, its live counterpart, or both, with the fields
// that differ between them.
type Pair struct {
	Addr    model.Address
	Desired *model.Resource // nil: live only
	Live    *model.Resource // nil: declared only (or live is ignored)
	Changes []Change        // sorted by path; only when both sides exist
}

// Replacing lists the changed paths that force replacement.
func (p *Pair) Replacing() []string {
	var out []string
	for _, c := range p.Changes {
		if c.ForcesReplacement {
			out = append(out, c.Path)
		}
	}
	return out
}

// Problem is a matching error about one declared or live object.
type Problem struct {
	Addr model.Address
	// Desired is the declaration involved, for its position; may be nil.
	Desired *model.Resource
	Msg     string
}

func (p *Problem) Error() string { return p.Addr.String() + ": " + p.Msg }

// Compute matches desired and live objects and compares every pair.
// Ignored live objects (Untouchable set) are returned separately and never
// paired. Problems (two live objects with one key, a pinned id that does not
// exist) are returned together; pairs are still returned for the rest.
func Compute(desired, live []model.Resource, opts Options) (pairs []Pair, ignored []model.Resource, problems []*Problem) {
	pairs, ignored, problems = Match(desired, live, opts.Schemas)
	Compare(pairs, opts)
	return pairs, ignored, problems
}

// Compare fills in the changes of every pair that has both sides.
func Compare(pairs []Pair, opts Options) {
	for i := range pairs {
		p := &pairs[i]
		p.Changes = nil
		if p.Desired != nil && p.Live != nil {
			p.Changes = Fields(p.Desired, p.Live, opts.Schemas[p.Addr.Kind], opts)
		}
	}
}

// Fields compares the attributes a declaration sets with the live object's.
// Lists named in the kind's Sets compare without regard to order.
func Fields(desired, live *model.Resource, ks model.KindSchema, opts Options) []Change {
	var out []Change
	for _, path := range model.Leaves(desired.Attrs) {
		if model.Has(ks.WriteOnly, path) {
			continue
		}
		want, _ := model.Get(desired.Attrs, path)
		want = Resolve(want, opts.Resolve)
		got, _ := model.Get(live.Attrs, path)
		if model.Has(ks.Sets, path) {
			want, got = sortedList(want), sortedList(got)
		}
		if Equal(want, got, opts.CmpOptions...) {
			continue
		}
		out = append(out, Change{
			Path:              path,
			Before:            got,
			After:             want,
			ForcesReplacement: model.Has(ks.Immutable, path) || (want == nil && model.Has(ks.ReplaceOnRemove, path)),
		})
	}
	return out
}

// Equal compares two attribute values: numbers by value whatever their Go
// type, secrets by digest, maps and lists deeply. An unresolved reference or
// unknown value is never equal to anything: it is known only after apply.
func Equal(a, b any, opts ...cmp.Option) bool {
	if model.HasUnknown(a) || model.HasUnknown(b) {
		return false
	}
	all := append([]cmp.Option{numbers}, opts...)
	return cmp.Equal(a, b, all...)
}

// Resolve replaces every reference in v that resolve can resolve (and every
// literal id) with the id, leaving the others in place.
func Resolve(v any, resolve func(model.Ref) (string, bool)) any {
	switch t := v.(type) {
	case model.Ref:
		if !t.Named() {
			return t.ID
		}
		if resolve != nil {
			if id, ok := resolve(t); ok {
				return id
			}
		}
		return t
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = Resolve(x, resolve)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = Resolve(x, resolve)
		}
		return l
	}
	return v
}

// sortedList orders a list by the rendering of its items, so two lists
// holding the same items compare equal.
func sortedList(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := append([]any(nil), l...)
	sort.SliceStable(out, func(i, j int) bool { return model.Format(out[i]) < model.Format(out[j]) })
	return out
}

// numbers makes int64(50) equal float64(50) and int(50): YAML and JSON
// decode the same number into different types.
var numbers = cmp.FilterValues(func(a, b any) bool {
	_, okA := toFloat(a)
	_, okB := toFloat(b)
	return okA && okB
}, cmp.Comparer(func(a, b any) bool {
	x, _ := toFloat(a)
	y, _ := toFloat(b)
	return x == y
}))

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// sortPairs orders pairs by address so output is deterministic.
func sortPairs(pairs []Pair) {
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].Addr.Less(pairs[j].Addr) })
}
