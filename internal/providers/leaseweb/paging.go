package leaseweb

/*
Paging.

Leaseweb lists answer {"<collection>": [...], "_metadata": {"totalCount",
"offset", "limit"}} and take limit/offset query parameters. Neither a
default nor a maximum limit is documented, and nothing holds a list still
between two page requests (a destroyed instance ages out, someone deletes
or launches something). When an object before a page boundary goes away,
every later object slides one place towards the front, and the one that
slides across the boundary is on neither page: read naively, the plan would
create it again. So ListAll assumes neither a page size nor a still list:

 1. It fetches the first page, sending limit only when PageSize is set. The
    page size (step) is the number of items on that page when it is not the
    whole list, so a server that caps or ignores limit is paged correctly.
 2. The later pages are known up front from totalCount and are fetched
    concurrently (at most Concurrency at once, all through the shared rate
    limiter). Each overlaps the page before it by one item: it starts one
    place early and asks for step+1 items. Offsets still advance by step,
    so an unchanged list costs exactly the requests it did without overlap.
 3. The read is accepted only when it is consistent: every page reports the
    first page's totalCount and holds every item it should up to it, the
    item at each seam is the same object on both pages (compared by id, or
    by the whole item when it has none), and no id appears twice. The seam
    item is then kept once; no other repeat is ever dropped, because a
    repeat at another place means the list moved.
 4. Otherwise the collection moved while it was paged, and the whole list is
    read again from the first page (the pages of the failed read still in
    flight are cancelled), after a short jittered wait, up to maxListReads
    reads in all; then ListAll fails with "the list of <collection> kept
    changing while it was read (N attempts)".

Why the checks suffice: as long as the API keeps objects in a stable order
(they come and go but never swap places; the sandbox and, as far as can be
seen, the API list in creation order), an object that exists during the
whole read lies before the first seam object, between two neighbouring seam
objects, or after the last one. The page that spans that stretch was a
contiguous snapshot, so it holds the object; the first page starts at the
front and, with totalCount unchanged, the last one reaches the end. A move
that changes neither totalCount nor any seam (a delete and a create within
one page, or behind the last seam) shifts nothing across a boundary.

A server that caps limit at exactly step answers the step+1 windows one item
short (with totalCount unchanged): the overlap is lost, so the list is read
once more, not counted as an attempt, and the Client remembers the cap.
From then on, and whenever a first page shows that the server lowered the
limit asked for, pages of step items overlap by advancing step-1 at a time:
sound, at the price of about one request in step more.

A list without _metadata (or a bare JSON array) is a single page, as is a
first page that holds totalCount items.
*/

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

const (
	// maxPages guards against a totalCount that would mean an absurd
	// number of requests.
	maxPages = 10000
	// maxListReads bounds how often ListAll reads a list that keeps moving.
	maxListReads = 3
)

// pageMeta is the _metadata object of a list answer.
type pageMeta struct {
	TotalCount *int `json:"totalCount"`
	Offset     *int `json:"offset"`
	Limit      *int `json:"limit"`
}

// page is one list answer: its items, the identity of each (see itemKey)
// and its _metadata (nil when the answer has none).
type page[T any] struct {
	items []T
	keys  []string
	meta  *pageMeta
}

// movedError is a read that saw the list change (or a server cap that cost
// the overlap). It never leaves ListAll.
type movedError struct {
	what   string
	capped bool // a window came back one short: the server caps limit at step
}

func (e *movedError) Error() string { return e.what }

// ListAll fetches every page of the list at path and returns its items in
// offset order, each object once, or an error; it never returns a list that
// missed an object because the list changed while it was read (see the
// comment above). collection is the JSON key of the array ("instances");
// query holds filters, and ListAll sets offset (and limit, see
// ClientOptions.PageSize) itself. The first error of any page is returned.
func ListAll[T any](ctx context.Context, c *Client, path string, query url.Values, collection string) ([]T, error) {
	q := cloneValues(query)
	q.Del("offset")
	if c.pageSize > 0 {
		q.Set("limit", strconv.Itoa(c.pageSize))
	}
	l := &lister[T]{c: c, path: path, q: q, collection: collection}
	recapped := false
	for n := 1; ; n++ {
		items, err := l.read(ctx)
		var mv *movedError
		if !errors.As(err, &mv) {
			return items, err
		}
		if mv.capped && !recapped {
			recapped, n = true, n-1 // the cap is known now: read again at once
			continue
		}
		if n >= maxListReads {
			return nil, fmt.Errorf("GET %s: the list of %s kept changing while it was read (%d attempts; last: %s)",
				path, collection, n, mv.what)
		}
		if err := c.sleep(ctx, c.backoff(n-1, 0)); err != nil {
			return nil, fmt.Errorf("GET %s: %w", path, err)
		}
	}
}

// lister reads one list: the arguments of ListAll.
type lister[T any] struct {
	c          *Client
	path       string
	q          url.Values
	collection string
}

// read reads the list once, from the first page, and returns it or a
// *movedError when the pages do not fit together.
func (l *lister[T]) read(ctx context.Context) ([]T, error) {
	first, err := fetchPage[T](ctx, l.c, l.path, l.q, l.collection)
	if err != nil {
		return nil, err
	}
	meta := first.meta
	if meta == nil || meta.TotalCount == nil || len(first.items) >= *meta.TotalCount {
		return first.items, nil
	}
	if len(first.items) == 0 {
		return nil, &movedError{what: fmt.Sprintf("an empty first page, totalCount %d", *meta.TotalCount)}
	}
	l.noteCap(meta)
	total, step := *meta.TotalCount, len(first.items)
	window := step + 1
	if limit := l.c.pageCap.Load(); limit > 0 && int64(window) > limit {
		window = step
	}
	if window < 2 {
		return nil, fmt.Errorf("GET %s: the server pages %s one item at a time, too few to check the pages overlap", l.path, l.collection)
	}
	if pages := 1 + (total-step+window-2)/(window-1); pages > maxPages {
		return nil, fmt.Errorf("GET %s: totalCount %d with pages of %d would take %d pages, more than %d",
			l.path, total, step, pages, maxPages)
	}
	var offsets []int
	for end := step; end < total; end += window - 1 {
		offsets = append(offsets, end-1)
	}
	rest, err := l.fetchRest(ctx, offsets, window, total)
	if mv := (*movedError)(nil); errors.As(err, &mv) && mv.capped {
		lowerCap(&l.c.pageCap, int64(step))
	}
	if err != nil {
		return nil, err
	}
	return stitch(first, rest, offsets, total)
}

// noteCap remembers, for the whole Client, a limit the server lowered.
func (l *lister[T]) noteCap(meta *pageMeta) {
	asked, err := strconv.Atoi(l.q.Get("limit"))
	if err == nil && meta.Limit != nil && *meta.Limit > 0 && *meta.Limit < asked {
		lowerCap(&l.c.pageCap, int64(*meta.Limit))
	}
}

// fetchRest fetches the pages at offsets concurrently, window items each,
// and checks each against total as it arrives; the first page that shows
// the list moved cancels the rest.
func (l *lister[T]) fetchRest(ctx context.Context, offsets []int, window, total int) ([]page[T], error) {
	pages := make([]page[T], len(offsets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.c.concurrency)
	for i, off := range offsets {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			pq := cloneValues(l.q)
			pq.Set("offset", strconv.Itoa(off))
			pq.Set("limit", strconv.Itoa(window))
			p, err := fetchPage[T](gctx, l.c, l.path, pq, l.collection)
			if err != nil {
				return err
			}
			pages[i] = p
			return checkPage(p, off, window, total)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return pages, nil
}

// checkPage checks a later page at offset off, asked for window items, of a
// list whose first page reported total items.
func checkPage[T any](p page[T], off, window, total int) error {
	if p.meta != nil && p.meta.TotalCount != nil && *p.meta.TotalCount != total {
		return &movedError{what: fmt.Sprintf("totalCount %d at offset %d, %d on the first page", *p.meta.TotalCount, off, total)}
	}
	n, want := len(p.items), min(window, total-off)
	switch {
	case n == want || (n > want && off+n <= total):
		return nil
	case n == window-1 && want == window && (p.meta == nil || p.meta.Limit == nil || *p.meta.Limit < window):
		// Same totalCount, one short of a whole window: a cap, not a move
		// (a move that keeps the count leaves every page full).
		return &movedError{capped: true, what: fmt.Sprintf("the server capped limit %d at %d", window, n)}
	default:
		return &movedError{what: fmt.Sprintf("%d items at offset %d, want %d", n, off, want)}
	}
}

// stitch joins the first page and the later ones (at offsets), checking that
// each overlap holds the same objects, and that the result has total items,
// none of them twice.
func stitch[T any](first page[T], rest []page[T], offsets []int, total int) ([]T, error) {
	out, keys := first.items, first.keys
	for i, p := range rest {
		off := offsets[i]
		if off > len(out) {
			return nil, &movedError{what: fmt.Sprintf("nothing read between offsets %d and %d", len(out), off)}
		}
		for j := 0; off+j < len(out) && j < len(p.items); j++ {
			if keys[off+j] != p.keys[j] {
				return nil, &movedError{what: fmt.Sprintf("the item at offset %d changed between two pages", off+j)}
			}
		}
		if seen := len(out) - off; seen < len(p.items) {
			out = append(out, p.items[seen:]...)
			keys = append(keys, p.keys[seen:]...)
		}
	}
	if len(out) != total {
		return nil, &movedError{what: fmt.Sprintf("%d items read, totalCount %d", len(out), total)}
	}
	ids := make(map[string]bool, len(keys))
	for _, k := range keys {
		if !isIDKey(k) {
			continue
		}
		if ids[k] {
			return nil, &movedError{what: fmt.Sprintf("id %s listed twice", strings.TrimPrefix(k, idKeyPrefix))}
		}
		ids[k] = true
	}
	return out, nil
}

// fetchPage GETs one page and splits it into items, their keys and
// metadata.
func fetchPage[T any](ctx context.Context, c *Client, path string, q url.Values, collection string) (page[T], error) {
	var raw json.RawMessage
	if err := c.Do(ctx, http.MethodGet, path, q, nil, &raw); err != nil {
		return page[T]{}, err
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return page[T]{}, nil
	}
	if raw[0] == '[' {
		return decodeItems[T](path, raw, "list")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return page[T]{}, fmt.Errorf("GET %s: decoding list: %w", path, err)
	}
	var meta *pageMeta
	if m, ok := fields["_metadata"]; ok {
		if err := json.Unmarshal(m, &meta); err != nil {
			return page[T]{}, fmt.Errorf("GET %s: decoding _metadata: %w", path, err)
		}
	}
	list, ok := fields[collection]
	if !ok {
		if meta != nil && meta.TotalCount != nil && *meta.TotalCount == 0 {
			return page[T]{meta: meta}, nil
		}
		return page[T]{}, fmt.Errorf("GET %s: answer has no %q list", path, collection)
	}
	p, err := decodeItems[T](path, list, strconv.Quote(collection))
	p.meta = meta
	return p, err
}

// decodeItems decodes a JSON array into items and their keys; what names
// the array in errors.
func decodeItems[T any](path string, list json.RawMessage, what string) (page[T], error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(list, &raws); err != nil {
		return page[T]{}, fmt.Errorf("GET %s: decoding %s: %w", path, what, err)
	}
	p := page[T]{items: make([]T, len(raws)), keys: make([]string, len(raws))}
	for i, r := range raws {
		if err := json.Unmarshal(r, &p.items[i]); err != nil {
			return page[T]{}, fmt.Errorf("GET %s: decoding %s: %w", path, what, err)
		}
		p.keys[i] = itemKey(r)
	}
	return p, nil
}

// idKeyPrefix marks the key of an item that has an id.
const idKeyPrefix = "id:"

// itemKey identifies a list item: its id when it has one, else the item
// itself (instance types, say, have none), which is the same on two pages
// as long as the object did not change.
func itemKey(raw json.RawMessage) string {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &v) == nil && len(v.ID) > 0 && string(v.ID) != "null" {
		return idKeyPrefix + string(v.ID)
	}
	return "item:" + string(raw)
}

func isIDKey(k string) bool { return strings.HasPrefix(k, idKeyPrefix) }

// lowerCap sets v to x when v is unset (0) or larger.
func lowerCap(v *atomic.Int64, x int64) {
	for {
		cur := v.Load()
		if (cur != 0 && x >= cur) || v.CompareAndSwap(cur, x) {
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
