package leaseweb

/*
Tests of the public cloud instance kind against the real emulator
(internal/sandbox), every exchange checked against the OpenAPI document
(see sandbox_helpers_test.go). Request counts come from the sandbox's own
Stats, so they count what reached the API, retries included.
*/

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// TestInstancesRequestCounts pins the number of API requests each
// operation costs when transitions complete at once (Delay < 0: the answer
// to a write shows the transitional state, the next request its end), and
// checks that every write goes through the gate, and no other read than a
// create's lookup of its key right before the launch, so waiting never
// holds one of apply's write slots. A create lists its reference twice:
// before the launch and to verify it (createonce.go).
func TestInstancesRequestCounts(t *testing.T) {
	monthlyAfter := sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_NEW_OFFER"}})
	tests := []struct {
		name string
		seed []sbInstance // the first one, if any, is the one operated on
		run  func(e *sbEnv, gate providers.Gate, id string) error
		want map[string]int
	}{
		{
			name: "create",
			run: func(e *sbEnv, gate providers.Gate, _ string) error {
				_, err := e.kind.Create(e.ctx, gate, sbOp("web-1", sbAfter(nil)))
				return err
			},
			want: map[string]int{sbList: 2, sbLaunch: 1, sbGet: 1},
		},
		{
			name: "create stopped",
			run: func(e *sbEnv, gate providers.Gate, _ string) error {
				_, err := e.kind.Create(e.ctx, gate, sbOp("web-1", sbAfter(model.Object{"state": "STOPPED"})))
				return err
			},
			want: map[string]int{sbList: 2, sbLaunch: 1, sbGet: 2, sbStop: 1},
		},
		{
			name: "update type",
			seed: []sbInstance{sbWeb("web-1")},
			run: func(e *sbEnv, gate providers.Gate, id string) error {
				return e.kind.Update(e.ctx, gate, providers.Op{ID: id,
					After: sbAfter(model.Object{"type": "lsw.m5a.xlarge"}), Changed: []string{"type"}})
			},
			want: map[string]int{sbGet: 2, sbPut: 1},
		},
		{
			name: "update type and stop",
			seed: []sbInstance{sbWeb("web-1")},
			run: func(e *sbEnv, gate providers.Gate, id string) error {
				return e.kind.Update(e.ctx, gate, providers.Op{ID: id,
					After: sbAfter(model.Object{"type": "lsw.m5a.xlarge", "state": "STOPPED"}), Changed: []string{"type", "state"}})
			},
			want: map[string]int{sbGet: 3, sbPut: 1, sbStop: 1},
		},
		{
			name: "update state only",
			seed: []sbInstance{sbWeb("web-1")},
			run: func(e *sbEnv, gate providers.Gate, id string) error {
				return e.kind.Update(e.ctx, gate, providers.Op{ID: id,
					After: sbAfter(model.Object{"state": "STOPPED"}), Changed: []string{"state"}})
			},
			want: map[string]int{sbGet: 3, sbStop: 1},
		},
		{
			name: "delete hourly",
			seed: []sbInstance{sbWeb("web-1")},
			run: func(e *sbEnv, gate providers.Gate, id string) error {
				return e.kind.Delete(e.ctx, gate, providers.Op{ID: id, Before: sbAfter(nil)})
			},
			want: map[string]int{sbDelete: 1, sbGet: 2}, // settle first, then see it DESTROYED
		},
		{
			name: "delete monthly",
			seed: []sbInstance{sbMonthly("db")},
			run: func(e *sbEnv, gate providers.Gate, id string) error {
				return e.kind.Delete(e.ctx, gate, providers.Op{ID: id, Before: monthlyAfter, After: monthlyAfter})
			},
			want: map[string]int{sbDelete: 1, sbGet: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: -1}, tt.seed...)
			var id string
			if len(tt.seed) > 0 {
				id = e.idOf(*tt.seed[0].Reference)
			}
			var gated []string // what each gate call sent
			gate := func(ctx context.Context, call func(context.Context) error) error {
				n := e.rec.count()
				err := call(ctx)
				var sent []string
				for _, r := range e.rec.since(n) {
					sent = append(sent, r.Method)
				}
				gated = append(gated, strings.Join(sent, "+"))
				return err
			}
			e.resetCounters()

			if err := tt.run(e, gate, id); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}

			st := e.srv.Stats()
			if diff := cmp.Diff(tt.want, st.ByRoute); diff != "" {
				t.Errorf("requests by route (-want +got):\n%s", diff)
			}
			writes := st.Total - st.ByRoute[sbGet] - st.ByRoute[sbList]
			if len(gated) != writes {
				t.Errorf("gate taken %d times for %d writes, want once per write", len(gated), writes)
			}
			for i, sent := range gated {
				if sent != "GET+POST" && (sent == "" || strings.Contains(sent, "GET") || strings.Contains(sent, "+")) {
					t.Errorf("gate call %d sent %q, want exactly one write (after a lookup for a launch)", i+1, sent)
				}
			}
		})
	}
}

// TestInstancesRegressions covers defects found by review: adopting an
// instance scheduled for deletion, ignoring the type's storage types, and
// failing a delete or stop whose first attempt landed before a retry.
func TestInstancesRegressions(t *testing.T) {
	t.Run("lost launch adopts an instance scheduled for deletion", func(t *testing.T) {

		// A MONTHLY instance being replaced: its deletion is scheduled
		// and it keeps running, under the same reference, until the end
		// of its term.
		old := sbMonthly("db")
		old.Contract.State = "DELETE_SCHEDULED"
		e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, old)
		oldID := e.idOf("db")
		e.setFaults("POST /publicCloud/v1/instances 500 x1") // refused before doing anything

		id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("db", sbAfter(nil)))

		if id == oldID {
			t.Errorf("Create adopted the instance scheduled for deletion (%s) as the new one", oldID)
		}
		// Nothing landed, so the launch was repeated (createonce.go).
		if err != nil || id == "" {
			t.Errorf("Create = %q, %v; want the repeated launch's instance", id, err)
		}
	})

	t.Run("check ignores the storage types of the instance type", func(t *testing.T) {

		e := newSandboxEnv(t, sandbox.Options{Delay: -1})
		op := sbOp("web-1", sbAfter(model.Object{"type": "lsw.m3.large", "rootDisk": sbDisk(50, "LOCAL")}))

		err := e.kind.Check(e.ctx, "create", op)

		checkFieldError(t, err, "rootDisk.storageType", "lsw.m3.large", "LOCAL")
	})

	t.Run("a retried delete that had landed fails", func(t *testing.T) {

		for _, in := range []sbInstance{sbWeb("web-1"), sbMonthly("web-1")} {
			e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, in)
			live := e.read()["web-1"]
			e.setFaults("DELETE /publicCloud/v1/instances/* 500 after-apply x1")
			op := providers.Op{Addr: live.Addr, ID: live.ID, Before: live.Attrs,
				After: sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_HIGH_PRICE"}})}

			if err := e.kind.Delete(e.ctx, providers.NoGate, op); err != nil {
				t.Errorf("%s: Delete failed although the instance was deleted: %v", in.Type, err)
			}
		}
	})

	t.Run("a retried stop that had landed fails", func(t *testing.T) {

		e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, sbWeb("web-1"))
		id := e.idOf("web-1")
		e.setFaults("POST /publicCloud/v1/instances/*/stop 500 after-apply x1")

		err := e.kind.Update(e.ctx, providers.NoGate, providers.Op{ID: id,
			After: sbAfter(model.Object{"state": "STOPPED"}), Changed: []string{"state"}})

		if err != nil {
			t.Errorf("Update failed although the instance stopped (%s): %v", e.details(id).State, err)
		}
	})
}
