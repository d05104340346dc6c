package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultHeader marks every response the sandbox made up instead of the API
// (an injected fault). Its value names the cause ("rule 2", "error-rate").
// Contract checks use it to tell an injected 429 from an API deviation.
const FaultHeader = "X-Sandbox-Fault"

// Faults is the fault-injection configuration of a Server. It applies to the
// API routes only, never to the /_sandbox/ control routes.
type Faults struct {
	// Latency is added to every API request before it is handled.
	Latency time.Duration
	// ErrorRate is the fraction (0..1) of API requests answered 503 with the
	// documented error body, drawn from the server's seeded RNG. Rules are
	// checked first.
	ErrorRate float64
	// Rules are deterministic faults, checked in order; the first one that
	// matches and is not spent applies.
	Rules []FaultRule
}

// FaultRule is one deterministic fault.
type FaultRule struct {
	// Method is the HTTP method to match; "" matches any.
	Method string `json:"method,omitempty"`
	// Path is a path.Match glob against the URL path, e.g.
	// "/publicCloud/v1/instances/*/start".
	Path string `json:"path"`
	// BodyContains, when set, only matches requests whose body contains it.
	BodyContains string `json:"bodyContains,omitempty"`
	// Status is the status to answer (429, 500, 503, ...), with the
	// errorResult body. It is 0 with Drop. A rule with neither answers 503.
	Status int `json:"status,omitempty"`
	// Drop drops the connection instead of answering: the Transport returns
	// a connection-reset error; over a listener the connection is closed.
	Drop bool `json:"drop,omitempty"`
	// RetryAfter, in seconds, sets the Retry-After header when positive.
	RetryAfter int `json:"retryAfter,omitempty"`
	// Times is how many matching requests fail; 0 means all of them. The
	// count lives in memory only and restarts with every SetFaults.
	Times int `json:"times,omitempty"`
	// AfterApply applies the request first and then fails it, the ambiguous
	// failure a client must survive (e.g. a launch that succeeded although
	// the client saw a 500 or a dropped connection).
	AfterApply bool `json:"afterApply,omitempty"`
	// Echo makes the error repeat the request: body (raw, base64, hex) and
	// X-LSW-Auth, as a careless API would (see faultecho.go).
	Echo bool `json:"echo,omitempty"`
	// Shrink makes the rule a collection that shrinks while it is paged
	// instead of a failure (see shrinkAfterPage): the matching list GET is
	// answered as usual and, when it was the first page of several, one
	// object leaves the collection before any later page is served. Only an
	// object lswctl no longer manages or never managed goes: a DESTROYED
	// instance or load balancer (aging out early), or one whose reference
	// (a target group: name) matches ShrinkMatch. Times counts removals.
	Shrink bool `json:"shrink,omitempty"`
	// ShrinkMatch is a path.Match glob ("stray-*"): with Shrink, objects
	// whose reference or name matches it may go too, as if deleted out of
	// band. Pick a glob none of the configuration's references match.
	ShrinkMatch string `json:"shrinkMatch,omitempty"`
}

// Validate reports the first problem with the configuration, if any.
func (f Faults) Validate() error {
	if f.Latency < 0 {
		return fmt.Errorf("latency %s is negative", f.Latency)
	}
	if f.ErrorRate < 0 || f.ErrorRate > 1 {
		return fmt.Errorf("error rate %g is not between 0 and 1", f.ErrorRate)
	}
	for i, r := range f.Rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("fault rule %d (%s): %w", i+1, r, err)
		}
	}
	return nil
}

func (r FaultRule) validate() error {
	if !strings.HasPrefix(r.Path, "/") {
		return fmt.Errorf("path %q does not start with /", r.Path)
	}
	if _, err := path.Match(r.Path, ""); err != nil {
		return fmt.Errorf("path %q is not a valid glob: %w", r.Path, err)
	}
	if r.Shrink || r.ShrinkMatch != "" {
		return r.validateShrink()
	}
	switch {
	case r.Drop && r.Status != 0:
		return errors.New("a rule either drops the connection or answers a status, not both")
	case r.Drop && r.RetryAfter != 0:
		return errors.New("retry-after makes no sense on a dropped connection")
	case !r.Drop && (r.Status < 400 || r.Status > 599):
		return fmt.Errorf("status %d is not between 400 and 599", r.Status)
	case r.RetryAfter < 0:
		return fmt.Errorf("retry-after %d is negative", r.RetryAfter)
	case r.Times < 0:
		return fmt.Errorf("times %d is negative", r.Times)
	}
	return nil
}

// validateShrink checks a shrink rule: a list GET answered as usual.
func (r FaultRule) validateShrink() error {
	switch {
	case !r.Shrink:
		return errors.New("a shrink match needs shrink")
	case r.Method != "" && !strings.EqualFold(r.Method, http.MethodGet):
		return fmt.Errorf("shrink applies to lists, read with GET, not %s", r.Method)
	case r.Drop || r.Status != 0 || r.RetryAfter != 0 || r.AfterApply || r.BodyContains != "":
		return errors.New("shrink answers the request as usual: no status, drop, retry-after, after-apply or body~")
	case r.Times < 0:
		return fmt.Errorf("times %d is negative", r.Times)
	}
	if _, err := path.Match(r.ShrinkMatch, ""); err != nil {
		return fmt.Errorf("shrink match %q is not a valid glob: %w", r.ShrinkMatch, err)
	}
	return nil
}

// matches reports whether the rule applies to a request.
func (r FaultRule) matches(method, urlPath string, body []byte) bool {
	if r.Method != "" && r.Method != "*" && !strings.EqualFold(r.Method, method) {
		return false
	}
	if ok, _ := path.Match(r.Path, urlPath); !ok {
		return false
	}
	return r.BodyContains == "" || strings.Contains(string(body), r.BodyContains)
}

// faultsJSON is the JSON form of Faults: latency as a Go duration string
// ("250ms"), rules as a list of objects or as one ParseFaultRules spec string.
type faultsJSON struct {
	Latency   string          `json:"latency,omitempty"`
	ErrorRate float64         `json:"errorRate,omitempty"`
	Rules     json.RawMessage `json:"rules,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (f Faults) MarshalJSON() ([]byte, error) {
	rules, err := json.Marshal(f.Rules)
	if err != nil {
		return nil, err
	}
	out := faultsJSON{ErrorRate: f.ErrorRate, Rules: rules}
	if f.Latency != 0 {
		out.Latency = f.Latency.String()
	}
	return json.Marshal(out)
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var in faultsJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*f = Faults{ErrorRate: in.ErrorRate}
	if in.Latency != "" {
		d, err := time.ParseDuration(in.Latency)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		f.Latency = d
	}
	var spec string
	if json.Unmarshal(in.Rules, &spec) == nil {
		rules, err := ParseFaultRules(spec)
		f.Rules = rules
		return err
	}
	if len(in.Rules) > 0 && string(in.Rules) != "null" {
		return json.Unmarshal(in.Rules, &f.Rules)
	}
	return nil
}

// faultState is the active configuration with what is left of each rule's
// Times (-1: unlimited). Guarded by Server.mu.
type faultState struct {
	cfg       Faults
	remaining []int
}

func newFaultState(f Faults) faultState {
	fs := faultState{cfg: f, remaining: make([]int, len(f.Rules))}
	for i, r := range f.Rules {
		fs.remaining[i] = r.Times
		if r.Times == 0 {
			fs.remaining[i] = -1
		}
	}
	return fs
}

// injected is a fault chosen for one request.
type injected struct {
	rule  FaultRule
	cause string
}

// pick chooses the fault for a request, spending one of the rule's Times,
// or draws against ErrorRate. nil means no fault.
func (s *Server) pickFault(method, urlPath string, body []byte) *injected {
	fs := &s.faults
	for i, r := range fs.cfg.Rules {
		if r.Shrink || fs.remaining[i] == 0 || !r.matches(method, urlPath, body) {
			continue
		}
		if fs.remaining[i] > 0 {
			fs.remaining[i]--
		}
		return &injected{rule: r, cause: "rule " + strconv.Itoa(i+1)}
	}
	if fs.cfg.ErrorRate > 0 && s.rng.Float64() < fs.cfg.ErrorRate {
		return &injected{rule: FaultRule{Status: http.StatusServiceUnavailable}, cause: "error-rate"}
	}
	return nil
}

// response renders a status fault as an errorResult.
func (f *injected) response(correlationID string) response {
	status := f.rule.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	r := errorResponse(correlationID, &apiError{status: status, message: standardMessage(status)})
	if f.rule.RetryAfter > 0 {
		r.header.Set("Retry-After", strconv.Itoa(f.rule.RetryAfter))
	}
	r.header.Set(FaultHeader, f.cause)
	return r
}

// The lists a shrink rule can shrink, by route template.
const (
	instancesList     = "/publicCloud/v1/instances"
	loadBalancersList = "/publicCloud/v1/loadBalancers"
	targetGroupsList  = "/publicCloud/v1/targetGroups"
)

// shrinkAfterPage applies the first unspent shrink rule that matches rq,
// once rq has been answered with resp, the first page of a list that has
// more: one object of the listing leaves the collection, so every later
// page of the same read sees it gone, the race a paged reader must
// survive. The object is the first listed that the rule allows (see
// FaultRule.Shrink): the oldest, so that everything after it slides one
// place towards the front. A rule that finds nothing to remove is not
// spent. It reports whether an object went. Callers hold s.mu.
func (s *Server) shrinkAfterPage(rt *route, rq *request, resp response) bool {
	if rt == nil || resp.status != http.StatusOK || !firstPageOfMany(rq, resp) {
		return false
	}
	fs := &s.faults
	for i, r := range fs.cfg.Rules {
		if !r.Shrink || fs.remaining[i] == 0 || !r.matches(rq.http.Method, rq.http.URL.Path, rq.body) {
			continue
		}
		if !s.removeListed(rt.template, rq, r.ShrinkMatch) {
			continue
		}
		if fs.remaining[i] > 0 {
			fs.remaining[i]--
		}
		s.dirty = true
		return true
	}
	return false
}

// firstPageOfMany reports whether resp is the first page of a list with
// more pages: no offset asked, and a totalCount beyond the page's limit.
func firstPageOfMany(rq *request, resp response) bool {
	if off := rq.query.Get("offset"); off != "" && off != "0" {
		return false
	}
	var body struct {
		Meta *wireMetadata `json:"_metadata"`
	}
	return json.Unmarshal(resp.body, &body) == nil && body.Meta != nil && body.Meta.TotalCount > body.Meta.Limit
}

// removeListed removes the first object of the list at template, as
// filtered by rq, that may go: DESTROYED, or with a reference (a target
// group: a name) matching glob. A target group that a listener or an auto
// scaling group uses never goes. It reports whether one went.
func (s *Server) removeListed(template string, rq *request, glob string) bool {
	matches := func(name *string) bool {
		ok := false
		if glob != "" && name != nil {
			ok, _ = path.Match(glob, *name)
		}
		return ok
	}
	switch template {
	case instancesList:
		for _, in := range s.st.sortedInstances() {
			if instanceMatches(rq, in) && (in.State == stateDestroyed || matches(in.Reference)) {
				delete(s.st.instances, in.ID)
				s.st.sweep(rq.now) // it leaves its target groups
				return true
			}
		}
	case loadBalancersList:
		for _, lb := range s.st.sortedLBs() {
			if lbMatches(rq, lb) && (lb.State == stateDestroyed || matches(lb.Reference)) {
				delete(s.st.lbs, lb.ID) // its listeners go with it
				return true
			}
		}
	case targetGroupsList:
		for _, tg := range s.st.sortedTGs() {
			if matchesAll(rq, map[string]string{"id": tg.ID, "name": tg.Name, "protocol": tg.Protocol,
				"port": strconv.Itoa(tg.Port), "region": tg.Region}) && matches(&tg.Name) && !s.st.tgInUse(tg.ID) {
				delete(s.st.tgs, tg.ID)
				return true
			}
		}
	}
	return false
}

// tgInUse reports whether a listener or an auto scaling group uses the
// target group.
func (st *state) tgInUse(id string) bool {
	for _, lb := range st.lbs {
		for _, l := range lb.Listeners {
			if l.TargetGroupID == id {
				return true
			}
		}
	}
	for _, a := range st.asgs {
		if slices.Contains(a.TargetGroupIDs, id) {
			return true
		}
	}
	return false
}
