package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestStats(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	id := e.launch(launchBody("a"))
	e.do("GET", "/publicCloud/v1/instances/"+id, nil)
	e.do("GET", "/publicCloud/v1/instances/"+id, nil)
	e.do("POST", "/publicCloud/v1/instances/"+id+"/stop", nil) // 400: still CREATING
	e.send("GET", "/publicCloud/v1/regions", nil, nil)         // 401
	e.do("GET", "/_sandbox/state", nil)                        // not counted
	st := e.srv.Stats()
	wantRoutes := map[string]int{
		"POST /publicCloud/v1/instances":                   1,
		"GET /publicCloud/v1/instances/{instanceId}":       2,
		"POST /publicCloud/v1/instances/{instanceId}/stop": 1,
		"GET /publicCloud/v1/regions":                      1,
	}
	wantStatuses := map[int]int{201: 1, 200: 2, 400: 1, 401: 1}
	if st.Total != 5 || fmt.Sprint(st.ByRoute) != fmt.Sprint(wantRoutes) || fmt.Sprint(st.ByStatus) != fmt.Sprint(wantStatuses) {
		t.Errorf("stats %+v", st)
	}
	if st.MaxInFlight != 1 {
		t.Errorf("MaxInFlight %d for sequential requests", st.MaxInFlight)
	}
	e.expectViolation("no such path", func() { e.do("GET", "/nowhere", nil) })
	if got := e.srv.Stats().ByRoute["GET (no route)"]; got != 1 {
		t.Errorf("unrouted requests counted %d", got)
	}
	r := e.do("GET", "/_sandbox/stats", nil)
	var viaHTTP sandbox.Stats
	r.decode(t, &viaHTTP)
	if viaHTTP.Total != 6 || viaHTTP.ByStatus[404] != 1 {
		t.Errorf("GET /_sandbox/stats %s", r.body)
	}
	e.srv.ResetStats()
	if st := e.srv.Stats(); st.Total != 0 || len(st.ByRoute) != 0 || st.MaxInFlight != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
	e.do("GET", "/publicCloud/v1/regions", nil)
	wantStatus(t, e.do("DELETE", "/_sandbox/stats", nil), http.StatusNoContent)
	if st := e.srv.Stats(); st.Total != 0 {
		t.Errorf("after DELETE /_sandbox/stats: %+v", st)
	}
}

// TestConcurrency launches, reads and lists from many goroutines at once
// (run it with -race); latency keeps requests in flight together.
func TestConcurrency(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 20 * time.Millisecond}})
	const n = 16
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := range n {
		wg.Go(func() {
			ids[i] = e.launch(launchBody(fmt.Sprint("web-", i)))
			e.do("GET", "/publicCloud/v1/instances/"+ids[i], nil)
			e.list("")
		})
	}
	wg.Wait()
	if st := e.srv.Stats(); st.MaxInFlight < 2 || st.Total != 3*n {
		t.Errorf("stats %+v: want %d requests, several in flight at once", st, 3*n)
	}
	e.srv.SetFaults(sandbox.Faults{})
	e.clock.Advance(2 * time.Second)
	seenID, seenIP := map[string]bool{}, map[string]bool{}
	p := e.list("?limit=50")
	for _, in := range p.Instances {
		if seenID[in.ID] || in.State != "RUNNING" || len(in.IPs) != 2 {
			t.Errorf("instance %+v", in)
		}
		seenID[in.ID] = true
		for _, ip := range in.IPs {
			if seenIP[ip.IP] {
				t.Errorf("address %s given twice", ip.IP)
			}
			seenIP[ip.IP] = true
		}
	}
	if len(seenID) != n {
		t.Errorf("%d instances, want %d", len(seenID), n)
	}
}

func TestListenAndServe(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.ListenAndServe(context.Background(), "0.0.0.0:0", nil); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("non-loopback address: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx, "127.0.0.1:0", func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("ListenAndServe: %v", err)
	}
	report := func(err error) { t.Errorf("contract: %v", err) }
	client := &http.Client{Transport: contract.ForTest(t).Transport(http.DefaultTransport, report)}
	req, _ := http.NewRequest("GET", "http://"+addr+"/publicCloud/v1/regions", nil)
	req.Header.Set("X-LSW-Auth", sandbox.APIKey)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Regions []any `json:"regions"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body.Regions) != 8 {
		t.Errorf("GET regions over the listener: %s, %d regions", resp.Status, len(body.Regions))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ListenAndServe after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListenAndServe did not return after cancel")
	}
}

// TestImportsStandardLibraryOnly keeps the sandbox independent of every
// lswctl package and every third-party module.
func TestImportsStandardLibraryOnly(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
	if len(files) < 10 {
		t.Errorf("found only %d files; is the working directory the package?", len(files))
	}
	if _, err := os.Stat("doc.go"); err != nil {
		t.Errorf("no doc.go: %v", err)
	}
}
