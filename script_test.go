package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lswctl/lswctl/internal/cli"
	"github.com/lswctl/lswctl/internal/contract"
	_ "github.com/lswctl/lswctl/internal/providers/all"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// exchangesVar names the file where the lswctl command records every API
// exchange it makes, so the test process can check them all against the
// OpenAPI document (loading a 3.5 MB document once, not in every exec).
const exchangesVar = "LSWCTL_TEST_EXCHANGES"

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"lswctl": func() {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			go func() { <-ctx.Done(); stop() }()
			env := cli.OSEnv()
			if path := os.Getenv(exchangesVar); path != "" {
				env.WrapTransport = func(next http.RoundTripper) http.RoundTripper {
					return &recorder{next: next, path: path}
				}
			}
			os.Exit(cli.Main(ctx, os.Args, env))
		},
	})
}

func TestScripts(t *testing.T) {
	v := contract.ForTest(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("LSWCTL_UPDATE") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			for _, k := range []string{"LEASEWEB_API_KEY", "LEASEWEB_TOKEN", "LEASEWEB_API_URL", "CLOUDSIGMA_USERNAME", "CLOUDSIGMA_PASSWORD", "CLOUDSIGMA_API_URL"} {
				env.Setenv(k, "")
			}
			env.Setenv("NO_COLOR", "1")
			env.Setenv("LSWCTL_SANDBOX_DELAY", "100ms")
			exchanges := filepath.Join(env.WorkDir, ".exchanges.jsonl")
			if v != nil {
				env.Setenv(exchangesVar, exchanges)
			}
			st := &scriptState{validator: v}
			env.Values[stateKey{}] = st
			env.Defer(func() { st.verify(env.T(), exchanges) })
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sandbox":        cmdSandbox,
			"sandbox-faults": cmdFaults,
			"sandbox-stats":  cmdStats,
			"replace":        cmdReplace,
		},
	})
}

type stateKey struct{}

// scriptState is one script's test-process sandbox and contract findings.
type scriptState struct {
	validator  *contract.Validator
	srv        *sandbox.Server
	mu         sync.Mutex
	violations []string
}

func (st *scriptState) report(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.violations = append(st.violations, err.Error())
}

// verify fails the script when any API exchange broke the contract.
func (st *scriptState) verify(t testscript.T, exchangesPath string) {
	if st.validator == nil {
		return
	}
	replayExchanges(st.validator, exchangesPath, st.report)
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.violations) > 0 {
		t.Fatal("OpenAPI contract violations:\n" + strings.Join(st.violations, "\n"))
	}
}

func stateOf(ts *testscript.TestScript) *scriptState { return ts.Value(stateKey{}).(*scriptState) }

// cmdSandbox starts a sandbox in the test process on a loopback port and
// points lswctl at it through LEASEWEB_API_URL, as a user would point it at
// `lswctl sandbox serve`: sandbox [seed.json]
func cmdSandbox(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: sandbox [seed.json]")
	}
	st := stateOf(ts)
	srv, err := sandbox.New(sandbox.Options{Delay: 100 * time.Millisecond})
	ts.Check(err)
	if len(args) == 1 {
		ts.Check(srv.Seed(strings.NewReader(ts.ReadFile(args[0]))))
	}
	var h http.Handler = srv
	if st.validator != nil {
		h = st.validator.Middleware(srv, st.report)
	}
	hs := httptest.NewServer(h)
	ts.Defer(hs.Close)
	st.srv = srv
	ts.Setenv("LEASEWEB_API_URL", hs.URL)
	ts.Setenv("LEASEWEB_API_KEY", "test-key")
}

// cmdFaults sets the fault rules of the test-process sandbox:
// sandbox-faults 'RULES'
func cmdFaults(ts *testscript.TestScript, neg bool, args []string) {
	st := stateOf(ts)
	if neg || len(args) != 1 || st.srv == nil {
		ts.Fatalf("usage: sandbox-faults RULES (after sandbox)")
	}
	rules, err := sandbox.ParseFaultRules(args[0])
	ts.Check(err)
	st.srv.SetFaults(sandbox.Faults{Rules: rules})
}

// cmdStats prints the test-process sandbox's request counts, one
// "METHOD /route N" per line, then "total N", and resets them.
func cmdStats(ts *testscript.TestScript, neg bool, args []string) {
	st := stateOf(ts)
	if neg || len(args) != 0 || st.srv == nil {
		ts.Fatalf("usage: sandbox-stats (after sandbox)")
	}
	s := st.srv.Stats()
	routes := make([]string, 0, len(s.ByRoute))
	for r := range s.ByRoute {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		fmt.Fprintf(ts.Stdout(), "%s %d\n", r, s.ByRoute[r])
	}
	codes := make([]int, 0, len(s.ByStatus))
	for c := range s.ByStatus {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(ts.Stdout(), "status %d %d\n", c, s.ByStatus[c])
	}
	fmt.Fprintf(ts.Stdout(), "total %d\n", s.Total)
	st.srv.ResetStats()
}

// cmdReplace edits a file in place, replacing the first occurrence of OLD
// with NEW, as a hand would edit a plan file: replace FILE OLD NEW
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	file := ts.MkAbs(args[0])
	text := ts.ReadFile(args[0])
	if !strings.Contains(text, args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(file, []byte(strings.Replace(text, args[1], args[2], 1)), 0o600))
}

// exchange is one recorded API request and its response.
type exchange struct {
	Method   string      `json:"method"`
	URL      string      `json:"url"`
	Header   http.Header `json:"header"`
	Body     []byte      `json:"body"`
	Status   int         `json:"status"`
	RespHdr  http.Header `json:"respHeader"`
	RespBody []byte      `json:"respBody"`
}

// recorder appends every exchange to a JSON-lines file.
type recorder struct {
	next http.RoundTripper
	path string
	mu   sync.Mutex
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	line, _ := json.Marshal(exchange{req.Method, req.URL.String(), req.Header, body, resp.StatusCode, resp.Header, respBody})
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ferr := os.OpenFile(r.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if ferr == nil {
		f.Write(append(line, '\n'))
		f.Close()
	}
	return resp, nil
}

// replayExchanges checks every recorded exchange against the contract.
func replayExchanges(v *contract.Validator, path string, report func(error)) {
	f, err := os.Open(path)
	if err != nil {
		return // no API calls were made
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var ex exchange
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			report(fmt.Errorf("exchange %d: %v", n, err))
			continue
		}
		req, err := http.NewRequest(ex.Method, ex.URL, bytes.NewReader(ex.Body))
		if err != nil {
			report(err)
			continue
		}
		req.Header = ex.Header
		if err := v.CheckRequest(req, ex.Body); err != nil {
			report(err)
		}
		if err := v.CheckResponse(req, ex.Body, ex.Status, ex.RespHdr, ex.RespBody); err != nil {
			report(err)
		}
	}
}

// TestReplayCatchesViolations proves the exchange replay can fail: a
// response that breaks the instance schema is reported.
func TestReplayCatchesViolations(t *testing.T) {
	v := contract.ForTest(t)
	path := filepath.Join(t.TempDir(), "x.jsonl")
	bad, _ := json.Marshal(exchange{
		Method: "GET", URL: "https://api.leaseweb.com/publicCloud/v1/instances",
		Header: http.Header{"X-Lsw-Auth": {"k"}}, Status: 200,
		RespHdr: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(`{"instances":[{"id":42}]}`),
	})
	if err := os.WriteFile(path, append(bad, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []error
	replayExchanges(v, path, func(err error) { got = append(got, err) })
	if len(got) == 0 {
		t.Fatal("a response that breaks the schema was not reported")
	}
}
