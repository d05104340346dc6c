package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

// attrRefusal is an API refusal naming attributes, as providers.AttrError.
type attrRefusal map[string][]string

func (a attrRefusal) Error() string                     { return "POST /things: 400 Bad Request" }
func (a attrRefusal) AttrMessages() map[string][]string { return a }

// TestLocatePositionsAPIRefusals checks that an API 400 whose errorDetails
// name attributes is reported at the lines that declared them, an attribute
// the object does not declare at the object, and that other errors and
// undeclared objects are left alone.
func TestLocatePositionsAPIRefusals(t *testing.T) {
	addr := model.Address{Kind: "instance", Name: "web"}
	e := &Engine{
		declared: map[model.Address]*model.Resource{addr: {
			Addr: addr,
			Pos:  model.Pos{File: "a.yaml", Line: 3, Col: 3},
			Fields: map[string]model.Pos{
				"contract.term": {File: "a.yaml", Line: 8, Col: 37},
			},
		}},
		paths: map[model.Address]string{},
	}
	refusal := attrRefusal{"contract.term": {"A MONTHLY contract needs a contractTerm other than 0."}, "marketApp": {"Not available."}}
	err := e.locate(addr, refusal)
	want := "a.yaml:8:37: instances.web.contract.term: A MONTHLY contract needs a contractTerm other than 0.; " +
		"a.yaml:3:3: instances.web: marketApp: Not available. (POST /things: 400 Bad Request)"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	var back attrRefusal
	if !errors.As(err, &back) {
		t.Errorf("the located error does not unwrap to the API's")
	}
	plain := errors.New("connection reset")
	if got := e.locate(addr, plain); got != plain {
		t.Errorf("a plain error became %v", got)
	}
	other := model.Address{Kind: "instance", Name: "elsewhere"}
	if got := e.locate(other, refusal); !strings.HasPrefix(got.Error(), "POST /things") {
		t.Errorf("an undeclared object's refusal became %v", got)
	}
}
