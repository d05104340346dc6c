package leaseweb

/*
Tests of ListAll against lists that change while they are paged: the server
edits its list right after serving a first page and before any later one
(listServer.change), the race that made plans create existing instances
again.
*/

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// ids returns "i-NNN" for each n.
func ids(ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprintf("i-%03d", n)
	}
	return out
}

// span returns lo..hi-1.
func span(lo, hi int) []int {
	var out []int
	for n := lo; n < hi; n++ {
		out = append(out, n)
	}
	return out
}

func idsOf(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// deleteAt and insertAt edit a listServer's list.
func deleteAt(i int) func([]item) []item {
	return func(l []item) []item { return slices.Delete(l, i, i+1) }
}

func insertAt(i, n int) func([]item) []item {
	return func(l []item) []item { return slices.Insert(l, i, item{fmt.Sprintf("i-%03d", n), n}) }
}

func both(a, b func([]item) []item) func([]item) []item {
	return func(l []item) []item { return b(a(l)) }
}

func TestListAllRereadsAMovedList(t *testing.T) {
	tests := []struct {
		name      string
		total     int // 0: 35
		change    func([]item) []item
		want      []string
		wantReads int
	}{
		// The race: the oldest object goes away after the first
		// page; i-010, i-020 and i-030 slide across boundaries.
		{name: "shrinks: oldest deleted", change: deleteAt(0),
			want: ids(span(1, 35)...), wantReads: 2},
		{name: "shrinks: one in the middle of a later page", change: deleteAt(14),
			want: ids(append(span(0, 14), span(15, 35)...)...), wantReads: 2},
		// Delete and create: totalCount stays 35, only the seams show it.
		{name: "shifts with the count unchanged", change: both(deleteAt(0), insertAt(34, 100)),
			want: ids(append(span(1, 35), 100)...), wantReads: 2},
		{name: "shifts forward with the count unchanged", change: both(insertAt(0, 100), deleteAt(35)),
			want: ids(append([]int{100}, span(0, 34)...)...), wantReads: 2},
		{name: "grows", change: insertAt(3, 100),
			want: ids(append(append(span(0, 3), 100), span(3, 35)...)...), wantReads: 2},
		// Only totalCount shows this one; read again to see the newcomer.
		{name: "grows at the end", total: 30, change: insertAt(30, 100),
			want: ids(append(span(0, 30), 100)...), wantReads: 2},
		// A move inside the first page that keeps every seam shifts
		// nothing across a boundary: the one read is a consistent view.
		{name: "moves within the first page only", change: both(deleteAt(2), insertAt(5, 100)),
			want: ids(span(0, 35)...), wantReads: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &listServer{total: cmp.Or(tt.total, 35), defLimit: 10, change: tt.change, changeTimes: 1}
			c, clock := listClient(t, srv, 0)
			got, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(idsOf(got), tt.want) {
				t.Errorf("ids = %v\nwant  %v", idsOf(got), tt.want)
			}
			if n := firstPages(srv); n != tt.wantReads {
				t.Errorf("%d reads, want %d", n, tt.wantReads)
			}
			if n := len(clock.Sleeps()); n != tt.wantReads-1 {
				t.Errorf("%d waits between reads, want %d", n, tt.wantReads-1)
			}
		})
	}
}

// firstPages counts the reads a listServer saw: requests without offset.
func firstPages(srv *listServer) int {
	n := 0
	for _, q := range srv.requests(false) {
		if !q.Has("offset") {
			n++
		}
	}
	return n
}

func TestListAllGivesUpOnAListThatKeepsMoving(t *testing.T) {
	srv := &listServer{total: 40, defLimit: 10, change: deleteAt(0)} // after every first page
	c, clock := listClient(t, srv, 0)
	_, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
	want := "GET /publicCloud/v1/instances: the list of instances kept changing while it was read (3 attempts; last: totalCount 37 at offset "
	if !strings.HasPrefix(errString(err), want) {
		t.Fatalf("err = %v\nwant %q...", err, want)
	}
	if n := firstPages(srv); n != maxListReads {
		t.Errorf("%d reads, want %d", n, maxListReads)
	}
	if n := len(clock.Sleeps()); n != maxListReads-1 {
		t.Errorf("%d waits, want %d", n, maxListReads-1)
	}
}

// TestListAllRepeatedIDIsNotDropped: an id on two pages away from a seam
// means the list moved; it is never silently de-duplicated.
func TestListAllRepeatedIDIsNotDropped(t *testing.T) {
	srv := &listServer{total: 30, defLimit: 10}
	_, _ = listFrom(t, srv, 0, nil) // builds the list
	srv.mu.Lock()
	srv.items[15] = srv.items[5]
	srv.mu.Unlock()
	_, err := listFrom(t, srv, 0, nil)
	if want := `(3 attempts; last: id "i-005" listed twice)`; !strings.HasSuffix(errString(err), want) {
		t.Fatalf("err = %v, want ...%s", err, want)
	}
}

// TestListAllServerCapsAtStep: a server that caps limit exactly at the page
// size answers every step+1 window one short. The overlap is lost, so the
// list is read once more with overlapping pages of step items (free: no
// wait, no attempt spent), and the client remembers the cap.
func TestListAllServerCapsAtStep(t *testing.T) {
	srv := &listServer{total: 35, defLimit: 10, maxLimit: 10}
	c, clock := listClient(t, srv, 10)
	stride := []string{"limit=10", "limit=10&offset=9", "limit=10&offset=18", "limit=10&offset=27"}
	for i := range 2 {
		got, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
		if err != nil {
			t.Fatal(err)
		}
		checkItems(t, got, 35)
		// The windows of 11 of the first read: the first one answered
		// short cancels those not yet sent (and a cancelled one may reach
		// the server late), so they are only counted.
		var windows int
		qs := slices.DeleteFunc(srv.requests(true), func(q url.Values) bool {
			if q.Get("limit") == "11" {
				windows++
				return true
			}
			return false
		})
		want := [][]string{stride}
		if i == 0 {
			want = [][]string{{"limit=10"}, stride}
			if windows == 0 {
				t.Errorf("the first read asked no windows of 11")
			}
		}
		if reads := splitReads(qs); !reflect.DeepEqual(reads, want) {
			t.Errorf("ListAll %d: reads = %q\nwant %q", i+1, reads, want)
		}
	}
	if n := len(clock.Sleeps()); n != 0 {
		t.Errorf("%d waits, want none", n)
	}
}

// splitReads groups encoded queries into reads (a query without offset
// starts one), each ordered by offset.
func splitReads(qs []url.Values) [][]string {
	var reads [][]string
	for _, q := range qs {
		if !q.Has("offset") {
			reads = append(reads, nil)
		}
		reads[len(reads)-1] = append(reads[len(reads)-1], q.Encode())
	}
	for _, r := range reads {
		sortByOffset(r)
	}
	return reads
}

// TestListAllUnchangedCostsNoMore pins the request floor: an unchanged list
// of n items in pages of p takes ceil(n/p) requests, as without overlap.
func TestListAllUnchangedCostsNoMore(t *testing.T) {
	for _, tt := range []struct{ n, page int }{{0, 10}, {1, 10}, {9, 10}, {10, 10}, {11, 10}, {19, 10}, {20, 10},
		{21, 10}, {99, 10}, {100, 10}, {101, 10}, {500, 10}, {500, 50}, {501, 50}} {
		srv := &listServer{total: tt.n, defLimit: tt.page}
		got, err := listFrom(t, srv, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkItems(t, got, tt.n)
		if want := max(1, (tt.n+tt.page-1)/tt.page); len(srv.requests(false)) != want {
			t.Errorf("%d items in pages of %d: %d requests, want %d", tt.n, tt.page, len(srv.requests(false)), want)
		}
	}
}

// TestListAllEmptyFirstPageOfAList: a first page with no items while its
// totalCount says there are some is never taken for an empty list (which
// would plan every object as a create).
func TestListAllEmptyFirstPageOfAList(t *testing.T) {
	c, rt, clock := newScripted(t, nil, answer(200, `{"instances":[],"_metadata":{"totalCount":5,"offset":0,"limit":10}}`))
	_, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
	want := "GET /publicCloud/v1/instances: the list of instances kept changing while it was read (3 attempts; last: an empty first page, totalCount 5)"
	if errString(err) != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if n := len(rt.Requests()); n != 3 || len(clock.Sleeps()) != 2 {
		t.Errorf("%d requests, %d waits; want 3 reads", n, len(clock.Sleeps()))
	}
}
