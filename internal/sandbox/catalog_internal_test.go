package sandbox

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCatalogMatchesDocument checks the catalog's names against the enums of
// the OpenAPI document, so a typo in catalog.go cannot go unnoticed.
func TestCatalogMatchesDocument(t *testing.T) {
	// The contract package imports this one, so the path is worked out
	// here: the package directory is <repo>/internal/sandbox.
	path := os.Getenv("LSWCTL_OPENAPI")
	if path == "" {
		path = filepath.Join("..", "..", "testdata", "api", "leaseweb-openapi.json")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []any `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	enum := func(name string) []string {
		var out []string
		for _, v := range doc.Components.Schemas[name].Enum {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		slices.Sort(out)
		return out
	}
	c := newCatalog()
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	if got, want := sorted(c.typeNames), enum("typeName"); !slices.Equal(got, want) {
		t.Errorf("typeNames (%d) differ from the typeName enum (%d):\n%v\n%v", len(got), len(want), got, want)
	}
	var regions []string
	for _, r := range c.regions {
		regions = append(regions, r.Name)
	}
	if got, want := sorted(regions), enum("regionName"); !slices.Equal(got, want) {
		t.Errorf("regions %v, want %v", got, want)
	}
	for _, ty := range c.types {
		if !slices.Contains(c.typeNames, ty.Name) {
			t.Errorf("catalog type %s is not in the typeName enum", ty.Name)
		}
	}
	for _, im := range c.images {
		if !slices.Contains(enum("flavour"), im.Flavour) {
			t.Errorf("image %s has flavour %s", im.ID, im.Flavour)
		}
		for _, app := range im.MarketApps {
			if !slices.Contains(enum("marketAppId"), app) {
				t.Errorf("image %s has market app %s", im.ID, app)
			}
		}
	}
}
