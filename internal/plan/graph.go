package plan

/*
Ordering.

Every step's DependsOn comes from two sources only, the references in the
declared attributes and the ids in the live ones, so nothing is hard-coded
per kind. A replacement is two steps: the step itself creates the new object,
and its deposed half deletes the old one, before the create (delete-then-
create) or after it (create-then-delete). Then:

 1. Halves. A delete-then-create waits for its deposed half; the deposed half
    of a create-then-delete waits for its create.
 2. References. A step that leaves an object in place (a create, an update,
    the create of a replacement) waits for the step of every object its new
    attributes reference: a listener for its target group and its load
    balancer. When the referenced object is deleted it is the other way
    round: the step that references it goes first (a listener declared
    absent with its load balancer).
 3. Destruction. A delete (a plain one or a deposed half) waits for every step
    whose live attributes hold the deleted object's id: whatever points at an
    object lets go of it before the object is destroyed. The create of a
    replacement holds nothing; its deposed half holds what the old object
    held.

These rules alone can make a cycle, and in one way only. Steps that leave an
object in place wait only on each other, along the declared references,
which validation keeps acyclic, and on releases (below), which wait for
nothing; the exception is a delete-then-create, which waits for its deposed
half. Deletes may wait on anything. So every cycle runs
through a delete-then-create X: its deposed half waits (rule 3) on a holder
that waits (rule 2), directly or not, for X's create. The holder is an update
that points at X's new object (a target group listing a replaced instance),
or the deposed half of a create-then-delete whose old object lists X (an old
target group, deleted only after the new group that lists the new X).

So the deletes that must happen before a create, the deposed halves of
delete-then-create replacements and every delete they wait for, are early:
they wait only on deletes that can run early too, and on releases, never on
a step that leaves an object in place. When an early delete's holder is an
update or the old object of a create-then-delete, the holder gets a release:
a deposed update of the live object that only drops the id from the set
attributes holding it (the target group deregisters the old instance). A
release waits for nothing, and every other step of its address waits for
it; the main step then points at the new object once it exists. A release is
the first phase of a step that must both let go of an old object and point
at its replacement; the kind applies the second phase against a fresh read,
as it does every set.

An id held outside a set (a single-valued reference) cannot be dropped
without changing what the holder is. Objects held that way are replaced
create-then-delete (model.KindSchema.CreateBeforeDestroy: a target group,
which listeners point at), so the holder moves to the new object before the
old one goes; or the reference is immutable, so the holder is replaced with
them and its deposed half lets go early (a listener of a replaced load
balancer). Were neither true of a kind, its early delete would not wait for
such a holder, and the API would have to release the reference itself.

With that, early deletes wait only on early deletes and on releases, which
wait on nothing, so no cycle runs through them; and with none running
through a delete-then-create, every combination of edits that plans on its
own plans together. The one cycle left is in live state itself (two objects
holding each other's ids, both deleted), reported as such.
*/

import (
	"sort"

	"github.com/lswctl/lswctl/internal/model"
)

// addEdges sets every step's DependsOn and adds the releases rule 3 needs;
// see the comment at the top of the file.
func addEdges(p *Plan, schemas map[string]model.KindSchema) {
	g := newGraph(p.Steps, schemas)
	for i := range p.Steps {
		g.halves(&p.Steps[i])
		g.references(&p.Steps[i])
	}
	g.destructions(p.Steps)
	p.Steps = append(p.Steps, g.releaseSteps()...)
	for i := range p.Steps {
		p.Steps[i].DependsOn = g.of(p.Steps[i].Key())
	}
}

// graph is the dependency edges between step keys while they are derived.
type graph struct {
	byKey    map[string]*Step
	main     map[model.Address]*Step // the step of each address that is not a half
	deps     map[string]map[string]bool
	schemas  map[string]model.KindSchema
	releases map[model.Address]*Step
	released map[model.Address][]string // the addresses each release lets go of
}

func newGraph(steps []Step, schemas map[string]model.KindSchema) *graph {
	g := &graph{byKey: map[string]*Step{}, main: map[model.Address]*Step{}, deps: map[string]map[string]bool{},
		schemas: schemas, releases: map[model.Address]*Step{}, released: map[model.Address][]string{}}
	for i := range steps {
		s := &steps[i]
		g.byKey[s.Key()] = s
		if !s.Deposed {
			g.main[s.Addr] = s
		}
	}
	return g
}

// add records that step from waits for step to, when both exist.
func (g *graph) add(from, to string) {
	if from == to || g.byKey[to] == nil || g.byKey[from] == nil {
		return
	}
	if g.deps[from] == nil {
		g.deps[from] = map[string]bool{}
	}
	g.deps[from][to] = true
}

func (g *graph) of(key string) []string {
	out := make([]string, 0, len(g.deps[key]))
	for k := range g.deps[key] {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// halves is rule 1.
func (g *graph) halves(s *Step) {
	m := g.main[s.Addr]
	if !s.Deposed || s.Action != Delete || m == nil {
		return
	}
	switch m.Action {
	case DeleteThenCreate:
		g.add(m.Key(), s.Key())
	case CreateThenDelete:
		g.add(s.Key(), m.Key())
	}
}

// references is rule 2 for steps that leave an object in place; between
// deletes, destructions handles it with rule 3.
func (g *graph) references(s *Step) {
	if s.Deposed || s.Action == Delete {
		return
	}
	for _, r := range model.Refs(s.After) {
		if t := g.main[r.To]; r.Named() && r.To != s.Addr && t != nil && t.Action != Delete {
			g.add(s.Key(), t.Key())
		}
	}
}

// destructions is rule 3, early deletes first.
func (g *graph) destructions(steps []Step) {
	early := map[string]bool{}
	var queue []*Step
	for i := range steps {
		if s := &steps[i]; s.Deposed && s.Action == Delete && g.mainAction(s.Addr) == DeleteThenCreate {
			early[s.Key()] = true
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		for _, s := range g.waitsFor(d, steps) {
			if !g.canRunEarly(s) {
				if r := g.release(s, d); r != nil {
					g.add(d.Key(), r.Key())
				}
				continue
			}
			g.add(d.Key(), s.Key())
			if !early[s.Key()] {
				early[s.Key()] = true
				queue = append(queue, s)
			}
		}
	}
	for i := range steps {
		if d := &steps[i]; d.Action == Delete && !early[d.Key()] {
			for _, s := range g.waitsFor(d, steps) {
				g.add(d.Key(), s.Key())
			}
		}
	}
}

// waitsFor lists the steps delete d must wait for under rule 3: those whose
// live attributes hold d's id, and, for a plain delete, those whose declared
// attributes reference it (rule 2 among deletes).
func (g *graph) waitsFor(d *Step, steps []Step) []*Step {
	var out []*Step
	for i := range steps {
		s := &steps[i]
		if s.Addr == d.Addr || s.Action.IsReplace() {
			continue
		}
		holds := d.ID != "" && mentions(s.Before, d.ID)
		refers := !d.Deposed && !s.Deposed && refersTo(s.After, d.Addr)
		if holds || refers {
			out = append(out, s)
		}
	}
	return out
}

// canRunEarly reports whether s is a delete that waits for no create of its
// own: a plain delete, or the deposed half of a delete-then-create.
func (g *graph) canRunEarly(s *Step) bool {
	return s.Action == Delete && !(s.Deposed && g.mainAction(s.Addr) == CreateThenDelete)
}

func (g *graph) mainAction(a model.Address) Action {
	if m := g.main[a]; m != nil {
		return m.Action
	}
	return NoOp
}

// mentions reports whether id appears as a value anywhere in attrs.
func mentions(attrs model.Object, id string) bool {
	found := false
	model.Walk(attrs, "", func(_ string, v any) {
		if s, ok := v.(string); ok && s == id {
			found = true
		}
	})
	return found
}

func refersTo(attrs model.Object, a model.Address) bool {
	for _, r := range model.Refs(attrs) {
		if r.Named() && r.To == a {
			return true
		}
	}
	return false
}
