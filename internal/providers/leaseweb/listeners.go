package leaseweb

/*
Listeners.

A listener has no name and no state of its own: it is a port of a load
balancer, identified by its protocol and port, declared inside the load
balancer. Read names each live one the way the engine names declared ones
(model.ChildName: "edge/HTTPS:443", after the load balancer's reference or
id), so the two match. The listeners of a load balancer scheduled for
deletion are read but untouchable, like the load balancer: the old half of
a replaced MONTHLY load balancer keeps its reference, and its listeners
must not clash with the new one's.

Only GET of one listener returns the certificate (private key in clear),
so Read fetches it for HTTPS listeners only, and hands the values on as
secrets.
*/

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// listenerSchema is what the diff needs to know about listeners
// (api/publiccloud.md §5). There is no Plural: listeners are declared
// inside load balancers.
var listenerSchema = model.KindSchema{
	Kind:      "listener",
	Immutable: []string{"loadBalancer", "protocol", "port"},
	Sensitive: []string{"certificate.privateKey", "certificate.certificate", "certificate.chain"},
}

// listeners is the load balancer listener kind.
type listeners struct {
	c   *Client
	lbs *loadBalancers // for its listing, and waiting until one runs
}

func newListeners(c *Client, lbs *loadBalancers) *listeners { return &listeners{c: c, lbs: lbs} }

func (k *listeners) Schema() model.KindSchema { return listenerSchema }

func listenersPath(lbID string) string { return lbPath(lbID) + "/listeners" }

func listenerPath(lbID, id string) string { return listenersPath(lbID) + "/" + url.PathEscape(id) }

// Read lists the listeners of every load balancer that is not being
// destroyed: the load balancer lists, then one paged list per load
// balancer and one GET per HTTPS listener, at most readLimit at once.
func (k *listeners) Read(ctx context.Context) ([]model.Resource, error) {
	all, err := k.lbs.list(ctx)
	if err != nil {
		return nil, err
	}
	lbs := slices.DeleteFunc(all, func(lb apiLoadBalancer) bool {
		return lb.State == "DESTROYING" || lb.State == "DESTROYED"
	})
	perLB := make([][]apiListener, len(lbs))
	err = eachLimited(ctx, lbs, func(ctx context.Context, i int, lb apiLoadBalancer) (err error) {
		perLB[i], err = ListAll[apiListener](ctx, k.c, listenersPath(lb.ID), nil, "listeners")
		if IsNotFound(err) {
			perLB[i], err = nil, nil // gone since it was listed
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading listeners: %w", err)
	}
	type item struct {
		lb apiLoadBalancer
		l  apiListener
	}
	var items []item
	for i, lb := range lbs {
		for _, l := range perLB[i] {
			items = append(items, item{lb, l})
		}
	}
	certs := make([]*apiCertificate, len(items))
	err = eachLimited(ctx, items, func(ctx context.Context, i int, it item) error {
		if it.l.Protocol != "HTTPS" {
			return nil
		}
		var d apiListenerDetails
		err := k.c.Do(ctx, http.MethodGet, listenerPath(it.lb.ID, it.l.ID), nil, nil, &d)
		if err != nil {
			return err
		}
		if len(d.SSLCertificates) > 0 {
			certs[i] = &d.SSLCertificates[0]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading listeners: %w", err)
	}
	out := make([]model.Resource, len(items))
	for i, it := range items {
		out[i] = listenerResource(it.lb, it.l, certs[i])
	}
	return out, nil
}

// listenerResource converts the wire shape to the configuration's shape,
// named and parented like a declared listener of the load balancer.
func listenerResource(lb apiLoadBalancer, l apiListener, cert *apiCertificate) model.Resource {
	a := model.Object{
		"loadBalancer": lb.ID,
		"protocol":     l.Protocol,
		"port":         l.Port,
		"targetGroup":  l.defaultTargetGroup(),
	}
	if cert != nil {
		c := map[string]any{
			"certificate": liveSecret(cert.Certificate),
			"privateKey":  liveSecret(cert.PrivateKey),
		}
		if cert.Chain != "" {
			c["chain"] = liveSecret(cert.Chain)
		}
		a["certificate"] = c
	}
	parent := lbName(lb)
	r := model.Resource{
		Addr:   model.Address{Kind: listenerSchema.Kind, Name: model.ChildName(parent, loadBalancerSchema.Children[0].Key, a)},
		ID:     l.ID,
		Attrs:  a,
		Parent: model.Address{Kind: loadBalancerSchema.Kind, Name: parent},
	}
	if why := lbUntouchable(lb); why != "" {
		r.Untouchable = "its load balancer is " + why
	}
	return r
}

// certificateOf builds the declared certificate with the secrets revealed;
// nil when none is declared.
func certificateOf(a attrs) (*apiCertificate, error) {
	v, _ := model.Get(model.Object(a), "certificate")
	if _, ok := v.(map[string]any); !ok {
		return nil, nil
	}
	for _, p := range listenerSchema.Sensitive {
		if s, ok := model.Get(model.Object(a), p); ok {
			if sec, ok := s.(model.Secret); ok && !sec.Known() {
				return nil, &providers.FieldError{Path: p, Msg: fmt.Sprintf(
					"the value from %s is not available: lswctl needs it to send the certificate", sec.Source)}
			}
		}
	}
	return &apiCertificate{PrivateKey: a.str("certificate.privateKey"),
		Certificate: a.str("certificate.certificate"), Chain: a.str("certificate.chain")}, nil
}

// Create adds the listener once its load balancer runs (the API refuses a
// listener on a load balancer in any other state), through the create
// protocol (createonce.go). A load balancer takes one listener per port and
// refuses a second one, so a listener another run added on the same port
// is adopted, whether the lookup before the create finds it or the API
// refuses the create because of it.
func (k *listeners) Create(ctx context.Context, gate providers.Gate, op providers.Op) (string, error) {
	a := attrs(op.After)
	lbID := a.str("loadBalancer")
	cert, err := certificateOf(a)
	if err != nil {
		return "", err
	}
	body := listenerOpts{Protocol: a.str("protocol"), DefaultRule: &defaultRuleOpts{TargetGroupID: a.str("targetGroup")},
		Certificate: cert}
	body.Port, _ = a.num("port")
	lb, err := k.lbs.waitStable(ctx, lbID)
	if err != nil {
		return "", err
	}
	if lb.State != "RUNNING" {
		return "", fmt.Errorf("load balancer %s is %s: Leaseweb adds listeners only to a running load balancer", lbID, lb.State)
	}
	return k.lbs.once.run(ctx, gate, onceSpec{
		what:   fmt.Sprintf("listener %s:%d of load balancer %s", body.Protocol, body.Port, lbID),
		unique: true,
		refused: func(err error) bool {
			return StatusOf(err) == http.StatusBadRequest
		},
		lookup: func(ctx context.Context, _ []string) ([]candidate, error) {
			list, err := ListAll[apiListener](ctx, k.c, listenersPath(lbID), nil, "listeners")
			var out []candidate
			for _, l := range list {
				if l.Port == body.Port {
					out = append(out, candidate{id: l.ID, misfit: misfits([3]string{"protocol", l.Protocol, body.Protocol})})
				}
			}
			return out, err
		},
		create: func(ctx context.Context) (string, error) {
			var created apiListener
			err := k.c.Do(ctx, http.MethodPost, listenersPath(lbID), nil, body, &created)
			return created.ID, err
		},
		remove: func(ctx context.Context, id string) error {
			return k.Delete(ctx, gate, providers.Op{Addr: op.Addr, ID: id, Before: model.Object{"loadBalancer": lbID}})
		},
	})
}

// Update changes the default rule's target group and the certificate with
// one PUT; protocol, port and load balancer force a replacement.
func (k *listeners) Update(ctx context.Context, gate providers.Gate, op providers.Op) error {
	a := attrs(op.After)
	var body listenerOpts
	changed := false
	for _, p := range op.Changed {
		switch {
		case p == "targetGroup":
			body.DefaultRule, changed = &defaultRuleOpts{TargetGroupID: a.str("targetGroup")}, true
		case p == "certificate" || strings.HasPrefix(p, "certificate."):
			cert, err := certificateOf(a)
			if err != nil {
				return err
			}
			if cert != nil {
				body.Certificate, changed = cert, true
			}
		}
	}
	if !changed {
		return nil
	}
	lbID := lbOf(op)
	return gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodPut, listenerPath(lbID, op.ID), nil, body, nil)
	})
}

// Delete removes the listener; a listener already gone, or whose load
// balancer is gone, counts as deleted.
func (k *listeners) Delete(ctx context.Context, gate providers.Gate, op providers.Op) error {
	lbID := lbOf(op)
	err := gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodDelete, listenerPath(lbID, op.ID), nil, nil, nil)
	})
	if IsNotFound(err) {
		return nil
	}
	return err
}

// lbOf is the id of the listener's load balancer: the live one when known
// (a pruned listener has no declaration), else the declared one.
func lbOf(op providers.Op) string {
	if id := attrs(op.Before).str("loadBalancer"); id != "" {
		return id
	}
	return attrs(op.After).str("loadBalancer")
}
