package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// samplePlan is a plan as Build makes it, with values of every Go type a
// configuration or a live read yields.
func samplePlan() *Plan {
	return &Plan{FormatVersion: FormatVersion, MaxDeletes: 1, KnownIDs: map[model.Address]string{addrOf("loadBalancer.edge"): "lb-1"},
		Steps: []Step{{
			Addr: addrOf("targetGroup.web"), Action: Create,
			After: model.Object{"port": 80, "weight": 1.0, "tags": []any{}, "hc": map[string]any{}, "none": []any(nil),
				"key": model.NewSecret("hunter2", "env:K")},
		}, {
			Addr: addrOf("listener.edge/HTTP:80"), Action: Update, ID: "l-1", Fingerprint: "sha256:01",
			Before:    model.Object{"port": int64(80), "targetGroup": "tg-0"},
			After:     model.Object{"port": int64(80), "targetGroup": ref("targetGroup.web")},
			Changes:   []diff.Change{{Path: "targetGroup", Before: "tg-0", After: ref("targetGroup.web")}},
			DependsOn: []string{"targetGroup.web"},
			Reason:    "shown, never compared",
		}, {
			Addr: addrOf("instance.gone"), Action: Delete, ID: "i-9", Before: model.Object{}, After: model.Object{},
		}}}
}

// roundTrip saves p and reads it back, as apply PLANFILE does.
func roundTrip(t *testing.T, p *Plan) *Plan {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(p); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&b, kinds)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCompareSavedEqualsMadeAgain(t *testing.T) {
	saved := roundTrip(t, samplePlan())
	now := samplePlan()
	now.Steps[1].Reason = "another reason"
	now.Warnings = []string{"a warning"}
	if d := Compare(saved, now); len(d) > 0 {
		t.Errorf("a saved plan differs from the same plan made again:\n%s", strings.Join(d, "\n"))
	}
}

// TestCompareNamesEveryDifference: every edit of a saved plan that apply
// would otherwise carry out is named.
func TestCompareNamesEveryDifference(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Plan)
		want []string
	}{
		{"other action", func(p *Plan) { p.Steps[1].Action = Delete },
			[]string{"listener.edge/HTTP:80: the plan file says delete, the configuration and live state say update"}},
		{"added step", func(p *Plan) {
			p.Steps = append(p.Steps, Step{Addr: addrOf("instance.web-1"), Action: Delete, ID: "i-1"})
		}, []string{"instance.web-1: the plan file holds a step to delete it, which the configuration and live state do not call for"}},
		{"missing step", func(p *Plan) { p.Steps = p.Steps[:2] },
			[]string{"instance.gone: the configuration and live state call for a step to delete it, which the plan file lacks"}},
		{"other id", func(p *Plan) { p.Steps[1].ID = "l-2" },
			[]string{"listener.edge/HTTP:80: id is l-2 in the plan file, l-1 now"}},
		{"other after", func(p *Plan) { p.Steps[0].After["port"] = 8080 },
			[]string{"targetGroup.web: after differs (port: 8080 in the plan file, 80 now)"}},
		{"other secret", func(p *Plan) { p.Steps[0].After["key"] = model.NewSecret("other", "env:K") },
			[]string{"targetGroup.web: after differs (key: (sensitive) in the plan file, (sensitive) now)"}},
		{"other reference", func(p *Plan) { p.Steps[1].After["targetGroup"] = ref("targetGroup.api") },
			[]string{"listener.edge/HTTP:80: after differs (targetGroup: targetGroup.api in the plan file, targetGroup.web now)"}},
		{"other before", func(p *Plan) { p.Steps[1].Before["port"] = 81 },
			[]string{"listener.edge/HTTP:80: before differs (port: 81 in the plan file, 80 now)"}},
		{"other changes", func(p *Plan) { p.Steps[1].Changes[0].ForcesReplacement = true },
			[]string{"listener.edge/HTTP:80: changes differ at targetGroup"}},
		{"other dependsOn", func(p *Plan) { p.Steps[1].DependsOn = nil },
			[]string{"listener.edge/HTTP:80: dependsOn is [] in the plan file, [targetGroup.web] now"}},
		{"other fingerprint", func(p *Plan) { p.Steps[1].Fingerprint = "sha256:02" },
			[]string{"listener.edge/HTTP:80: the live object's fingerprint differs from the plan file's"}},
		{"deposed", func(p *Plan) { p.Steps[2].Deposed = true },
			[]string{"instance.gone: the configuration and live state call for a step to delete it, which the plan file lacks",
				"instance.gone (deposed): the plan file holds a step to delete it, which the configuration and live state do not call for"}},
		{"wider maxDeletes", func(p *Plan) { p.MaxDeletes = 100 },
			[]string{"maxDeletes is 100 in the plan file, 1 in the configuration"}},
		{"other known id", func(p *Plan) { p.KnownIDs[addrOf("loadBalancer.edge")] = "lb-2" },
			[]string{"loadBalancer.edge: the plan file knows it as id lb-2, live state as lb-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := samplePlan()
			tt.edit(saved)
			got := Compare(roundTrip(t, saved), samplePlan())
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("differences (-want +got):\n%s", d)
			}
		})
	}
}
