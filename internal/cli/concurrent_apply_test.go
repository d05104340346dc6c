package cli

/*
Concurrent applies: several `lswctl apply --auto-approve` runs of the same
configuration start together against one sandbox served over HTTP, as two
CI jobs or two operators would. The runs are the real CLI, in process, each
with its own environment; --sandbox gives them the sandbox's short poll and
protocol times, and WrapTransport sends their requests to the one shared
server instead of their own in-process sandbox.

A trial races the runs twice on a fresh sandbox: applying the
configuration from nothing, then applying an edit that replaces the target
group (created first, listeners re-pointed, the old one deleted by every
run) and adds an instance. After each race it checks the promise of the
README's "Concurrent runs": exactly one live object per key, every run
exits 0 or names the conflict, and a following plan says "No changes.".
The sandbox's request counts of the first race show that the runs really
raced: creates that landed beyond one per key are losers, deleted by the
run that made them; planned creates that did not land are adoptions.

LSWCTL_RACE_TRIALS sets the number of trials per run count (default 3);
.ci/run sets 20.
*/

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

const raceConfig = `apiVersion: lswctl/v1
instances:
  web-1: &web
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
  web-2: *web
  web-3: *web
  web-4: *web
targetGroups:
  web:
    region: eu-west-3
    protocol: HTTP
    port: 80
    healthCheck: {protocol: HTTP, method: GET, uri: /healthz, port: 80}
    targets: [web-1, web-2, web-3, web-4]
loadBalancers:
  edge:
    region: eu-west-3
    type: lsw.m4.large
    contract: {type: HOURLY}
    balance: leastconn
    listeners:
      - {protocol: HTTP, port: 80, targetGroup: web}
      - {protocol: HTTP, port: 8080, targetGroup: web}
`

// raceEdited is the next change to raceConfig: the target group is
// replaced (created first, listeners re-pointed, then the old one deleted)
// and a fifth instance joins it.
var raceEdited = strings.NewReplacer(
	"  web-4: *web\n", "  web-4: *web\n  web-5: *web\n",
	"    protocol: HTTP\n    port: 80\n    healthCheck: {protocol: HTTP, method: GET, uri: /healthz, port: 80}\n    targets: [web-1, web-2, web-3, web-4]",
	"    protocol: TCP\n    port: 80\n    healthCheck: {protocol: TCP, uri: /, port: 80}\n    targets: [web-1, web-2, web-3, web-4, web-5]",
).Replace(raceConfig)

// raceKeys are the keys raceConfig declares, as liveKeys names them.
var raceKeys = []string{"instance web-1", "instance web-2", "instance web-3", "instance web-4",
	"targetGroup web/eu-west-3", "loadBalancer edge", "listener edge/80", "listener edge/8080"}

// raceTally adds up what the trials of one run count saw.
type raceTally struct {
	mu                      sync.Mutex
	trials, runs, failed    int
	planned, landed, losers int
	refused                 int
}

func TestConcurrentApplies(t *testing.T) {
	trials := 3
	if v := os.Getenv("LSWCTL_RACE_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("LSWCTL_RACE_TRIALS=%q: want a positive number", v)
		}
		trials = n
	}
	for _, runs := range []int{2, 4} {
		t.Run(fmt.Sprintf("%d runs", runs), func(t *testing.T) {
			// Trials are independent (each has its own sandbox) and mostly
			// wait, so a few run at once.
			var tally raceTally
			var wg sync.WaitGroup
			slots := make(chan struct{}, 4)
			for trial := range trials {
				slots <- struct{}{}
				wg.Go(func() {
					defer func() { <-slots }()
					raceTrial(t, trial, runs, &tally)
				})
			}
			wg.Wait()
			adoptions := tally.planned - tally.landed + tally.losers
			t.Logf("%d trials of %d runs, 2 concurrent applies each: %d runs failed (naming the conflict); "+
				"first applies: %d creates planned, %d landed, %d losers deleted, %d adoptions (%d after the API refused a second listener)",
				tally.trials, runs, tally.failed, tally.planned, tally.landed, tally.losers, adoptions, tally.refused)
			if adoptions == 0 {
				t.Errorf("no run adopted another's object: the runs did not race")
			}
		})
	}
}

// raceTrial runs one trial against a fresh sandbox: runs concurrent
// applies of raceConfig, then of raceEdited. It runs in its own goroutine,
// so it reports with t.Errorf only.
func raceTrial(t *testing.T, trial, runs int, tally *raceTally) {
	srv, err := sandbox.New(sandbox.Options{Delay: 150 * time.Millisecond,
		Faults: sandbox.Faults{Latency: 5 * time.Millisecond}, Seed: int64(trial + 1)})
	if err != nil {
		t.Error(err)
		return
	}
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	base, _ := url.Parse(hs.URL)
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	defer transport.CloseIdleConnections()
	shared := redirect{to: base, next: transport}

	for phase, config := range []string{raceConfig, raceEdited} {
		what := fmt.Sprintf("trial %d, phase %d", trial, phase+1)
		results := raceApplies(t, shared, config, runs)
		st := srv.Stats()
		srv.ResetStats()
		failed := checkRace(t, what, srv, results)
		check := newRaceRun(t, shared, config)
		code := check.main("--sandbox", "plan", "--detailed-exitcode")
		if code != ExitOK || !strings.Contains(check.stdout.String(), "No changes.") {
			t.Errorf("%s: plan after the race: exit %d\n%s%s", what, code, check.stdout.String(), check.stderr.String())
		}
		tally.add(phase, results, failed, st)
	}
}

// raceApplies starts runs applies of config together and waits for them.
func raceApplies(t *testing.T, shared http.RoundTripper, config string, runs int) []*raceRun {
	results := make([]*raceRun, runs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range results {
		r := newRaceRun(t, shared, config)
		results[i] = r
		wg.Go(func() {
			<-start
			r.code = r.main("--sandbox", "apply", "--auto-approve")
		})
	}
	close(start)
	wg.Wait()
	return results
}

// checkRace checks that every run exited 0 or named the conflict, and that
// exactly one live object holds each key; it returns how many runs failed.
func checkRace(t *testing.T, what string, srv *sandbox.Server, results []*raceRun) (failed int) {
	for i, r := range results {
		if r.code == ExitOK {
			continue
		}
		failed++
		out := r.stdout.String() + r.stderr.String()
		if r.code != ExitError || !namesConflict.MatchString(out) {
			t.Errorf("%s, run %d: exit %d without naming a conflict:\n%s", what, i+1, r.code, out)
		}
	}
	counts := liveKeys(t, srv)
	keys := slices.Sorted(maps.Keys(counts))
	for _, k := range raceKeys {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if counts[k] != 1 {
			t.Errorf("%s: %d live objects for %s, want exactly 1", what, counts[k], k)
		}
	}
	return failed
}

// add counts a phase. Creates, losers and adoptions are counted in the
// first phase only, where every delete is a loser's.
func (y *raceTally) add(phase int, results []*raceRun, failed int, st sandbox.Stats) {
	y.mu.Lock()
	defer y.mu.Unlock()
	y.runs += len(results)
	y.failed += failed
	if phase > 0 {
		return
	}
	y.trials++
	y.landed += st.ByStatus[http.StatusCreated]
	y.refused += st.ByStatus[http.StatusBadRequest]
	for route, n := range st.ByRoute {
		if strings.HasPrefix(route, "DELETE ") {
			y.losers += n
		}
	}
	for _, r := range results {
		y.planned += plannedAdds(r.stdout.String())
	}
}

// namesConflict matches the messages of a run that lost to a concurrent
// one in a way it cannot resolve alone.
var namesConflict = regexp.MustCompile(`live objects match|another run|two configurations disagree`)

// plannedAdds reads "Plan: N to add" from an apply's output.
func plannedAdds(out string) int {
	m := regexp.MustCompile(`Plan: (\d+) to add`).FindStringSubmatch(out)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// raceRun is one in-process lswctl run of a configuration.
type raceRun struct {
	dir            string
	vars           map[string]string
	shared         http.RoundTripper
	stdout, stderr bytes.Buffer
	code           int
}

func newRaceRun(t *testing.T, shared http.RoundTripper, config string) *raceRun {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lswctl.yaml"), []byte(config), 0o644); err != nil {
		t.Error(err)
	}
	return &raceRun{dir: dir, shared: shared, vars: map[string]string{"NO_COLOR": "1",
		"LSWCTL_SANDBOX_STATE": filepath.Join(dir, "unused-sandbox.json")}}
}

func (r *raceRun) main(args ...string) int {
	r.stdout.Reset()
	r.stderr.Reset()
	env := Env{
		Stdout:        &r.stdout,
		Stderr:        &r.stderr,
		LookupEnv:     func(k string) (string, bool) { v, ok := r.vars[k]; return v, ok },
		Getwd:         func() (string, error) { return r.dir, nil },
		IsTerminal:    func(any) bool { return false },
		WrapTransport: func(http.RoundTripper) http.RoundTripper { return r.shared },
	}
	return Main(context.Background(), append([]string{"lswctl"}, args...), env)
}

// redirect sends every request to one server, whatever its URL.
type redirect struct {
	to   *url.URL
	next http.RoundTripper
}

func (d redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = d.to.Scheme, d.to.Host, ""
	return d.next.RoundTrip(req)
}

// liveKeys counts the live objects per key in the sandbox's state: those
// not being destroyed and not scheduled for deletion.
func liveKeys(t *testing.T, srv *sandbox.Server) map[string]int {
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_sandbox/state", nil))
	var doc struct {
		Instances []struct {
			Reference string `json:"reference"`
			State     string `json:"state"`
			Contract  struct {
				State string `json:"state"`
			} `json:"contract"`
		} `json:"instances"`
		TargetGroups []struct {
			Name, Region string
		} `json:"targetGroups"`
		LoadBalancers []struct {
			Reference string `json:"reference"`
			State     string `json:"state"`
			Contract  struct {
				State string `json:"state"`
			} `json:"contract"`
			Listeners []struct {
				Port int `json:"port"`
			} `json:"listeners"`
		} `json:"loadBalancers"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Errorf("sandbox state: %v\n%s", err, rec.Body.String())
	}
	gone := func(state, contract string) bool {
		return state == "DESTROYING" || state == "DESTROYED" || contract == "DELETE_SCHEDULED"
	}
	counts := map[string]int{}
	for _, in := range doc.Instances {
		if !gone(in.State, in.Contract.State) {
			counts["instance "+in.Reference]++
		}
	}
	for _, tg := range doc.TargetGroups {
		counts["targetGroup "+tg.Name+"/"+tg.Region]++
	}
	for _, lb := range doc.LoadBalancers {
		if gone(lb.State, lb.Contract.State) {
			continue
		}
		counts["loadBalancer "+lb.Reference]++
		for _, l := range lb.Listeners {
			counts[fmt.Sprintf("listener %s/%d", lb.Reference, l.Port)]++
		}
	}
	return counts
}
