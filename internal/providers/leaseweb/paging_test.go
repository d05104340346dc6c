package leaseweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

type item struct {
	ID string `json:"id"`
	N  int    `json:"n"`
}

// listServer serves /publicCloud/v1/instances the way Leaseweb pages: limit
// and offset in, _metadata out. Items are i-000, i-001, ... until change
// edits the list.
type listServer struct {
	total     int
	defLimit  int  // page size when no limit is sent
	maxLimit  int  // cap on limit (0: none)
	emptyFrom int  // offsets at or past this answer an empty page (0: off)
	noMeta    bool // answer without _metadata
	failAt    int  // offset answering 404 (0: none)
	barrier   int  // later pages wait until this many are in flight (0: off)
	// change, when set, edits the list right after a first page (offset 0)
	// is served, before any later page: the first changeTimes times, or
	// every time when changeTimes is 0.
	change      func([]item) []item
	changeTimes int

	mu          sync.Mutex
	items       []item // the list; nil until the first request
	changed     int
	reached     chan struct{} // closed when barrier pages are in flight
	closed      bool
	inflight    int
	maxInflight int
	queries     []url.Values
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := s.defLimit, 0
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if s.maxLimit > 0 && limit > s.maxLimit {
		limit = s.maxLimit
	}
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	if offset > 0 && s.barrier > 0 {
		s.wait()
	}
	if s.failAt > 0 && offset == s.failAt {
		s.record(q)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"errorCode":"404","errorMessage":"Resource not found"}`)
		return
	}
	items, total := s.page(q, offset, limit)
	body := map[string]any{"instances": items}
	if !s.noMeta {
		body["_metadata"] = map[string]int{"totalCount": total, "offset": offset, "limit": limit}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// requests returns the queries seen so far and forgets them when reset is set.
func (s *listServer) requests(reset bool) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.queries)
	if reset {
		s.queries = nil
	}
	return out
}

func (s *listServer) record(q url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, q)
}

// page records the request and cuts the page from the list as it is now;
// after a first page, change edits the list.
func (s *listServer) page(q url.Values, offset, limit int) ([]item, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, q)
	if s.items == nil {
		s.items = []item{}
		for i := range s.total {
			s.items = append(s.items, item{fmt.Sprintf("i-%03d", i), i})
		}
	}
	items := []item{}
	for i := offset; i < min(offset+limit, len(s.items)) && (s.emptyFrom == 0 || i < s.emptyFrom); i++ {
		items = append(items, s.items[i])
	}
	total := len(s.items)
	if offset == 0 && s.change != nil && (s.changeTimes == 0 || s.changed < s.changeTimes) {
		s.items = s.change(slices.Clone(s.items))
		s.changed++
	}
	return items, total
}

// wait records one more page in flight and holds it until barrier pages
// are in flight together (or a second has passed).
func (s *listServer) wait() {
	s.mu.Lock()
	if s.reached == nil {
		s.reached = make(chan struct{})
	}
	reached := s.reached
	s.inflight++
	s.maxInflight = max(s.maxInflight, s.inflight)
	if s.inflight == s.barrier && !s.closed {
		s.closed = true
		close(reached)
	}
	s.mu.Unlock()
	select {
	case <-reached:
	case <-time.After(time.Second):
	}
	// Give pages over the bound a chance to show up while these are held.
	time.Sleep(5 * time.Millisecond)
	s.mu.Lock()
	s.inflight--
	s.mu.Unlock()
}

func TestListAll(t *testing.T) {
	tests := []struct {
		name         string
		srv          *listServer
		pageSize     int
		query        url.Values
		wantN        int
		wantQueries  []string // limit/offset of each request, in offset order
		wantInflight int
	}{
		{name: "empty list", srv: &listServer{total: 0, defLimit: 10}, wantN: 0,
			wantQueries: []string{""}},
		{name: "one page", srv: &listServer{total: 3, defLimit: 10}, wantN: 3,
			wantQueries: []string{""}},
		{name: "seven pages concurrently", srv: &listServer{total: 65, defLimit: 10, barrier: 6}, wantN: 65,
			wantQueries: []string{"", "limit=11&offset=9", "limit=11&offset=19", "limit=11&offset=29",
				"limit=11&offset=39", "limit=11&offset=49", "limit=11&offset=59"},
			wantInflight: 6},
		{name: "more pages than Concurrency", srv: &listServer{total: 200, defLimit: 10, barrier: DefaultConcurrency}, wantN: 200,
			wantInflight: DefaultConcurrency}, // queries not listed: 20 of them
		{name: "server caps limit", srv: &listServer{total: 50, defLimit: 10, maxLimit: 20}, pageSize: 100, wantN: 50,
			wantQueries: []string{"limit=100", "limit=20&offset=19", "limit=20&offset=38"}},
		{name: "PageSize sent as limit", srv: &listServer{total: 60, defLimit: 10}, pageSize: 25, wantN: 60,
			wantQueries: []string{"limit=25", "limit=26&offset=24", "limit=26&offset=49"}},
		{name: "no _metadata is one page", srv: &listServer{total: 30, defLimit: 10, noMeta: true}, wantN: 10,
			wantQueries: []string{""}},
		{name: "filters kept, caller offset dropped", srv: &listServer{total: 15, defLimit: 10},
			query: url.Values{"region": {"eu-west-3"}, "offset": {"99"}}, wantN: 15,
			wantQueries: []string{"region=eu-west-3", "limit=11&offset=9&region=eu-west-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := listFrom(t, tt.srv, tt.pageSize, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			checkItems(t, got, tt.wantN)
			var queries []string
			for _, q := range tt.srv.requests(false) {
				queries = append(queries, q.Encode())
			}
			sortByOffset(queries)
			if tt.wantQueries != nil && !reflect.DeepEqual(queries, tt.wantQueries) {
				t.Errorf("queries = %q\nwant      %q", queries, tt.wantQueries)
			}
			if tt.wantInflight > 0 && tt.srv.maxInflight != tt.wantInflight {
				t.Errorf("max pages in flight = %d, want %d (Concurrency)", tt.srv.maxInflight, tt.wantInflight)
			}
		})
	}
}

// TestListAllShortPageIsNotTheEnd: a page that ends before totalCount says
// means items were not read; the list is read again, a bounded number of
// times, and never returned short.
func TestListAllShortPageIsNotTheEnd(t *testing.T) {
	srv := &listServer{total: 200, defLimit: 10, emptyFrom: 20}
	c, clock := listClient(t, srv, 0)
	_, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
	want := "GET /publicCloud/v1/instances: the list of instances kept changing while it was read (3 attempts; last: "
	if !strings.HasPrefix(errString(err), want) {
		t.Fatalf("err = %v, want %q...", err, want)
	}
	if n := len(clock.Sleeps()); n != 2 {
		t.Errorf("%d waits between the reads, want 2", n)
	}
	// A short page cancels its read, so at most the pages started beside
	// it are wasted, not all the others.
	if n, most := len(srv.requests(false)), 3*(1+2*DefaultConcurrency); n > most {
		t.Errorf("%d requests for 3 reads, want at most %d", n, most)
	}
}

func TestListAllPageError(t *testing.T) {
	srv := &listServer{total: 60, defLimit: 10, failAt: 29}
	_, err := listFrom(t, srv, 0, nil)
	if !IsNotFound(err) || err.Error() != "GET /publicCloud/v1/instances: 404 Not Found: Resource not found" {
		t.Errorf("err = %v, want the 404 of the page at offset 29", err)
	}
}

func TestListAllShapes(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
		wantN               int
	}{
		{name: "bare array", body: `[{"id":"i-000","n":0},{"id":"i-001","n":1}]`, wantN: 2},
		{name: "missing collection but empty", body: `{"_metadata":{"totalCount":0,"offset":0,"limit":10}}`},
		{name: "missing collection", body: `{"servers":[],"_metadata":{"totalCount":2,"offset":0,"limit":10}}`,
			wantErr: `GET /publicCloud/v1/instances: answer has no "instances" list`},
		{name: "wrong item type", body: `{"instances":[1]}`,
			wantErr: `GET /publicCloud/v1/instances: decoding "instances": json: cannot unmarshal number into Go value of type leaseweb.item`},
		{name: "no limit echoed: step is the first page", wantN: 3,
			body: `{"instances":[{"id":"i-000"},{"id":"i-001"},{"id":"i-002"}],"_metadata":{"totalCount":3}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rt, _ := newScripted(t, nil, answer(200, tt.body))
			got, err := ListAll[item](context.Background(), c, "/publicCloud/v1/instances", nil, "instances")
			if errString(err) != tt.wantErr {
				t.Fatalf("err = %q, want %q", errString(err), tt.wantErr)
			}
			if len(got) != tt.wantN {
				t.Errorf("got %d items, want %d", len(got), tt.wantN)
			}
			if n := len(rt.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func listFrom(t *testing.T, srv *listServer, pageSize int, query url.Values) ([]item, error) {
	t.Helper()
	c, _ := listClient(t, srv, pageSize)
	return ListAll[item](context.Background(), c, "/publicCloud/v1/instances", query, "instances")
}

// listClient serves srv over loopback and returns a client of it whose
// waits return at once and are recorded by the fake clock.
func listClient(t *testing.T, srv *listServer, pageSize int) (*Client, *fakeClock) {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	clock := newFakeClock()
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: hs.URL, PageSize: pageSize, RateLimit: rate.Inf, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return c, clock
}

// checkItems requires items 0..n-1, each once, in order.
func checkItems(t *testing.T, got []item, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d items, want %d", len(got), n)
	}
	for i, it := range got {
		if it.N != i || it.ID != fmt.Sprintf("i-%03d", i) {
			t.Fatalf("item %d = %+v, want i-%03d", i, it, i)
		}
	}
}

// sortByOffset orders encoded queries by their offset (none first).
func sortByOffset(qs []string) {
	off := func(s string) int {
		v, _ := url.ParseQuery(s)
		n, _ := strconv.Atoi(v.Get("offset"))
		return n
	}
	for i := 1; i < len(qs); i++ {
		for j := i; j > 0 && off(qs[j]) < off(qs[j-1]); j-- {
			qs[j], qs[j-1] = qs[j-1], qs[j]
		}
	}
}
