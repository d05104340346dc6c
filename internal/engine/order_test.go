package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/apply"
	"github.com/lswctl/lswctl/internal/plan"
)

const tierConfig = `apiVersion: lswctl/v1
targetGroups:
  web: {region: eu-west-3, protocol: HTTP, port: 80}
loadBalancers:
  edge:
    region: eu-west-3
    type: lsw.m4.large
    contract: {type: HOURLY, cancelReason: CANCEL_PRODUCT_SWITCH}
    listeners:
      - {protocol: HTTP, port: 80, targetGroup: web}
`

const tierGone = `apiVersion: lswctl/v1
targetGroups:
  web: {ensure: absent}
loadBalancers:
  edge:
    ensure: absent
    contract: {cancelReason: CANCEL_PRODUCT_SWITCH}
`

// TestApplyOrderIsWhatTheAPIRequires proves the order is not luck: the
// sandbox refuses to delete a target group a listener still forwards to, so
// walking the deletes in the opposite order fails, while the plan's own
// order succeeds.
func TestApplyOrderIsWhatTheAPIRequires(t *testing.T) {
	path := writeConfig(t, tierConfig)
	opts, _ := sandboxOptions(t, path)
	run := func(mutate func(*plan.Plan)) *apply.Summary {
		t.Helper()
		e, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		mutate(p)
		sum, err := e.Apply(context.Background(), p, ApplyOptions{Parallelism: 1})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := run(func(*plan.Plan) {}); !sum.OK() {
		t.Fatalf("creating the tier failed: %+v", sum.Results)
	}
	if err := os.WriteFile(path, []byte(tierGone), 0o644); err != nil {
		t.Fatal(err)
	}
	// Reverse the edges the plan derived: the target group goes first.
	sum := run(func(p *plan.Plan) {
		for i := range p.Steps {
			s := &p.Steps[i]
			switch {
			case s.Addr.Kind == "targetGroup":
				if len(s.DependsOn) == 0 {
					t.Fatal("the plan did not make the target group delete wait for anything")
				}
				s.DependsOn = nil
			case s.Addr.Kind == "listener":
				s.DependsOn = []string{"targetGroup.web"}
			}
		}
	})
	var tg apply.StepResult
	for _, r := range sum.Results {
		if r.Addr.Kind == "targetGroup" {
			tg = r
		}
	}
	if tg.Status != apply.Failed || !strings.Contains(tg.Err.Error(), "in use") {
		t.Fatalf("deleting the target group first: %+v; want the API to refuse it as in use", tg)
	}
	// The plan's own order, from the same state, succeeds.
	if sum := run(func(*plan.Plan) {}); !sum.OK() {
		t.Fatalf("deleting in the planned order failed: %+v", sum.Results)
	}
}
