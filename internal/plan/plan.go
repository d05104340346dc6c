// Package plan is the plan as plain data: the steps that would bring live
// state to the configuration, each with an action, field-level changes, a
// display-only reason and the steps it depends on.
//
// Human, JSON and markdown output are all rendered from this one struct, and
// its JSON form is the saved plan file. A step never holds code: apply turns
// an action into a provider call.
package plan

import (
	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// FormatVersion is the version of the plan's JSON form. It changes only
// when a change would break a reader. 2.0: a delete-then-create step only
// creates, its deposed half deletes first; releases are deposed updates.
const FormatVersion = "2.0"

// Action is what a step does to one object.
type Action string

// The actions. The two replace variants encode the order of the halves.
const (
	NoOp             Action = "no-op"
	Create           Action = "create"
	Update           Action = "update"
	Delete           Action = "delete"
	DeleteThenCreate Action = "delete-then-create"
	CreateThenDelete Action = "create-then-delete"
)

// IsReplace reports whether the action replaces the object.
func (a Action) IsReplace() bool { return a == DeleteThenCreate || a == CreateThenDelete }

// Destroys reports whether the action removes a live object.
func (a Action) Destroys() bool { return a == Delete || a.IsReplace() }

// Step is one planned change to one object.
type Step struct {
	Addr   model.Address `json:"address"`
	Action Action        `json:"action"`
	// ID is the live object's id; empty for a create.
	ID string `json:"id,omitempty"`
	// Before is the live object's attributes; nil for a create.
	Before model.Object `json:"before,omitempty"`
	// After is the attributes the object will have: for an update, the live
	// ones with the declared ones laid over them; for a create or a
	// replacement, the declared ones. For a delete it is nil, or the
	// declared attributes of an `ensure: absent` object (renderers do not
	// show them).
	After model.Object `json:"after,omitempty"`
	// Changes are the declared fields that differ, sorted by path.
	Changes []diff.Change `json:"changes,omitempty"`
	// Reason explains the action to a reader ("forces replacement: region").
	// It is for display only: apply must never branch on it.
	Reason string `json:"reason,omitempty"`
	// DependsOn lists the keys of the steps that must finish before this
	// one starts.
	DependsOn []string `json:"dependsOn,omitempty"`
	// Deposed marks a half: a step that acts on the live object on behalf
	// of the step of its address, which makes the object what it will be.
	// With action delete it deletes the old object of a replacement, before
	// a delete-then-create and after a create-then-delete. With action
	// update it is a release: it only drops from the live object's set
	// attributes the ids of objects destroyed before their replacement
	// exists (graph.go says why). Renderers show a half as part of its
	// step, counts leave it out, and its id never stands for the address.
	Deposed bool `json:"deposed,omitempty"`
	// Fingerprint is the digest of the live object when it was read, so a
	// saved plan can tell that the object moved since.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Key identifies the step within the plan: its address, followed by
// " (deposed)" for the delete half of a replacement and " (release)" for a
// release.
func (s *Step) Key() string {
	switch {
	case s.Deposed && s.Action == Update:
		return s.Addr.String() + releaseSuffix
	case s.Deposed:
		return s.Addr.String() + deposedSuffix
	}
	return s.Addr.String()
}

const (
	deposedSuffix = " (deposed)"
	releaseSuffix = " (release)"
)

// Unmanaged is a live object the configuration does not declare and whose
// kind is not pruned: reported, never touched.
type Unmanaged struct {
	Addr model.Address `json:"address"`
	ID   string        `json:"id"`
}

// Ignored is a live object lswctl never changes, with the reason.
type Ignored struct {
	Addr   model.Address `json:"address"`
	ID     string        `json:"id"`
	Reason string        `json:"reason"`
}

// Plan is everything a plan run decided.
type Plan struct {
	FormatVersion string `json:"formatVersion"`
	Version       string `json:"lswctlVersion"`
	ConfigDigest  string `json:"configDigest,omitempty"`
	GitCommit     string `json:"gitCommit,omitempty"`
	// Steps are in an order that respects DependsOn; no-ops are left out.
	Steps     []Step      `json:"steps"`
	Unmanaged []Unmanaged `json:"unmanaged,omitempty"`
	Ignored   []Ignored   `json:"ignored,omitempty"`
	Warnings  []string    `json:"warnings,omitempty"`
	// MaxDeletes is the configuration's guard, recorded for apply.
	MaxDeletes int `json:"maxDeletes"`
	// Targets are the --target patterns that limited this plan, if any.
	Targets []string `json:"targets,omitempty"`
	// Replace are the --replace addresses that shaped this plan, if any: a
	// saved plan is made again with them before it is applied.
	Replace []string `json:"replace,omitempty"`
	// KnownIDs are the live ids of objects the steps reference but do not
	// change, so a saved plan can be applied without reading them again.
	KnownIDs map[model.Address]string `json:"knownIds,omitempty"`
}

// CanApply is the single rule for "is there anything to do": the CLI's exit
// code and the "No changes." message both use it.
func (p *Plan) CanApply() bool {
	for _, s := range p.Steps {
		if s.Action != NoOp {
			return true
		}
	}
	return false
}

// Counts is the plan's headline.
type Counts struct {
	Add, Change, Replace, Destroy int
}

// Count tallies the steps by action.
func (p *Plan) Count() Counts {
	var c Counts
	for _, s := range p.Steps {
		switch {
		case s.Deposed:
		case s.Action == Create:
			c.Add++
		case s.Action == Update:
			c.Change++
		case s.Action.IsReplace():
			c.Replace++
		case s.Action == Delete:
			c.Destroy++
		}
	}
	return c
}

// Destroying counts the steps that remove a live object (deletes and
// replacements), which settings.maxDeletes guards.
func (p *Plan) Destroying() int {
	n := 0
	for _, s := range p.Steps {
		if s.Action.Destroys() && !s.Deposed {
			n++
		}
	}
	return n
}

// Step returns the step for addr (not a deposed half), or nil.
func (p *Plan) Step(addr model.Address) *Step {
	for i := range p.Steps {
		if p.Steps[i].Addr == addr && !p.Steps[i].Deposed {
			return &p.Steps[i]
		}
	}
	return nil
}
