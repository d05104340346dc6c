package providers

import (
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

func TestRegisterRejectsDuplicates(t *testing.T) {
	factory := func(Config) (Provider, error) { return nil, nil }
	Register(Registration{Name: "test-a", Schemas: []model.KindSchema{{Kind: "widget", Plural: "widgets"}}, Factory: factory})
	if r, ok := ForKind("widget"); !ok || r.Name != "test-a" {
		t.Fatalf("ForKind = %+v, %v", r, ok)
	}
	for name, reg := range map[string]Registration{
		"same name": {Name: "test-a", Schemas: []model.KindSchema{{Kind: "gadget"}}, Factory: factory},
		"same kind": {Name: "test-b", Schemas: []model.KindSchema{{Kind: "widget"}}, Factory: factory},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "providers:") {
					t.Errorf("%s: no clear panic, got %v", name, r)
				}
			}()
			Register(reg)
		}()
	}
}

func TestFieldError(t *testing.T) {
	if got := (&FieldError{Path: "type", Msg: "bad"}).Error(); got != "type: bad" {
		t.Errorf("got %q", got)
	}
	if got := (&FieldError{Msg: "bad"}).Error(); got != "bad" {
		t.Errorf("got %q", got)
	}
}
