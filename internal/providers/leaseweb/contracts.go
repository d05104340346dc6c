package leaseweb

import (
	"context"
	"net/url"

	"golang.org/x/sync/errgroup"
)

// listScheduled lists every object of a kind with a contract (instances,
// load balancers) and calls scheduled on those whose deletion is scheduled
// for the end of their contract. List items lack the contract state, so a
// second, filtered list finds them: two paged lists, concurrently, instead
// of one GET per object.
func listScheduled[T any](ctx context.Context, c *Client, path, collection string, id func(*T) string, scheduled func(*T)) ([]T, error) {
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
		is[id(&marked[i])] = true
	}
	for i := range all {
		if is[id(&all[i])] {
			scheduled(&all[i])
		}
	}
	return all, nil
}
