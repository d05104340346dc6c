package leaseweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"golang.org/x/sync/singleflight"
)

// loadBalancerSchema is what the diff needs to know about load balancers
// (api/publiccloud.md §4): the region, term and billing frequency cannot be
// updated; the cancellation reason is only ever sent on delete; listeners
// are declared inside the load balancer and identified by protocol and
// port.
var loadBalancerSchema = model.KindSchema{
	Kind:      "loadBalancer",
	Plural:    "loadBalancers",
	Immutable: []string{"region", "contract.term", "contract.billingFrequency"},
	WriteOnly: []string{"contract.cancelReason", "contract.cancelReasonText"},
	Children: []model.Child{{Attr: "listeners", Kind: listenerSchema.Kind,
		Key: []string{"protocol", "port"}, ParentAttr: "loadBalancer"}},
}

// lbConfigFields are the configuration attributes, which the API only
// takes in an update.
var lbConfigFields = []string{"stickySession", "balance", "xForwardedFor", "idleTimeOut"}

// loadBalancers is the public cloud load balancer kind.
type loadBalancers struct {
	c    *Client
	poll pollTimes
	once onceTimes
	// reads shares one listing between the load balancer and listener
	// kinds when the engine reads both at once, as a plan does.
	reads singleflight.Group
}

func newLoadBalancers(c *Client, poll pollTimes, once onceTimes) *loadBalancers {
	return &loadBalancers{c: c, poll: poll, once: once}
}

func (k *loadBalancers) Schema() model.KindSchema { return loadBalancerSchema }

func lbPath(id string) string { return loadBalancersPath + "/" + url.PathEscape(id) }

// Read lists every load balancer except the destroyed ones.
func (k *loadBalancers) Read(ctx context.Context) ([]model.Resource, error) {
	all, err := k.list(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]model.Resource, 0, len(all))
	for _, lb := range all {
		if lb.State != "DESTROYED" {
			out = append(out, loadBalancerResource(lb))
		}
	}
	return out, nil
}

// list lists every load balancer, sharing the requests with a concurrent
// caller. Each caller gets its own copy.
func (k *loadBalancers) list(ctx context.Context) ([]apiLoadBalancer, error) {
	v, err, _ := k.reads.Do("list", func() (any, error) { return readLoadBalancers(ctx, k.c) })
	if err != nil {
		return nil, err
	}
	return slices.Clone(v.([]apiLoadBalancer)), nil
}

// readLoadBalancers lists every load balancer (DESTROYED ones included),
// marking the ones scheduled for deletion.
func readLoadBalancers(ctx context.Context, c *Client) ([]apiLoadBalancer, error) {
	all, err := listScheduled[apiLoadBalancer](ctx, c, loadBalancersPath, "loadBalancers")
	if err != nil {
		return nil, fmt.Errorf("reading load balancers: %w", err)
	}
	return all, nil
}

// ReadOne re-reads one load balancer by id; nil when it is gone.
func (k *loadBalancers) ReadOne(ctx context.Context, id string) (*model.Resource, error) {
	return readOne(ctx, k.c, lbPath(id), func(v *apiLoadBalancer) bool { return v.State == "DESTROYED" }, loadBalancerResource)
}

func (k *loadBalancers) get(ctx context.Context, id string) (*apiLoadBalancer, error) {
	return getObject[apiLoadBalancer](ctx, k.c, lbPath(id))
}

// lbName is a load balancer's name: its reference, or its id without one.
func lbName(lb apiLoadBalancer) string {
	if lb.Reference != nil && *lb.Reference != "" {
		return *lb.Reference
	}
	return lb.ID
}

// loadBalancerResource converts the wire shape to the configuration's
// shape. The configuration is null on the wire until the load balancer
// has one; its attributes are then left out.
func loadBalancerResource(lb apiLoadBalancer) model.Resource {
	a := model.Object{
		"region":   lb.Region,
		"type":     lb.Type,
		"contract": map[string]any{"type": lb.Contract.Type, "term": lb.Contract.Term, "billingFrequency": lb.Contract.BillingFrequency},
		"state":    lb.State,
	}
	if c := lb.Configuration; c != nil {
		a["stickySession"] = nil
		if s := c.StickySession; s != nil {
			a["stickySession"] = map[string]any{"enabled": s.Enabled, "maxLifeTime": s.MaxLifeTime}
		}
		a["balance"] = c.Balance
		a["xForwardedFor"] = c.XForwardedFor
		a["idleTimeOut"] = c.IdleTimeOut
	}
	return model.Resource{
		Addr:        model.Address{Kind: loadBalancerSchema.Kind, Name: lbName(lb)},
		ID:          lb.ID,
		Attrs:       a,
		Untouchable: lbUntouchable(lb),
	}
}

// lbUntouchable says why lswctl must leave a load balancer alone, or "".
func lbUntouchable(lb apiLoadBalancer) string { return ending(lb.State, lb.Contract.State) }

// Create launches a load balancer through the create protocol
// (createonce.go), which adopts one another run launched with the same
// reference instead of launching a second one, waits until it runs and
// then sets the declared configuration with one PUT, since the launch body
// cannot carry it.
func (k *loadBalancers) Create(ctx context.Context, gate providers.Gate, op providers.Op) (string, error) {
	a := attrs(op.After)
	body := launchLoadBalancer{
		Region:           a.str("region"),
		Type:             a.str("type"),
		ContractType:     a.str("contract.type"),
		ContractTerm:     a.optNum("contract.term"),
		BillingFrequency: a.optNum("contract.billingFrequency"),
		Reference:        op.Addr.Name,
	}
	id, err := k.once.run(ctx, gate, onceSpec{
		what: "load balancer " + op.Addr.Name,
		lookup: func(ctx context.Context, own []string) ([]candidate, error) {
			found, err := byReference[apiLoadBalancer](ctx, k.c, loadBalancersPath, "loadBalancers", op.Addr.Name, own)
			out := make([]candidate, len(found))
			for i, lb := range found {
				out[i] = candidate{id: lb.ID, misfit: misfits([3]string{"region", lb.Region, body.Region})}
			}
			return out, err
		},
		create: func(ctx context.Context) (string, error) {
			var created apiLoadBalancer
			err := k.c.Do(ctx, http.MethodPost, loadBalancersPath, nil, body, &created)
			return created.ID, err
		},
		remove: func(ctx context.Context, id string) error {
			return k.Delete(ctx, gate, loserOp(op, id, body.ContractType))
		},
	})
	if err != nil {
		return "", err
	}
	lb, err := k.waitStable(ctx, id)
	if err != nil {
		return id, err
	}
	if body, ok := configBody(a, lb.Configuration, lbConfigFields); ok {
		if err := k.put(ctx, gate, id, body); err != nil {
			return id, err
		}
	}
	return id, nil
}

// configBody returns the update members for the declared configuration
// fields among fields that differ from cur (all declared ones when cur is
// unknown), and whether there is any.
func configBody(a attrs, cur *apiLBConfiguration, fields []string) (map[string]any, bool) {
	var live model.Object
	if cur != nil {
		live = loadBalancerResource(apiLoadBalancer{Configuration: cur}).Attrs
	}
	body := map[string]any{}
	for _, f := range fields {
		want, ok := model.Get(model.Object(a), f)
		if !ok {
			continue
		}
		if got, known := model.Get(live, f); known && sameValue(want, got) {
			continue
		}
		body[f] = want
	}
	return body, len(body) > 0
}

// sameValue compares a declared and a live configuration value, numbers by
// value.
func sameValue(a, b any) bool {
	return model.Format(normNumbers(a)) == model.Format(normNumbers(b))
}

func normNumbers(v any) any {
	switch t := v.(type) {
	case int:
		return int64(t)
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = normNumbers(x)
		}
		return m
	}
	return v
}

// put sends one update inside the gate.
func (k *loadBalancers) put(ctx context.Context, gate providers.Gate, id string, body map[string]any) error {
	return gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodPut, lbPath(id), nil, body, nil)
	})
}

// waitStable polls until the load balancer rests (RUNNING or STOPPED) and
// returns it as last read.
func (k *loadBalancers) waitStable(ctx context.Context, id string) (*apiLoadBalancer, error) {
	var lb *apiLoadBalancer
	err := k.poll.poll(ctx, "load balancer "+id+" to settle", func(ctx context.Context) (bool, string, error) {
		got, err := k.get(ctx, id)
		if err != nil {
			return false, "", err
		}
		lb = got
		if got.State == "FAILED" || got.State == "DESTROYED" {
			return false, got.State, fmt.Errorf("load balancer %s is %s", id, got.State)
		}
		return stable[got.State], got.State, nil
	})
	return lb, err
}

var (
	_ providers.Checker   = (*loadBalancers)(nil)
	_ providers.Refresher = (*loadBalancers)(nil)
)
