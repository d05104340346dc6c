// Package contract checks HTTP requests and responses against the Leaseweb
// OpenAPI document (testdata/api/leaseweb-openapi.json, the repository's
// copy of the public contract) with
// getkin/kin-openapi. Tests wrap the sandbox handler (Middleware) or a
// client's transport (Transport) with it, so that every exchange is checked:
// the route and method must be in the document, parameters and bodies must
// match their schemas, and the response status must be one the operation
// documents, with a body matching its schema (or no body when none is
// documented).
//
// Beyond kin-openapi's defaults it also checks that query parameters are
// ones the operation declares, that "uuid" and "ip" formats hold in
// requests, and that a response the document gives no content has no body.
//
// Exemptions: the /_sandbox/ control routes are not part of the API and are
// never checked; a response carrying the sandbox's fault header
// (sandbox.FaultHeader) with a status the operation does not document (an
// injected 429, say) is not checked either — any other injected response
// is. None of the documented flaws of the document (api/README.md) concern
// the paths the sandbox serves yet; when one does, it is exempted here,
// by method, path, status and field, with its reason.
package contract

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// controlPrefix starts the sandbox's control routes.
const controlPrefix = "/_sandbox/"

// Validator checks requests and responses against one OpenAPI document. It
// is safe for concurrent use.
type Validator struct {
	router routers.Router
	// reqOpts also check the "uuid" and "ip" formats, which kin-openapi
	// leaves alone by default: a client sending a reference where an id
	// belongs is caught. Responses are checked with kin-openapi's default
	// formats, the baseline api/README.md lists the document's flaws
	// against (the document's own ISO ids, e.g., are not UUIDs).
	reqOpts, respOpts *openapi3filter.Options
}

// Violation is a request or response that does not match the document.
type Violation struct {
	Method string
	// Path is the request's URL path, Route the document's path template
	// when the route was found.
	Path, Route string
	// Status is the response status; 0 for a request violation.
	Status int
	Err    error
}

// Error names the method, path, route template, status (for a response)
// and what does not match.
func (v *Violation) Error() string {
	where := v.Method + " " + v.Path
	if v.Route != "" && v.Route != v.Path {
		where += " (" + v.Route + ")"
	}
	if v.Status == 0 {
		return fmt.Sprintf("contract: request %s: %v", where, v.Err)
	}
	return fmt.Sprintf("contract: response %s %d: %v", where, v.Status, v.Err)
}

// Unwrap returns the underlying kin-openapi error.
func (v *Violation) Unwrap() error { return v.Err }

// DocumentPath is where the OpenAPI document is: $LSWCTL_OPENAPI when set,
// else testdata/api/leaseweb-openapi.json in the repository (found as the
// nearest directory with a go.mod, walking up from the working directory).
// The repository keeps its own copy so a fresh clone tests everything.
func DocumentPath() string {
	if p := os.Getenv("LSWCTL_OPENAPI"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return filepath.Join(dir, "testdata", "api", "leaseweb-openapi.json")
}

// Load reads and parses the document at path. The document's servers are
// dropped, so requests to any host match.
func Load(path string) (*Validator, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading OpenAPI document: %w", err)
	}
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing OpenAPI document %s: %w", path, err)
	}
	base := func() *openapi3filter.Options {
		o := &openapi3filter.Options{
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
			SkipSettingDefaults:   true,
		}
		o.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
			return "at /" + strings.Join(e.JSONPointer(), "/") + ": " + e.Reason
		})
		return o
	}
	reqOpts, respOpts := base(), base()
	reqOpts.SchemaValidationOptions = []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidator("uuid",
			openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
		openapi3.WithStringFormatValidator("ip", openapi3.NewCallbackValidator(func(s string) error {
			_, err := netip.ParseAddr(s)
			return err
		})),
	}
	return &Validator{router: router, reqOpts: reqOpts, respOpts: respOpts}, nil
}

// loaded caches ForTest's validators per path: the document is 3.5 MB and
// takes most of a second to parse, so a test binary parses it once.
var loaded sync.Map // path → *lazyValidator

type lazyValidator struct {
	once sync.Once
	v    *Validator
	err  error
}

// ForTest returns the validator of DocumentPath, parsed once per process.
// The document is part of the repository, so a missing one is a broken
// checkout and fails the test: nothing skips silently.
func ForTest(tb testing.TB) *Validator {
	tb.Helper()
	path := DocumentPath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		tb.Fatal(missing(path))
	}
	l, _ := loaded.LoadOrStore(path, &lazyValidator{})
	lv := l.(*lazyValidator)
	lv.once.Do(func() { lv.v, lv.err = Load(path) })
	if lv.err != nil {
		tb.Fatal(lv.err)
	}
	return lv.v
}

func missing(path string) string {
	return fmt.Sprintf("OpenAPI document not found at %s (set LSWCTL_OPENAPI to its path)", path)
}

// exempt reports whether a path is outside the API (a control route).
func exempt(urlPath string) bool {
	return strings.HasPrefix(urlPath, controlPrefix)
}

// findRoute finds the document's operation for r.
func (v *Validator) findRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(r)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return nil, nil, &Violation{Method: r.Method, Path: r.URL.Path,
			Err: errors.New("the document has this path but not this method")}
	case err != nil:
		return nil, nil, &Violation{Method: r.Method, Path: r.URL.Path,
			Err: errors.New("the document has no such path")}
	}
	return route, params, nil
}
