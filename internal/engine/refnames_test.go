package engine

import (
	"encoding/json"
	"testing"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// TestNameRefs: the changes at reference attributes read by name in the
// plan's JSON form ({"ref"} for an object read, {"id"} for an id no object
// read has), sets in the order of their names; other attributes keep their
// values, and a release's ids are named too.
func TestNameRefs(t *testing.T) {
	inst := func(n string) model.Address { return model.Address{Kind: "instance", Name: n} }
	tg := model.Address{Kind: "targetGroup", Name: "web"}
	live := map[model.Address]string{inst("web-1"): "u-1", inst("web-2"): "u-2", tg: "u-tg"}
	schemas := map[string]model.KindSchema{"targetGroup": {Kind: "targetGroup", Sets: []string{"targets"}}}
	p := &plan.Plan{Steps: []plan.Step{
		{Addr: tg, Action: plan.Update, ID: "u-tg",
			After: model.Object{"targets": []any{model.Ref{To: inst("web-2")}, model.Ref{To: inst("web-1")}}, "name": "x"},
			Changes: []diff.Change{
				{Path: "name", Before: "y", After: "x"},
				{Path: "targets", Before: []any{"u-9", "u-2"}, After: []any{"u-1", "u-2"}},
			}},
		{Addr: tg, Action: plan.Update, ID: "u-tg", Deposed: true,
			Changes: []diff.Change{{Path: "targets", Before: []any{"u-1", "u-2"}, After: []any{"u-2"}}}},
	}}
	nameRefs(p, live, schemas)
	got, err := json.Marshal([][]diff.Change{p.Steps[0].Changes, p.Steps[1].Changes})
	if err != nil {
		t.Fatal(err)
	}
	want := `[[{"path":"name","before":"y","after":"x"},` +
		`{"path":"targets","before":[{"id":"u-9"},{"ref":"instance.web-2"}],"after":[{"ref":"instance.web-1"},{"ref":"instance.web-2"}]}],` +
		`[{"path":"targets","before":[{"ref":"instance.web-1"},{"ref":"instance.web-2"}],"after":[{"ref":"instance.web-2"}]}]]`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
