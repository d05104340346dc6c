package leaseweb

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/lswctl/lswctl/internal/model"
)

// Wire shapes of the load balancing endpoints, as in the OpenAPI document
// (targetGroup, target, createTargetGroupOpts, updateTargetGroupOpts,
// healthCheckOpts, loadBalancer, loadBalancerDetails,
// launchLoadBalancerOpts, terminateLoadBalancerOpts, loadBalancerListener,
// loadBalancerListenerDetails, loadBalancerListenerCreateOpts,
// autoScalingGroup, autoScalingGroupDetails, targetGroupIdOpts). Only the
// fields lswctl reads are declared.

const (
	targetGroupsPath  = "/publicCloud/v1/targetGroups"
	loadBalancersPath = "/publicCloud/v1/loadBalancers"
	asgsPath          = "/publicCloud/v1/autoScalingGroups"
)

type apiHealthCheck struct {
	Protocol string  `json:"protocol"`
	Method   *string `json:"method"`
	URI      string  `json:"uri"`
	Host     *string `json:"host"`
	Port     int64   `json:"port"`
}

type apiTargetGroup struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Protocol    string          `json:"protocol"`
	Port        int64           `json:"port"`
	Region      string          `json:"region"`
	HealthCheck *apiHealthCheck `json:"healthCheck"`
}

type apiTarget struct {
	ID string `json:"id"`
}

// healthCheckOpts is the request form of a health check: method and host
// are left out when empty (method is refused for TCP checks).
type healthCheckOpts struct {
	Protocol string `json:"protocol"`
	Method   string `json:"method,omitempty"`
	URI      string `json:"uri"`
	Host     string `json:"host,omitempty"`
	Port     int64  `json:"port"`
}

type createTargetGroup struct {
	Name        string           `json:"name"`
	Protocol    string           `json:"protocol"`
	Port        int64            `json:"port"`
	Region      string           `json:"region"`
	HealthCheck *healthCheckOpts `json:"healthCheck,omitempty"`
}

type updateTargetGroup struct {
	Port        *int64           `json:"port,omitempty"`
	HealthCheck *healthCheckOpts `json:"healthCheck,omitempty"`
}

type apiStickySession struct {
	Enabled     bool  `json:"enabled"`
	MaxLifeTime int64 `json:"maxLifeTime"`
}

type apiLBConfiguration struct {
	StickySession *apiStickySession `json:"stickySession"`
	Balance       string            `json:"balance"`
	XForwardedFor bool              `json:"xForwardedFor"`
	IdleTimeOut   int64             `json:"idleTimeOut"`
}

// apiLoadBalancer is both the list item and the details; the contract's
// state is only in the details.
type apiLoadBalancer struct {
	ID        string  `json:"id"`
	Reference *string `json:"reference"`
	Region    string  `json:"region"`
	Type      string  `json:"type"`
	State     string  `json:"state"`
	Contract  struct {
		Type             string `json:"type"`
		Term             int64  `json:"term"`
		BillingFrequency int64  `json:"billingFrequency"`
		State            string `json:"state"`
	} `json:"contract"`
	Configuration *apiLBConfiguration `json:"configuration"`
}

type launchLoadBalancer struct {
	Region           string `json:"region"`
	Type             string `json:"type"`
	ContractType     string `json:"contractType"`
	ContractTerm     *int64 `json:"contractTerm,omitempty"`
	BillingFrequency *int64 `json:"billingFrequency,omitempty"`
	Reference        string `json:"reference,omitempty"`
}

type apiListenerRule struct {
	ID            string `json:"id"`
	Default       bool   `json:"default"`
	TargetGroupID string `json:"targetGroupId"`
}

type apiListener struct {
	ID       string            `json:"id"`
	Protocol string            `json:"protocol"`
	Port     int64             `json:"port"`
	Rules    []apiListenerRule `json:"rules"`
}

// defaultTargetGroup is the target group of the listener's default rule
// (the first rule when none is marked default).
func (l apiListener) defaultTargetGroup() string {
	if i := slices.IndexFunc(l.Rules, func(r apiListenerRule) bool { return r.Default }); i >= 0 {
		return l.Rules[i].TargetGroupID
	}
	if len(l.Rules) > 0 {
		return l.Rules[0].TargetGroupID
	}
	return ""
}

type apiCertificate struct {
	PrivateKey  string `json:"privateKey"`
	Certificate string `json:"certificate"`
	Chain       string `json:"chain,omitempty"`
}

type apiListenerDetails struct {
	apiListener
	SSLCertificates []apiCertificate `json:"sslCertificates"`
}

type defaultRuleOpts struct {
	TargetGroupID string `json:"targetGroupId"`
}

// listenerOpts is loadBalancerListenerCreateOpts for POST (every field
// set) and loadBalancerListenerOpts for PUT (only what changes).
type listenerOpts struct {
	Protocol    string           `json:"protocol,omitempty"`
	Port        int64            `json:"port,omitempty"`
	DefaultRule *defaultRuleOpts `json:"defaultRule,omitempty"`
	Certificate *apiCertificate  `json:"certificate,omitempty"`
}

type apiASG struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Region    string `json:"region"`
	Type      string `json:"type"`
	State     string `json:"state"`
}

type apiASGDetails struct {
	apiASG
	TargetGroups []struct {
		ID string `json:"id"`
	} `json:"targetGroups"`
}

type targetGroupIDOpts struct {
	TargetGroupID string `json:"targetGroupId"`
}

// readLimit bounds the per-object requests a Read sends at once (targets of
// each target group, listeners of each load balancer, details of each auto
// scaling group), on top of the client's own rate limit.
const readLimit = 8

// eachLimited calls fn for every item, at most readLimit at once, and
// returns the first error.
func eachLimited[T any](ctx context.Context, items []T, fn func(ctx context.Context, i int, item T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readLimit)
	for i, it := range items {
		g.Go(func() error { return fn(gctx, i, it) })
	}
	return g.Wait()
}

// strs reads a list of strings (resolved ids) in the configuration's shape.
func (a attrs) strs(path string) []string {
	v, _ := model.Get(model.Object(a), path)
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// has reports whether path is set (possibly to null).
func (a attrs) has(path string) bool {
	_, ok := model.Get(model.Object(a), path)
	return ok
}

// idList returns ids sorted, as a list attribute.
func idList(ids []string) []any {
	sorted := slices.Sorted(slices.Values(ids))
	out := make([]any, len(sorted))
	for i, id := range sorted {
		out[i] = id
	}
	return out
}

// setDiff returns the items of want missing from have, and those of have
// missing from want, each in the order of its list.
func setDiff(want, have []string) (missing, extra []string) {
	for _, w := range want {
		if !slices.Contains(have, w) && !slices.Contains(missing, w) {
			missing = append(missing, w)
		}
	}
	for _, h := range have {
		if !slices.Contains(want, h) && !slices.Contains(extra, h) {
			extra = append(extra, h)
		}
	}
	return missing, extra
}
