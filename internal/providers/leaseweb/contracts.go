package leaseweb

import (
	"context"
	"net/http"
	"net/url"

	"golang.org/x/sync/errgroup"

	"github.com/lswctl/lswctl/internal/model"
)

// lifecycled is a wire object with a reference, a lifecycle and a contract:
// an instance or a load balancer. Both kinds are listed, and adopted after
// an ambiguous launch, the same way.
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

// findByReference finds a live object lswctl may touch with this
// reference, after a launch whose answer was lost. List items lack the
// contract state, so each candidate is read in full: one scheduled for
// deletion (the old half of a replaced MONTHLY object, which keeps its
// reference) must never be adopted as the new one.
func findByReference[T any, PT interface {
	*T
	lifecycled
}](ctx context.Context, c *Client, path, collection, ref string) (string, error) {
	list, err := ListAll[T](ctx, c, path, url.Values{"reference": {ref}}, collection)
	if err != nil {
		return "", err
	}
	for i := range list {
		item := PT(&list[i])
		if r := item.reference(); r == nil || *r != ref || item.leftAlone() != "" {
			continue
		}
		var full T
		if err := c.Do(ctx, http.MethodGet, path+"/"+url.PathEscape(item.ident()), nil, nil, &full); err != nil {
			return "", err
		}
		if PT(&full).leftAlone() == "" {
			return item.ident(), nil
		}
	}
	return "", nil
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
