package config

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
)

// refsSchema is a test-only schema whose kinds reference each other through
// x-lswctl-ref, as target groups and load balancers will.
func refsSchema(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/refs.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const refsDoc = `apiVersion: lswctl/v1
instances:
  web-1: {}
  web-2: {}
targetGroups:
  web:
    port: 80
    targets: [web-1, {id: 3fa85f64-5717-4562-b3fc-2c963f66afa6}, web-2]
loadBalancers:
  edge:
    owner: {id: 0f0e}
    image: {id: debian}
    listeners:
      - port: 80
        targetGroup: web
      - port: 443
        targetGroup: {id: 9c1b2d3e-7f40-4a5b-8c6d-0e1f2a3b4c5d}
        certificate:
          privateKey: {env: EDGE_TLS_KEY}
          chain: [pem-a]
`

func TestReferences(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": refsDoc})
	cfg := mustLoad(t, dir, Options{Schema: refsSchema(t), LookupEnv: envFrom(map[string]string{"EDGE_TLS_KEY": "key"})}, "a.yaml")

	ref := func(kind, name string) model.Ref { return model.Ref{To: model.Address{Kind: kind, Name: name}} }
	web := byName(t, cfg, "targetGroup", "web")
	wantTargets := []any{ref("instance", "web-1"), model.Ref{ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6"}, ref("instance", "web-2")}
	if !reflect.DeepEqual(web.Attrs["targets"], wantTargets) {
		t.Errorf("targets = %s, want %s", model.Format(web.Attrs["targets"]), model.Format(wantTargets))
	}

	edge := byName(t, cfg, "loadBalancer", "edge")
	byID := model.Ref{ID: "9c1b2d3e-7f40-4a5b-8c6d-0e1f2a3b4c5d"} // through anyOf
	wantListeners := []any{
		map[string]any{"port": int64(80), "targetGroup": ref("targetGroup", "web")},
		map[string]any{"port": int64(443), "targetGroup": byID, "certificate": map[string]any{
			"privateKey": model.NewSecret("key", "env:EDGE_TLS_KEY"),
			"chain":      []any{model.NewSecret("pem-a", "literal")}, // inherited from the sensitive certificate
		}},
	}
	if !reflect.DeepEqual(edge.Attrs["listeners"], wantListeners) {
		t.Errorf("listeners = %s, want %s", model.Format(edge.Attrs["listeners"]), model.Format(wantListeners))
	}
	// {id: …} is a reference only where the schema offers it beside a
	// reference string: a plain mapping, or a oneOf without x-lswctl-ref,
	// keeps it as a mapping.
	for _, attr := range []string{"owner", "image"} {
		if _, ok := edge.Attrs[attr].(map[string]any); !ok {
			t.Errorf("%s = %s, want a mapping", attr, model.Format(edge.Attrs[attr]))
		}
	}
	if got, want := edge.Refs(), []model.Ref{ref("targetGroup", "web"), byID}; !reflect.DeepEqual(got, want) {
		t.Errorf("Refs() = %v, want %v", got, want)
	}
	for path, line := range map[string]int{"listeners": 14, "listeners[0]": 14, "listeners[0].port": 14, "listeners[1].targetGroup": 17, "listeners[1].certificate.chain[0]": 20} {
		if got := edge.FieldPos(path); got.Line != line {
			t.Errorf("FieldPos(%q) line = %d, want %d", path, got.Line, line)
		}
	}
	if p := edge.FieldPos("listeners[1].certificate.chain[0]"); p.Col != 19 {
		t.Errorf("list item column = %d, want 19", p.Col)
	}
	if p := web.FieldPos("targets[1]"); p.Line != 8 || p.Col != 22 {
		t.Errorf("FieldPos(targets[1]) = %d:%d, want 8:22", p.Line, p.Col)
	}
}

func TestDanglingReferences(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"listener with suggestion", "      - port: 80\n        targetGroup: web", "      - port: 80\n        targetGroup: wbe",
			`./a.yaml:15:22: loadBalancers.edge.listeners[0].targetGroup: no targetGroups named "wbe" in the configuration (did you mean "web"?)`},
		{"list item", "web-2]", "db-9]",
			`./a.yaml:8:66: targetGroups.web.targets[2]: no instances named "db-9" in the configuration`},
		{"schema errors of a list item", "{id: 3fa85f64-5717-4562-b3fc-2c963f66afa6}, web-2]", "{ip: 0f0e}, web-1]",
			"./a.yaml:8:14: targetGroups.web.targets: items [0] and [2] are the same; each may appear once\n" +
				`./a.yaml:8:23: targetGroups.web.targets[1].ip: unknown field "ip" (did you mean "id"?)`},
		{"literal id that is not a UUID", "{id: 3fa85f64-5717-4562-b3fc-2c963f66afa6}", "{id: not-a-uuid}",
			`./a.yaml:8:27: targetGroups.web.targets[1].id: invalid value "not-a-uuid" (expected a UUID)`},
		{"literal id through anyOf", "{id: 9c1b2d3e-7f40-4a5b-8c6d-0e1f2a3b4c5d}", "{id: 42}",
			`./a.yaml:17:27: loadBalancers.edge.listeners[1].targetGroup.id: expected string, got integer 42`},
		{"literal id with another field", "{id: 9c1b2d3e-7f40-4a5b-8c6d-0e1f2a3b4c5d}", "{id: 9c1b2d3e-7f40-4a5b-8c6d-0e1f2a3b4c5d, name: web}",
			`./a.yaml:17:65: loadBalancers.edge.listeners[1].targetGroup.name: unknown field "name"`},
		{"duplicate x-lswctl-unique fields", "      - port: 443", "      - port: 80",
			"./a.yaml:16:9: loadBalancers.edge.listeners[1]: duplicate item 80 (first at listeners[0])\n\t./a.yaml:14:9: first declared here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(refsDoc, tt.old) {
				t.Fatalf("refsDoc has no %q", tt.old)
			}
			dir := writeFiles(t, map[string]string{"a.yaml": strings.Replace(refsDoc, tt.old, tt.new, 1)})
			_, err := Load([]string{"a.yaml"}, Options{Cwd: dir, Schema: refsSchema(t), LookupEnv: envFrom(map[string]string{"EDGE_TLS_KEY": "k"})})
			if got := formatErr(err, dir); got != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestReferencesAcrossFiles checks that a reference may name an object
// declared in another file.
func TestReferencesAcrossFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": "apiVersion: lswctl/v1\nloadBalancers:\n  edge:\n    listeners: [{port: 80, targetGroup: web}]\n",
		"b.yaml": "apiVersion: lswctl/v1\ntargetGroups:\n  web: {port: 80}\n",
	})
	cfg := mustLoad(t, dir, Options{Schema: refsSchema(t)}, ".")
	if n := len(cfg.Resources); n != 2 {
		t.Fatalf("%d resources, want 2", n)
	}
	_, err := Load([]string{"a.yaml"}, Options{Cwd: dir, Schema: refsSchema(t)})
	if l := diag.AsList(err); len(l) != 1 || !strings.Contains(l[0].Msg, `no targetGroups named "web"`) {
		t.Errorf("without b.yaml: %v, want one dangling reference", err)
	}
}
