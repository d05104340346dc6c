package engine

import (
	"errors"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// locatedError is an API refusal with the declared positions of the
// attributes its errorDetails name, so that a 400 at apply points at the
// lines to fix as a validation error does. It unwraps to the API's error.
type locatedError struct {
	at  []*diag.Error
	err error
}

func (l *locatedError) Error() string {
	parts := make([]string, 0, len(l.at)+1)
	for _, d := range l.at {
		parts = append(parts, d.Error())
	}
	return strings.Join(parts, "; ") + " (" + l.err.Error() + ")"
}

func (l *locatedError) Unwrap() error { return l.err }

// Positions returns the declared positions the refusal concerns.
func (l *locatedError) Positions() []*diag.Error { return l.at }

// locate positions an API refusal about attributes of a declared object at
// those attributes' lines (or at the object when it declares none of them).
// Other errors, and errors about objects not declared, are returned as
// they are.
func (e *Engine) locate(a model.Address, err error) error {
	var ae providers.AttrError
	if !errors.As(err, &ae) {
		return err
	}
	msgs := ae.AttrMessages()
	if _, ok := e.declared[a]; !ok || len(msgs) == 0 {
		return err
	}
	attrs := make([]string, 0, len(msgs))
	for attr := range msgs {
		attrs = append(attrs, attr)
	}
	sort.Strings(attrs)
	l := &locatedError{err: err}
	for _, attr := range attrs {
		field, msg := attr, strings.Join(msgs[attr], "; ")
		if _, declared := e.declared[a].Fields[attr]; !declared {
			field = ""
			if attr != "" {
				msg = attr + ": " + msg
			}
		}
		l.at = append(l.at, e.problem(a, field, msg))
	}
	return l
}
