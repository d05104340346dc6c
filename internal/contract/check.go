package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// CheckRequest checks a request whose body (already read) is body. It
// returns nil for the /_sandbox/ control routes and a *Violation otherwise
// when the route, a parameter or the body does not match the document.
func (v *Validator) CheckRequest(r *http.Request, body []byte) error {
	if exempt(r.URL.Path) {
		return nil
	}
	route, params, err := v.findRoute(r)
	if err != nil {
		return err
	}
	violation := func(err error) error {
		return &Violation{Method: r.Method, Path: r.URL.Path, Route: route.Path, Err: err}
	}
	if err := openapi3filter.ValidateRequest(r.Context(), v.requestInput(r, body, route, params, v.reqOpts)); err != nil {
		return violation(err)
	}
	if err := checkQueryNames(route, r); err != nil {
		return violation(err)
	}
	return nil
}

// requestInput builds kin-openapi's input from a copy of r carrying body.
func (v *Validator) requestInput(r *http.Request, body []byte, route *routers.Route, params map[string]string,
	opts *openapi3filter.Options) *openapi3filter.RequestValidationInput {
	rc := r.Clone(r.Context())
	rc.Body = io.NopCloser(bytes.NewReader(body))
	rc.ContentLength = int64(len(body))
	return &openapi3filter.RequestValidationInput{Request: rc, PathParams: params, Route: route, Options: opts}
}

// checkQueryNames rejects query parameters the operation does not declare:
// kin-openapi ignores them, but a client sending one has misread the API.
func checkQueryNames(route *routers.Route, r *http.Request) error {
	declared := func(name string) bool {
		for _, params := range []openapi3.Parameters{route.Operation.Parameters, route.PathItem.Parameters} {
			if p := params.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
				return true
			}
		}
		return false
	}
	var unknown []string
	for name := range r.URL.Query() {
		if !declared(name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("query parameters %q are not in the document", unknown)
}

// CheckResponse checks the response to r (whose body was reqBody): the
// status must be one the operation documents, and the body must match the
// schema of that status, or be empty when the document gives it no content.
// It returns nil for the control routes and for a response marked with the
// sandbox's fault header whose status the operation does not document.
func (v *Validator) CheckResponse(r *http.Request, reqBody []byte, status int, h http.Header, body []byte) error {
	if exempt(r.URL.Path) {
		return nil
	}
	route, params, err := v.findRoute(r)
	if err != nil {
		var vio *Violation
		if errors.As(err, &vio) {
			vio.Status = status
		}
		return err
	}
	documented := route.Operation.Responses.Status(status)
	if documented == nil {
		documented = route.Operation.Responses.Default()
	}
	if documented == nil && h.Get(sandbox.FaultHeader) != "" {
		return nil
	}
	violation := func(err error) error {
		return &Violation{Method: r.Method, Path: r.URL.Path, Route: route.Path, Status: status, Err: err}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: v.requestInput(r, reqBody, route, params, v.respOpts),
		Status:                 status,
		Header:                 h,
		Options:                v.respOpts,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		return violation(err)
	}
	if documented != nil && documented.Value != nil && len(documented.Value.Content) == 0 && len(body) > 0 {
		return violation(fmt.Errorf("the document gives status %d no content, but the body has %d bytes", status, len(body)))
	}
	return nil
}
