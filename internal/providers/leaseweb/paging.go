package leaseweb

/*
Paging.

Leaseweb lists answer {"<collection>": [...], "_metadata": {"totalCount",
"offset", "limit"}} and take limit/offset query parameters. Neither a
default nor a maximum limit is documented, so ListAll never assumes one:

 1. It fetches the first page, sending limit only when PageSize is set.
 2. The step between offsets is the limit the server echoes in _metadata,
    not the one asked for, so a server that caps or ignores limit is paged
    correctly; without an echoed limit the size of the first page is used.
 3. The remaining offsets are known up front from totalCount, so they are
    fetched concurrently (at most Concurrency at once, all through the shared
    rate limiter), each sending the step as its limit, and concatenated in
    offset order.
 4. An empty page means the list shrank while being read: it and every later
    page are dropped, and pages not yet started are skipped.

A list without _metadata (or a bare JSON array) is a single page. Lists that
grow while being read can miss or repeat an item at a page boundary; kinds
that need exactness key their results by id.
*/

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// maxPages guards against a totalCount that would mean an absurd number of
// requests.
const maxPages = 10000

// pageMeta is the _metadata object of a list answer.
type pageMeta struct {
	TotalCount *int `json:"totalCount"`
	Offset     *int `json:"offset"`
	Limit      *int `json:"limit"`
}

// ListAll fetches every page of the list at path and returns its items in
// offset order. collection is the JSON key of the array ("instances"); query
// holds filters, and ListAll sets offset (and limit, see ClientOptions.PageSize)
// itself. The first error of any page is returned.
func ListAll[T any](ctx context.Context, c *Client, path string, query url.Values, collection string) ([]T, error) {
	q := cloneValues(query)
	q.Del("offset")
	if c.pageSize > 0 {
		q.Set("limit", strconv.Itoa(c.pageSize))
	}
	first, meta, err := fetchPage[T](ctx, c, path, q, collection)
	if err != nil {
		return nil, err
	}
	if meta == nil || meta.TotalCount == nil || len(first) == 0 {
		return first, nil
	}
	step := len(first)
	if meta.Limit != nil && *meta.Limit > 0 {
		step = *meta.Limit
	}
	start := 0
	if meta.Offset != nil {
		start = *meta.Offset
	}
	if pages := (*meta.TotalCount - start + step - 1) / step; pages > maxPages {
		return nil, fmt.Errorf("GET %s: totalCount %d with limit %d would take %d pages, more than %d",
			path, *meta.TotalCount, step, pages, maxPages)
	}
	var offsets []int
	for off := start + step; off < *meta.TotalCount; off += step {
		offsets = append(offsets, off)
	}
	rest, err := fetchPages[T](ctx, c, path, q, collection, offsets, step)
	if err != nil {
		return nil, err
	}
	return append(first, rest...), nil
}

// fetchPages fetches the pages at offsets concurrently and concatenates them
// in order, stopping at the first empty page.
func fetchPages[T any](ctx context.Context, c *Client, path string, q url.Values, collection string, offsets []int, step int) ([]T, error) {
	pages := make([][]T, len(offsets))
	var firstEmpty atomic.Int64 // index of the first empty page seen
	firstEmpty.Store(int64(len(offsets)))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency)
	for i, off := range offsets {
		if gctx.Err() != nil || int64(i) > firstEmpty.Load() {
			break
		}
		g.Go(func() error {
			if int64(i) > firstEmpty.Load() {
				return nil
			}
			pq := cloneValues(q)
			pq.Set("offset", strconv.Itoa(off))
			pq.Set("limit", strconv.Itoa(step))
			items, _, err := fetchPage[T](gctx, c, path, pq, collection)
			if err != nil {
				return err
			}
			if len(items) == 0 {
				storeMin(&firstEmpty, int64(i))
			}
			pages[i] = items
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []T
	for i, p := range pages {
		if int64(i) >= firstEmpty.Load() {
			break
		}
		out = append(out, p...)
	}
	return out, nil
}

// fetchPage GETs one page and splits it into items and metadata (nil when
// the answer has none).
func fetchPage[T any](ctx context.Context, c *Client, path string, q url.Values, collection string) ([]T, *pageMeta, error) {
	var raw json.RawMessage
	if err := c.Do(ctx, http.MethodGet, path, q, nil, &raw); err != nil {
		return nil, nil, err
	}
	raw = bytes.TrimSpace(raw)
	var items []T
	if len(raw) == 0 {
		return nil, nil, nil
	}
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, nil, fmt.Errorf("GET %s: decoding list: %w", path, err)
		}
		return items, nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, nil, fmt.Errorf("GET %s: decoding list: %w", path, err)
	}
	var meta *pageMeta
	if m, ok := fields["_metadata"]; ok {
		if err := json.Unmarshal(m, &meta); err != nil {
			return nil, nil, fmt.Errorf("GET %s: decoding _metadata: %w", path, err)
		}
	}
	list, ok := fields[collection]
	if !ok {
		if meta != nil && meta.TotalCount != nil && *meta.TotalCount == 0 {
			return nil, meta, nil
		}
		return nil, nil, fmt.Errorf("GET %s: answer has no %q list", path, collection)
	}
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, nil, fmt.Errorf("GET %s: decoding %q: %w", path, collection, err)
	}
	return items, meta, nil
}

// storeMin lowers v to x if x is smaller.
func storeMin(v *atomic.Int64, x int64) {
	for {
		cur := v.Load()
		if x >= cur || v.CompareAndSwap(cur, x) {
			return
		}
	}
}

// cloneValues returns a deep copy of q (never nil).
func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
