// Package drift classifies how live state differs from the configuration,
// for `lswctl drift` run from cron: what was changed by hand (modified),
// what disappeared (missing), and what appeared in a kind the repository
// owns or watches (unmanaged). It reads the plan and proposes nothing.
package drift

import (
	"sort"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// FormatVersion is the version of the report's JSON form.
const FormatVersion = "1.0"

// Class is the kind of a finding.
type Class string

// The classes.
const (
	// Modified: declared and live, but a managed field differs (or the
	// object is declared absent and still exists).
	Modified Class = "modified"
	// Missing: declared, not live.
	Missing Class = "missing"
	// Unmanaged: live, not declared, in a kind listed under settings.prune
	// or settings.watch (or a child missing from its parent's list).
	Unmanaged Class = "unmanaged"
)

// Finding is one drifted object.
type Finding struct {
	Class   Class         `json:"class"`
	Addr    model.Address `json:"address"`
	ID      string        `json:"id,omitempty"`
	Changes []diff.Change `json:"changes,omitempty"` // for Modified: before = live, after = declared
}

// Report is the outcome of a drift check.
type Report struct {
	FormatVersion string    `json:"formatVersion"`
	Version       string    `json:"lswctlVersion"`
	ConfigDigest  string    `json:"configDigest,omitempty"`
	GitCommit     string    `json:"gitCommit,omitempty"`
	Findings      []Finding `json:"findings"`
}

// InSync reports whether nothing drifted.
func (r *Report) InSync() bool { return len(r.Findings) == 0 }

// Count returns how many findings have class c.
func (r *Report) Count(c Class) int {
	n := 0
	for _, f := range r.Findings {
		if f.Class == c {
			n++
		}
	}
	return n
}

// FromPlan classifies the plan that would bring live state back to the
// configuration. watched lists the singular kinds under settings.watch,
// whose unmanaged objects count as drift though they are never deleted.
func FromPlan(p *plan.Plan, watched map[string]bool) *Report {
	r := &Report{FormatVersion: FormatVersion, Version: p.Version, ConfigDigest: p.ConfigDigest,
		GitCommit: p.GitCommit, Findings: []Finding{}}
	for _, s := range p.Steps {
		if s.Deposed {
			continue
		}
		f := Finding{Addr: s.Addr, ID: s.ID, Changes: s.Changes}
		switch {
		case s.Action == plan.Create:
			f.Class = Missing
		case s.Action == plan.Delete && s.After != nil:
			f.Class = Modified // declared ensure: absent, still live
			f.Changes = []diff.Change{{Path: "ensure", Before: "present", After: "absent"}}
		case s.Action == plan.Delete:
			f.Class = Unmanaged
		default:
			f.Class = Modified
		}
		r.Findings = append(r.Findings, f)
	}
	for _, u := range p.Unmanaged {
		if watched[u.Addr.Kind] {
			r.Findings = append(r.Findings, Finding{Class: Unmanaged, Addr: u.Addr, ID: u.ID})
		}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		if r.Findings[i].Class != r.Findings[j].Class {
			return r.Findings[i].Class < r.Findings[j].Class
		}
		return r.Findings[i].Addr.Less(r.Findings[j].Addr)
	})
	return r
}
