package leaseweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
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
// and offset in, _metadata out.
type listServer struct {
	total     int
	defLimit  int  // page size when no limit is sent
	maxLimit  int  // cap on limit (0: none)
	emptyFrom int  // offsets at or past this answer an empty page (0: off)
	noMeta    bool // answer without _metadata
	failAt    int  // offset answering 404 (0: none)
	barrier   int  // later pages wait until this many are in flight (0: off)

	mu          sync.Mutex
	reached     chan struct{} // closed when barrier pages are in flight
	closed      bool
	inflight    int
	maxInflight int
	queries     []url.Values
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.mu.Unlock()
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
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"errorCode":"404","errorMessage":"Resource not found"}`)
		return
	}
	items := []item{}
	for i := offset; i < min(offset+limit, s.total) && (s.emptyFrom == 0 || i < s.emptyFrom); i++ {
		items = append(items, item{fmt.Sprintf("i-%03d", i), i})
	}
	body := map[string]any{"instances": items}
	if !s.noMeta {
		body["_metadata"] = map[string]int{"totalCount": s.total, "offset": offset, "limit": limit}
	}
	_ = json.NewEncoder(w).Encode(body)
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
			wantQueries: []string{"", "limit=10&offset=10", "limit=10&offset=20", "limit=10&offset=30",
				"limit=10&offset=40", "limit=10&offset=50", "limit=10&offset=60"},
			wantInflight: 6},
		{name: "more pages than Concurrency", srv: &listServer{total: 200, defLimit: 10, barrier: DefaultConcurrency}, wantN: 200,
			wantInflight: DefaultConcurrency}, // queries not listed: 20 of them
		{name: "server caps limit", srv: &listServer{total: 50, defLimit: 10, maxLimit: 20}, pageSize: 100, wantN: 50,
			wantQueries: []string{"limit=100", "limit=20&offset=20", "limit=20&offset=40"}},
		{name: "PageSize sent as limit", srv: &listServer{total: 60, defLimit: 10}, pageSize: 25, wantN: 60,
			wantQueries: []string{"limit=25", "limit=25&offset=25", "limit=25&offset=50"}},
		{name: "no _metadata is one page", srv: &listServer{total: 30, defLimit: 10, noMeta: true}, wantN: 10,
			wantQueries: []string{""}},
		{name: "filters kept, caller offset dropped", srv: &listServer{total: 15, defLimit: 10},
			query: url.Values{"region": {"eu-west-3"}, "offset": {"99"}}, wantN: 15,
			wantQueries: []string{"region=eu-west-3", "limit=10&offset=10&region=eu-west-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := listFrom(t, tt.srv, tt.pageSize, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			checkItems(t, got, tt.wantN)
			var queries []string
			for _, q := range tt.srv.queries {
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

func TestListAllStopsAtEmptyPage(t *testing.T) {
	srv := &listServer{total: 200, defLimit: 10, emptyFrom: 20}
	got, err := listFrom(t, srv, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, got, 20)
	// The page at offset 20 is empty, so at most the pages started beside
	// it are wasted, not all the others.
	if n, most := len(srv.queries), 1+2*DefaultConcurrency-1; n > most {
		t.Errorf("%d requests after an empty page, want at most %d", n, most)
	}
}

func TestListAllPageError(t *testing.T) {
	srv := &listServer{total: 60, defLimit: 10, failAt: 30}
	_, err := listFrom(t, srv, 0, nil)
	if !IsNotFound(err) || err.Error() != "GET /publicCloud/v1/instances: 404 Not Found: Resource not found" {
		t.Errorf("err = %v, want the 404 of the page at offset 30", err)
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
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: hs.URL, PageSize: pageSize, RateLimit: rate.Inf})
	if err != nil {
		t.Fatal(err)
	}
	return ListAll[item](context.Background(), c, "/publicCloud/v1/instances", query, "instances")
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
