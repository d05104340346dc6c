package leaseweb

/*
Tests of load balancer writes against the real emulator, every exchange
checked against the OpenAPI document (see balancing_helpers_test.go).
*/

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// lbOp is the op of the load balancer called name.
func lbOp(name, id string, after model.Object, changed ...string) providers.Op {
	return providers.Op{Addr: model.Address{Kind: "loadBalancer", Name: name}, ID: id, After: after, Changed: changed}
}

// lbDecl is a declared hourly load balancer in eu-west-3, extra merged in.
func lbDecl(extra model.Object) model.Object {
	a := model.Object{"region": "eu-west-3", "type": "lsw.m4.large", "contract": map[string]any{"type": "HOURLY"}}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

func TestLoadBalancersCreate(t *testing.T) {
	launch := map[string]any{"region": "eu-west-3", "type": "lsw.m4.large", "contractType": "HOURLY", "reference": "edge"}
	tests := []struct {
		name      string
		after     model.Object
		wantPut   []any // nil: no PUT
		wantAttrs model.Object
	}{
		{name: "no configuration", after: lbDecl(nil), wantAttrs: lbAttrs(nil)},
		{name: "configuration as at launch", after: lbDecl(model.Object{"balance": "roundrobin", "stickySession": nil}),
			wantAttrs: lbAttrs(nil)},
		{
			name: "configuration",
			after: lbDecl(model.Object{"balance": "source", "idleTimeOut": int64(60), "xForwardedFor": true,
				"stickySession": map[string]any{"enabled": true, "maxLifeTime": int64(600)}}),
			wantPut: []any{map[string]any{"balance": "source", "xForwardedFor": true,
				"stickySession": map[string]any{"enabled": true, "maxLifeTime": float64(600)}}},
			wantAttrs: lbAttrs(model.Object{"balance": "source", "xForwardedFor": true,
				"stickySession": map[string]any{"enabled": true, "maxLifeTime": int64(600)}}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{})
			gate, gated := e.recordingGate()

			id, err := e.lbs.Create(e.ctx, gate, lbOp("edge", "", tt.after))
			if err != nil {
				t.Fatalf("Create: %v", err)
			}

			if diff := cmp.Diff([]any{launch}, e.bodies(http.MethodPost, loadBalancersPath)); diff != "" {
				t.Errorf("launch body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPut, e.bodies(http.MethodPut, "")); diff != "" {
				t.Errorf("PUT bodies (-want +got):\n%s", diff)
			}
			want := map[string]int{rLBList: 2, rLBLaunch: 1, rLBGet: 1} // lookups before and after the launch
			if tt.wantPut != nil {
				want[rLBPut] = 1
			}
			if diff := cmp.Diff(want, e.srv.Stats().ByRoute); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			e.checkGated(*gated)
			r, err := e.lbs.ReadOne(e.ctx, id)
			if err != nil || r == nil {
				t.Fatalf("ReadOne = %v, %v", r, err)
			}
			if diff := cmp.Diff(tt.wantAttrs, r.Attrs); diff != "" || r.Addr.Name != "edge" {
				t.Errorf("%s after Create (-want +got):\n%s", r.Addr, diff)
			}
		})
	}
}

// TestLoadBalancersCreateWaits: the configuration PUT waits for RUNNING
// (the API refuses it while CREATING), and a monthly contract is launched
// with its term.
func TestLoadBalancersCreateWaits(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: 30 * time.Millisecond}, sbDoc{})
	after := lbDecl(model.Object{"balance": "leastconn",
		"contract": map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(3)}})

	id, err := e.lbs.Create(e.ctx, providers.NoGate, lbOp("edge", "", after))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}

	launch := e.bodies(http.MethodPost, loadBalancersPath)
	want := []any{map[string]any{"region": "eu-west-3", "type": "lsw.m4.large", "contractType": "MONTHLY",
		"contractTerm": float64(12), "billingFrequency": float64(3), "reference": "edge"}}
	if diff := cmp.Diff(want, launch); diff != "" {
		t.Errorf("launch body (-want +got):\n%s", diff)
	}
	st := e.srv.Stats()
	if st.ByRoute[rLBGet] < 2 || st.ByRoute[rLBPut] != 1 || st.ByStatus[http.StatusBadRequest] != 0 {
		t.Errorf("requests %v statuses %v: want polls while CREATING, then one accepted PUT", st.ByRoute, st.ByStatus)
	}
	t.Logf("create requests with a 30ms launch: %v", st.ByRoute)
	if lb, _ := e.lbs.get(e.ctx, id); lb.State != "RUNNING" || lb.Configuration.Balance != "leastconn" {
		t.Errorf("load balancer %s with balance %s, want RUNNING and leastconn", lb.State, lb.Configuration.Balance)
	}
}

// TestLoadBalancersCreateAdoptsLostLaunch: a launch whose answer is lost is
// adopted by reference, never the scheduled-for-deletion load balancer
// with the same reference (the old half of a replaced MONTHLY one); a
// launch refused before it did anything is repeated.
func TestLoadBalancersCreateAdoptsLostLaunch(t *testing.T) {
	old := sbEdge()
	old.Contract = &sbContract{Type: "MONTHLY", Term: 1, State: "DELETE_SCHEDULED"}
	for _, tt := range []struct {
		fault             string
		launches, lookups int
	}{{"500 after-apply x1", 1, 3}, {"drop after-apply x1", 1, 3}, {"500 x1", 2, 4}} {
		t.Run(tt.fault, func(t *testing.T) {
			e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{LoadBalancers: []sbLB{old}})
			e.setFaults("POST /publicCloud/v1/loadBalancers " + tt.fault)

			id, err := e.lbs.Create(e.ctx, providers.NoGate, lbOp("edge", "", lbDecl(nil)))

			if id == idEdge {
				t.Fatalf("Create adopted the load balancer scheduled for deletion")
			}
			if err != nil || id == "" {
				t.Fatalf("Create = %q, %v; want the new load balancer", id, err)
			}
			st := e.srv.Stats()
			if st.ByRoute[rLBLaunch] != tt.launches || st.ByRoute[rLBList] != tt.lookups {
				t.Errorf("requests %v, want %d launches and %d lookups by reference", st.ByRoute, tt.launches, tt.lookups)
			}
			for _, q := range e.rec.matching(http.MethodGet, loadBalancersPath) {
				if q.Query.Get("reference") != "edge" {
					t.Errorf("lookup %v, want reference=edge", q.Query)
				}
			}
			if lb, _ := e.lbs.get(e.ctx, idEdge); lb.State != "RUNNING" {
				t.Errorf("the old load balancer is %s, want it left alone", lb.State)
			}
		})
	}
}

func TestLoadBalancersUpdate(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{LoadBalancers: []sbLB{sbEdge()}})
	gate, gated := e.recordingGate()
	after := lbDecl(model.Object{"type": "lsw.m4.xlarge", "balance": "leastconn", "idleTimeOut": int64(30),
		"stickySession": nil, "contract": map[string]any{"type": "MONTHLY"}})
	op := lbOp("edge", idEdge, after, "type", "balance", "idleTimeOut", "contract.type")
	op.Before = lbAttrs(nil)

	if err := e.lbs.Update(e.ctx, gate, op); err != nil {
		t.Fatalf("Update: %v", err)
	}

	want := []any{map[string]any{"type": "lsw.m4.xlarge", "balance": "leastconn", "idleTimeOut": float64(30),
		"contractType": "MONTHLY"}}
	if diff := cmp.Diff(want, e.bodies(http.MethodPut, "")); diff != "" {
		t.Errorf("PUT body (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{rLBGet: 2, rLBPut: 1}, e.srv.Stats().ByRoute); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	e.checkGated(*gated)

	t.Run("sticky session removed", func(t *testing.T) {
		e.resetCounters()
		op := lbOp("edge", idEdge, lbDecl(model.Object{"stickySession": nil}), "stickySession")
		if err := e.lbs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}
		if diff := cmp.Diff([]any{map[string]any{"stickySession": nil}}, e.bodies(http.MethodPut, "")); diff != "" {
			t.Errorf("PUT body (-want +got):\n%s", diff)
		}
	})
}

func TestLoadBalancersDelete(t *testing.T) {
	monthly := sbEdge()
	monthly.Contract = &sbContract{Type: "MONTHLY", Term: 12}
	reason := func(code, text string) model.Object {
		c := map[string]any{"type": "HOURLY", "cancelReason": code}
		if text != "" {
			c["cancelReasonText"] = text
		}
		return lbDecl(model.Object{"contract": c})
	}
	tests := []struct {
		name      string
		seed      sbLB
		after     model.Object
		fault     string
		wantErr   string // FieldError path
		wantBody  map[string]any
		wantState string // of the load balancer after Delete
		wantRoute map[string]int
	}{
		{name: "no reason", seed: sbEdge(), after: lbDecl(nil), wantErr: "contract.cancelReason"},
		{name: "pruned", seed: sbEdge(), wantErr: "contract.cancelReason"},
		{name: "hourly", seed: sbEdge(), after: reason("CANCEL_PRODUCT_SWITCH", ""),
			wantBody: map[string]any{"reasonCode": "CANCEL_PRODUCT_SWITCH"}, wantState: "DESTROYED",
			wantRoute: map[string]int{rLBGet: 2, rLBDelete: 1}},
		{name: "monthly, CANCEL_OTHER", seed: monthly, after: reason("CANCEL_OTHER", "moving to bare metal"),
			wantBody:  map[string]any{"reasonCode": "CANCEL_OTHER", "reason": "moving to bare metal"},
			wantState: "RUNNING", wantRoute: map[string]int{rLBGet: 1, rLBDelete: 1}},
		{name: "landed before a lost answer", seed: sbEdge(), after: reason("CANCEL_HIGH_PRICE", ""),
			fault:    "DELETE /publicCloud/v1/loadBalancers/* 500 after-apply x1",
			wantBody: map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}, wantState: "DESTROYED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{LoadBalancers: []sbLB{tt.seed}})
			if tt.fault != "" {
				e.setFaults(tt.fault)
				e.p.client.sleep = fastSleep // the client's retry backoff
			}
			op := lbOp("edge", idEdge, tt.after)
			op.Before = lbAttrs(nil)

			err := e.lbs.Delete(e.ctx, providers.NoGate, op)

			if tt.wantErr != "" {
				checkFieldError(t, err, tt.wantErr, "cancellation reason")
				if st := e.srv.Stats(); st.Total != 0 {
					t.Errorf("Delete sent %v, want nothing", st.ByRoute)
				}
				return
			}
			if err != nil {
				t.Fatalf("Delete: %v", err)
			}
			dels := e.bodies(http.MethodDelete, "")
			if len(dels) == 0 || !cmp.Equal(dels[0], any(tt.wantBody)) {
				t.Errorf("DELETE bodies %v, want %v", dels, tt.wantBody)
			}
			if tt.wantRoute != nil {
				if diff := cmp.Diff(tt.wantRoute, e.srv.Stats().ByRoute); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
			}
			lb, err := e.lbs.get(e.ctx, idEdge)
			if tt.wantState == "DESTROYED" && IsNotFound(err) {
				return // destroyed and already gone
			}
			if err != nil || lb.State != tt.wantState {
				t.Errorf("after Delete the load balancer is %v (%v), want %s", lb, err, tt.wantState)
			}
			if tt.wantState == "RUNNING" && lb.Contract.State != "DELETE_SCHEDULED" {
				t.Errorf("contract %s, want DELETE_SCHEDULED", lb.Contract.State)
			}
		})
	}
}

// fastSleep replaces the client's retry backoff (up to 500ms of jitter).
func fastSleep(ctx context.Context, _ time.Duration) error { return sleepTimer(ctx, time.Millisecond) }

// TestLoadBalancersDeleteGone: deleting one that no longer exists, or is
// already scheduled, succeeds without a DELETE.
func TestLoadBalancersDeleteGone(t *testing.T) {
	scheduled := sbEdge()
	scheduled.Contract = &sbContract{Type: "MONTHLY", Term: 1, State: "DELETE_SCHEDULED"}
	e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{LoadBalancers: []sbLB{scheduled}})
	after := lbDecl(model.Object{"contract": map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_HIGH_PRICE"}})
	for _, id := range []string{idNone, idEdge} {
		if err := e.lbs.Delete(e.ctx, providers.NoGate, lbOp("edge", id, after)); err != nil {
			t.Errorf("Delete(%s): %v", id, err)
		}
	}
	if st := e.srv.Stats(); st.ByRoute[rLBDelete] != 0 || st.ByRoute[rLBGet] != 2 {
		t.Errorf("requests %v, want one GET each and no DELETE", st.ByRoute)
	}
}
