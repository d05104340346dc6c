package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// saveAndRead round-trips a plan through its file form.
func saveAndRead(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(p); err != nil {
		t.Fatal(err)
	}
	got, err := plan.Decode(&b, KnownKinds())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestVerifyReturnsThePlanMadeNow: what apply carries out is the plan made
// again, with the secrets' values, never the file's steps (which hold only
// digests).
func TestVerifyReturnsThePlanMadeNow(t *testing.T) {
	opts, _ := sandboxOptions(t, writeConfig(t, oneInstance))
	e, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	saved := saveAndRead(t, p)
	now, err := e.Verify(context.Background(), saved)
	if err != nil {
		t.Fatal(err)
	}
	if now == saved || &now.Steps[0] == &saved.Steps[0] {
		t.Fatal("Verify returned the file's plan")
	}
	if d := plan.Compare(saved, now); len(d) > 0 {
		t.Errorf("differences: %v", d)
	}
	sec, _ := now.Steps[0].After["userData"].(model.Secret)
	if sec.Reveal() != "#cloud-config\npassword: hunter2" {
		t.Errorf("the plan to apply lacks the secret's value")
	}
}

// TestVerifyReadErrorIsNotStale: when live state cannot be read, Verify
// says so; it never reports every object as gone.
func TestVerifyReadErrorIsNotStale(t *testing.T) {
	opts, srv := sandboxOptions(t, writeConfig(t, oneInstance))
	e, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := e.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := e.Apply(ctx, p, ApplyOptions{Parallelism: 1}); err != nil || !sum.OK() {
		t.Fatalf("apply: %v %+v", err, sum)
	}
	bigger, err := Load(withConfig(t, opts, strings.Replace(oneInstance, "size: 20", "size: 40", 1)))
	if err != nil {
		t.Fatal(err)
	}
	p, err = bigger.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	saved := saveAndRead(t, p)
	rules, err := sandbox.ParseFaultRules("GET /publicCloud/v1/instances* 403")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(sandbox.Faults{Rules: rules})
	_, err = bigger.Verify(ctx, saved)
	var stale *StaleError
	if err == nil || errors.As(err, &stale) || strings.Contains(err.Error(), "no longer exists") {
		t.Errorf("Verify = %v, want the read error", err)
	}
}

// withConfig is opts with another configuration file.
func withConfig(t *testing.T, opts Options, body string) Options {
	t.Helper()
	opts.Paths = []string{writeConfig(t, body)}
	opts.Cwd = ""
	return opts
}

func TestDifferErrorIsBounded(t *testing.T) {
	diffs := make([]string, 120)
	for i := range diffs {
		diffs[i] = "instance.x: differs"
	}
	msg := (&DifferError{Diffs: diffs}).Error()
	if n := strings.Count(msg, "\n  instance.x: differs"); n != maxDiffs || !strings.HasSuffix(msg, "\n  and 70 more differences") {
		t.Errorf("%d differences listed:\n%s", n, msg)
	}
}
