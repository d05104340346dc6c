package sandbox

import (
	"strconv"
	"strings"
)

// MaxPageSize is the largest page the sandbox returns; a larger limit is
// answered with this many items and this limit echoed in _metadata. The API
// documents no maximum, so clients must page with the limit the server echoes.
const MaxPageSize = 50

// page is the effective limit and offset of a list request.
type page struct {
	limit, offset int
}

// parsePage reads limit and offset. A missing, zero or negative limit means
// def; a limit above MaxPageSize is lowered to it; a negative offset is 0.
// Text that is not an integer is a 400 naming the parameter.
func parsePage(rq *request, def int) (page, error) {
	p := page{limit: def}
	details := map[string][]string{}
	if v := rq.query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			details["limit"] = []string{"This value should be of type integer."}
		case n > 0:
			p.limit = min(n, MaxPageSize)
		}
	}
	if v := rq.query.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			details["offset"] = []string{"This value should be of type integer."}
		case n > 0:
			p.offset = n
		}
	}
	if len(details) > 0 {
		return page{}, errBadRequest(details)
	}
	return p, nil
}

// slice returns the part of a list of n items this page covers, as [lo, hi).
func (p page) slice(n int) (lo, hi int) {
	lo = min(p.offset, n)
	hi = min(lo+p.limit, n)
	return lo, hi
}

// metadata is the _metadata of this page for a list of total items.
func (p page) metadata(total int) wireMetadata {
	return wireMetadata{TotalCount: total, Offset: p.offset, Limit: p.limit}
}

// paginate applies p to items and returns the page and its _metadata.
func paginate[T any](items []T, p page) ([]T, wireMetadata) {
	lo, hi := p.slice(len(items))
	out := make([]T, 0, hi-lo)
	out = append(out, items[lo:hi]...)
	return out, p.metadata(len(items))
}

// queryFilter is an exact-match filter on one query parameter; a
// comma-separated value matches any of its parts when multi is set.
type queryFilter struct {
	values []string
}

// filterOf reads the filter for name; ok is false when the parameter is absent.
func filterOf(rq *request, name string, multi bool) (queryFilter, bool) {
	if !rq.query.Has(name) {
		return queryFilter{}, false
	}
	v := rq.query.Get(name)
	if multi {
		return queryFilter{values: strings.Split(v, ",")}, true
	}
	return queryFilter{values: []string{v}}, true
}

func (f queryFilter) match(v string) bool {
	for _, want := range f.values {
		if strings.TrimSpace(want) == v {
			return true
		}
	}
	return false
}

// listPage keeps the items keep accepts (all of them when keep is nil),
// takes the requested page and converts it to wire items: the body of every
// list endpoint.
func listPage[R, W any](items []R, keep func(R) bool, p page, conv func(R) W) ([]W, wireMetadata) {
	var kept []R
	if keep == nil {
		kept = items
	} else {
		for _, it := range items {
			if keep(it) {
				kept = append(kept, it)
			}
		}
	}
	page, meta := paginate(kept, p)
	out := make([]W, 0, len(page))
	for _, it := range page {
		out = append(out, conv(it))
	}
	return out, meta
}
