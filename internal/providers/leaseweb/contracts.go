package leaseweb

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// lifecycled is a wire object with a reference, a lifecycle and a contract:
// an instance or a load balancer. Both kinds are listed, and looked up by
// reference around a launch, the same way.
type lifecycled interface {
	ident() string
	reference() *string
	// markScheduled records that the object's deletion is scheduled.
	markScheduled()
	// leftAlone says why lswctl must not touch the object, or "".
	leftAlone() string
}

// listScheduled lists every object of a kind and marks those whose
// deletion is scheduled for the end of their contract. List items lack the
// contract state, so a second, filtered list finds them: two paged lists,
// concurrently, instead of one GET per object.
func listScheduled[T any, PT interface {
	*T
	lifecycled
}](ctx context.Context, c *Client, path, collection string) ([]T, error) {
	var all, marked []T
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		all, err = ListAll[T](gctx, c, path, nil, collection)
		return err
	})
	g.Go(func() (err error) {
		marked, err = ListAll[T](gctx, c, path, url.Values{"contractState": {"DELETE_SCHEDULED"}}, collection)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	is := make(map[string]bool, len(marked))
	for i := range marked {
		is[PT(&marked[i]).ident()] = true
	}
	for i := range all {
		if p := PT(&all[i]); is[p.ident()] {
			p.markScheduled()
		}
	}
	return all, nil
}

// byReference lists the live objects with this reference that lswctl may
// touch, for the create protocol (createonce.go). List items lack the
// contract state, so each one is read in full, except those in own (this
// run created them): one scheduled for deletion (the old half of a
// replaced MONTHLY object, which keeps its reference, or a duplicate being
// removed) must never count as holding the reference.
func byReference[T any, PT interface {
	*T
	lifecycled
}](ctx context.Context, c *Client, path, collection, ref string, own []string) ([]T, error) {
	list, err := ListAll[T](ctx, c, path, url.Values{"reference": {ref}}, collection)
	if err != nil {
		return nil, err
	}
	var out []T
	for i := range list {
		item := PT(&list[i])
		if r := item.reference(); r == nil || *r != ref || item.leftAlone() != "" {
			continue
		}
		if !slices.Contains(own, item.ident()) {
			full, err := getObject[T](ctx, c, path+"/"+url.PathEscape(item.ident()))
			if IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if PT(full).leftAlone() != "" {
				continue
			}
		}
		out = append(out, list[i])
	}
	return out, nil
}

// loserOp is the delete of a duplicate this run created (createonce.go):
// the declared cancellation reason when there is one (a MONTHLY instance
// and every load balancer need one), else CANCEL_OTHER saying why.
func loserOp(op providers.Op, id, contractType string) providers.Op {
	after := maps.Clone(op.After)
	contract, _ := after["contract"].(map[string]any)
	contract = maps.Clone(contract)
	if contract == nil {
		contract = map[string]any{}
	}
	if s, _ := contract["cancelReason"].(string); s == "" {
		contract["cancelReason"] = "CANCEL_OTHER"
		contract["cancelReasonText"] = "duplicate created by a concurrent lswctl run"
	}
	after["contract"] = contract
	return providers.Op{Addr: op.Addr, ID: id, After: after,
		Before: model.Object{"contract": map[string]any{"type": contractType}}}
}

func (in *apiInstance) ident() string      { return in.ID }
func (in *apiInstance) reference() *string { return in.Reference }
func (in *apiInstance) markScheduled()     { in.Contract.State = "DELETE_SCHEDULED" }
func (in *apiInstance) leftAlone() string  { return untouchable(*in) }

func (lb *apiLoadBalancer) ident() string      { return lb.ID }
func (lb *apiLoadBalancer) reference() *string { return lb.Reference }
func (lb *apiLoadBalancer) markScheduled()     { lb.Contract.State = "DELETE_SCHEDULED" }
func (lb *apiLoadBalancer) leftAlone() string  { return lbUntouchable(*lb) }

// getObject reads one object.
func getObject[T any](ctx context.Context, c *Client, path string) (*T, error) {
	var v T
	if err := c.Do(ctx, http.MethodGet, path, nil, nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// readOne re-reads one object for a Refresher: nil, nil when it is gone —
// not found, or destroyed but still listed, as Read sees it.
func readOne[T any](ctx context.Context, c *Client, path string, destroyed func(*T) bool, convert func(T) model.Resource) (*model.Resource, error) {
	v, err := getObject[T](ctx, c, path)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if destroyed(v) {
		return nil, nil
	}
	r := convert(*v)
	return &r, nil
}
