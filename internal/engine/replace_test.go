package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// recorder records every write the providers send to the sandbox, in the
// order the answers came back, with the status.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	writes []write
}

type write struct {
	method, path, body string
	status             int
}

func (w write) String() string {
	return fmt.Sprintf("%s %s %s -> %d", w.method, w.path, w.body, w.status)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if req.Method != http.MethodGet && err == nil {
		r.mu.Lock()
		r.writes = append(r.writes, write{req.Method, req.URL.Path, string(body), resp.StatusCode})
		r.mu.Unlock()
	}
	return resp, err
}

func (r *recorder) take() []write {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.writes
	r.writes = nil
	return out
}

func ok(w write) bool { return w.status < 300 }

// checkWriteOrder checks, on the writes of one apply, that whatever pointed
// at an object let go of it before the object was destroyed: no write
// mentions an id after the object with that id was deleted, and an
// instance that a target group of the plan listed was deregistered from it
// (or the group was deleted) before the instance was terminated.
func checkWriteOrder(t *testing.T, p *plan.Plan, writes []write) {
	t.Helper()
	deleted := map[string]int{}
	for i, w := range writes {
		for id, at := range deleted {
			if strings.Contains(w.path+" "+w.body, id) {
				t.Errorf("write %d (%s) mentions %s, deleted by write %d (%s)", i, w, id, at, writes[at])
			}
		}
		if w.method == http.MethodDelete && ok(w) {
			deleted[path.Base(w.path)] = i
		}
	}
	for group, ids := range targetsInPlan(p) {
		for _, id := range ids {
			checkLeftBeforeTerminated(t, writes, group, id)
		}
	}
}

// targetsInPlan maps the live id of every target group a step changes to
// the instance ids it listed when the plan read it.
func targetsInPlan(p *plan.Plan) map[string][]string {
	out := map[string][]string{}
	for _, s := range p.Steps {
		if s.Addr.Kind != "targetGroup" || s.ID == "" {
			continue
		}
		targets, _ := s.Before["targets"].([]any)
		for _, t := range targets {
			out[s.ID] = append(out[s.ID], fmt.Sprint(t))
		}
	}
	return out
}

func checkLeftBeforeTerminated(t *testing.T, writes []write, group, id string) {
	t.Helper()
	left := false
	for _, w := range writes {
		switch {
		case !ok(w):
		case w.path == "/publicCloud/v1/targetGroups/"+group+"/deregisterTargets" && strings.Contains(w.body, id),
			w.method == http.MethodDelete && w.path == "/publicCloud/v1/targetGroups/"+group:
			left = true
		case w.method == http.MethodDelete && w.path == "/publicCloud/v1/instances/"+id && !left:
			t.Errorf("instance %s was terminated while target group %s still listed it", id, group)
		}
	}
}

// tierRun drives one configuration through Load, Plan and Apply against a
// sandbox, recording the writes.
type tierRun struct {
	t    *testing.T
	opts Options
	rec  *recorder
	path string
}

func (r *tierRun) plan(cfg string, replace ...string) (*Engine, *plan.Plan) {
	r.t.Helper()
	if err := os.WriteFile(r.path, []byte(cfg), 0o644); err != nil {
		r.t.Fatal(err)
	}
	opts := r.opts
	opts.Replace = replace
	e, err := Load(opts)
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := e.Plan(context.Background())
	if err != nil {
		r.t.Fatalf("plan: %v", err)
	}
	return e, p
}

// apply plans cfg, applies it, checks the order of the writes, and checks
// that planning again finds nothing to do. It returns the plan it applied.
func (r *tierRun) apply(cfg string, replace ...string) *plan.Plan {
	r.t.Helper()
	e, p := r.plan(cfg, replace...)
	r.rec.take()
	sum, err := e.Apply(context.Background(), p, ApplyOptions{Parallelism: 4, AllowDeletes: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	writes := r.rec.take()
	if !sum.OK() {
		for _, res := range sum.Results {
			if res.Err != nil {
				r.t.Errorf("%s: %v", res.Key, res.Err)
			}
		}
		r.t.Fatalf("apply failed; writes:\n%s", joinWrites(writes))
	}
	checkWriteOrder(r.t, p, writes)
	if _, again := r.plan(cfg); again.CanApply() {
		r.t.Errorf("planning again after the apply finds changes: %v", stepKeys(again))
		for _, s := range again.Steps {
			r.t.Logf("  %s: %s %+v", s.Key(), s.Action, s.Changes)
		}
	}
	if r.t.Failed() {
		r.t.Logf("plan: %v\nwrites:\n%s", stepKeys(p), joinWrites(writes))
	}
	return p
}

func joinWrites(ws []write) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString("  " + w.String() + "\n")
	}
	return b.String()
}

func stepKeys(p *plan.Plan) []string {
	out := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Key()
	}
	return out
}

func newTierRun(t *testing.T) *tierRun {
	t.Helper()
	path := writeConfig(t, "apiVersion: lswctl/v1\n")
	opts, srv := sandboxOptions(t, path)
	rec := &recorder{next: srv.Transport()}
	opts.HTTPClient = &http.Client{Transport: rec}
	return &tierRun{t: t, opts: opts, rec: rec, path: path}
}

const replaceTier = `apiVersion: lswctl/v1
instances:
  web-1: &web
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {%s, cancelReason: CANCEL_PRODUCT_SWITCH}
  web-2: *web
targetGroups:
  web:
    region: eu-west-3
    protocol: %s
    port: 80
    targets: [web-1, web-2]
`

const (
	hourly  = "type: HOURLY"
	monthly = "type: MONTHLY, term: 1, billingFrequency: 1"
)

// TestReplaceDeregistersBeforeTerminating is the README's promise for
// --replace: the instance leaves its target group before it is terminated,
// and the new one joins once it runs; also with the group replaced in the
// same plan (the cycle of issue 7).
func TestReplaceDeregistersBeforeTerminating(t *testing.T) {
	r := newTierRun(t)
	r.apply(fmt.Sprintf(replaceTier, hourly, "HTTP"))
	p := r.apply(fmt.Sprintf(replaceTier, hourly, "HTTP"), "instance.web-1")
	if got := stepKeys(p); !strings.Contains(strings.Join(got, ","), "targetGroup.web (release),instance.web-1 (deposed),instance.web-1,targetGroup.web") {
		t.Errorf("steps = %v", got)
	}
	r.apply(fmt.Sprintf(replaceTier, hourly, "TCP"), "instance.web-2")
}

// TestMonthlyReplacementWarns: replacing a MONTHLY instance leaves the old
// one running and billed until its contract ends, with the same reference
// as the new one; the plan says so before anyone confirms. An HOURLY one
// says nothing.
func TestMonthlyReplacementWarns(t *testing.T) {
	r := newTierRun(t)
	r.apply(fmt.Sprintf(replaceTier, hourly, "HTTP"))
	if _, p := r.plan(fmt.Sprintf(replaceTier, hourly, "HTTP"), "instance.web-1"); len(p.Warnings) != 0 {
		t.Errorf("HOURLY replacement warns: %v", p.Warnings)
	}
	r = newTierRun(t)
	monthly := fmt.Sprintf(replaceTier, monthly, "HTTP")
	r.apply(monthly)
	_, p := r.plan(monthly, "instance.web-1")
	id := p.Step(model.Address{Kind: "instance", Name: "web-1"}).ID
	want := "instance.web-1: replacing this MONTHLY instance only schedules the old one (id " + id +
		") for termination at the end of its contract: until then it keeps running and is billed, " +
		"next to the new instance, and both have the reference web-1"
	if len(p.Warnings) != 1 || p.Warnings[0] != want {
		t.Fatalf("warnings = %q\nwant %q", p.Warnings, want)
	}
	r.apply(monthly, "instance.web-1")
	if _, again := r.plan(monthly); !ignores(again, id) {
		t.Errorf("the old MONTHLY instance %s is not listed as ignored: %+v", id, again.Ignored)
	}
}

func ignores(p *plan.Plan, id string) bool {
	for _, i := range p.Ignored {
		if i.ID == id {
			return true
		}
	}
	return false
}
