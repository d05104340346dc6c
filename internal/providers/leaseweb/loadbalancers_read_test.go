package leaseweb

/*
Tests of the load balancer kind against the real emulator, every exchange
checked against the OpenAPI document (see balancing_helpers_test.go).
*/

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// sbEdge is a RUNNING hourly load balancer "edge" in eu-west-3 with the
// new-load-balancer configuration.
func sbEdge() sbLB {
	return sbLB{ID: idEdge, Reference: sbRef("edge"), Region: "eu-west-3", Type: "lsw.m4.large"}
}

// lbAttrs is a load balancer's live attributes with the default
// configuration, with extra merged in.
func lbAttrs(extra model.Object) model.Object {
	a := model.Object{
		"region": "eu-west-3", "type": "lsw.m4.large", "state": "RUNNING",
		"contract":      map[string]any{"type": "HOURLY", "term": int64(0), "billingFrequency": int64(1)},
		"stickySession": nil, "balance": "roundrobin", "xForwardedFor": false, "idleTimeOut": int64(60),
	}
	maps.Copy(a, extra)
	return a
}

func lbReadSeed() sbDoc {
	edge := sbEdge()
	edge.Configuration = map[string]any{"balance": "leastconn", "xForwardedFor": true, "idleTimeOut": 120,
		"stickySession": map[string]any{"enabled": true, "maxLifeTime": 300}}
	return sbDoc{LoadBalancers: []sbLB{
		edge,
		{ID: idNoRef, Region: "us-east-1", Type: "lsw.m5.large", State: "STOPPED",
			Contract: &sbContract{Type: "MONTHLY", Term: 12, BillingFrequency: 3}},
		{Reference: sbRef("old"), Region: "eu-west-3", Type: "lsw.m4.large",
			Contract: &sbContract{Type: "MONTHLY", Term: 1, State: "DELETE_SCHEDULED"}},
		{Reference: sbRef("leaving"), Region: "eu-west-3", Type: "lsw.m4.large", State: "DESTROYING"},
		{ID: idGone, Reference: sbRef("gone"), Region: "eu-west-3", Type: "lsw.m4.large", State: "DESTROYED"},
	}}
}

func TestLoadBalancersRead(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: time.Hour}, lbReadSeed())

	got := readAll(t, e.lbs)

	tests := []struct {
		name        string
		id          string
		attrs       model.Object
		untouchable string
	}{
		{name: "edge", id: idEdge, attrs: lbAttrs(model.Object{"balance": "leastconn", "xForwardedFor": true,
			"idleTimeOut": int64(120), "stickySession": map[string]any{"enabled": true, "maxLifeTime": int64(300)}})},
		{name: idNoRef, id: idNoRef, attrs: lbAttrs(model.Object{"region": "us-east-1", "type": "lsw.m5.large",
			"state": "STOPPED", "contract": map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(3)}})},
		{name: "old", untouchable: "scheduled for deletion"},
		{name: "leaving", untouchable: "being destroyed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := got[tt.name]
			if !ok {
				t.Fatalf("Read did not return %s; got %v", tt.name, slices.Sorted(maps.Keys(got)))
			}
			if r.Addr.Kind != "loadBalancer" || r.ID == "" || tt.id != "" && r.ID != tt.id {
				t.Errorf("Addr %v ID %s, want a loadBalancer with id %s", r.Addr, r.ID, tt.id)
			}
			if tt.attrs != nil {
				if diff := cmp.Diff(tt.attrs, r.Attrs); diff != "" {
					t.Errorf("attrs (-want +got):\n%s", diff)
				}
			}
			if (tt.untouchable == "") != (r.Untouchable == "") || !strings.Contains(r.Untouchable, tt.untouchable) {
				t.Errorf("Untouchable = %q, want %q", r.Untouchable, tt.untouchable)
			}
		})
	}
	if len(got) != len(tests) {
		t.Errorf("Read returned %v, want %d load balancers (not the DESTROYED one)", slices.Sorted(maps.Keys(got)), len(tests))
	}
	st := e.srv.Stats()
	if st.Total != 2 || st.ByRoute[rLBList] != 2 {
		t.Errorf("Read sent %v, want two lists (all, and those scheduled for deletion)", st.ByRoute)
	}
	for _, q := range e.rec.matching(http.MethodGet, loadBalancersPath) {
		if s := q.Query.Get("contractState"); s != "" && s != "DELETE_SCHEDULED" {
			t.Errorf("list filtered by contractState=%s", s)
		}
	}
}

func TestLoadBalancersReadOne(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: time.Hour}, lbReadSeed())
	all := readAll(t, e.lbs)
	for _, name := range []string{"edge", idNoRef, "old", "leaving"} {
		e.resetCounters()
		got, err := e.lbs.ReadOne(e.ctx, all[name].ID)
		if err != nil || got == nil {
			t.Fatalf("ReadOne(%s) = %v, %v", name, got, err)
		}
		// The same attributes from the details as from the list: the
		// fingerprints of a saved plan must match.
		if diff := cmp.Diff(all[name], *got); diff != "" {
			t.Errorf("%s: ReadOne differs from Read (-Read +ReadOne):\n%s", name, diff)
		}
		if st := e.srv.Stats(); st.Total != 1 || st.ByRoute[rLBGet] != 1 {
			t.Errorf("ReadOne sent %v, want one GET", st.ByRoute)
		}
	}
	for _, id := range []string{idGone, idNone} {
		if got, err := e.lbs.ReadOne(e.ctx, id); got != nil || err != nil {
			t.Errorf("ReadOne(%s) = %v, %v; want nil, nil", id, got, err)
		}
	}
}

// TestLoadBalancersCheck: plan-time refusals, before any request.
func TestLoadBalancersCheck(t *testing.T) {
	monthly := lbAttrs(model.Object{"contract": map[string]any{"type": "MONTHLY", "term": int64(1), "billingFrequency": int64(1)}})
	withReason := func(code, text string) model.Object {
		c := map[string]any{"type": "HOURLY", "cancelReason": code}
		if text != "" {
			c["cancelReasonText"] = text
		}
		return lbAttrs(model.Object{"contract": c})
	}
	tests := []struct {
		name, action  string
		before, after model.Object
		changed       []string
		wantPath      string
		wantMsg       []string
	}{
		{name: "create", action: "create", after: lbAttrs(nil)},
		{name: "delete pruned", action: "delete", before: lbAttrs(nil),
			wantPath: "contract.cancelReason", wantMsg: []string{"Leaseweb needs a cancellation reason to delete a load balancer", "edge"}},
		{name: "delete without reason", action: "delete", before: lbAttrs(nil), after: lbAttrs(nil),
			wantPath: "contract.cancelReason", wantMsg: []string{"cancellation reason"}},
		{name: "replace without reason", action: "replace", before: lbAttrs(nil), after: lbAttrs(nil),
			wantPath: "contract.cancelReason", wantMsg: []string{"cancellation reason"}},
		{name: "delete with reason", action: "delete", before: lbAttrs(nil), after: withReason("CANCEL_HIGH_PRICE", "")},
		{name: "CANCEL_OTHER without text", action: "delete", before: lbAttrs(nil), after: withReason("CANCEL_OTHER", ""),
			wantPath: "contract.cancelReasonText", wantMsg: []string{"CANCEL_OTHER"}},
		{name: "CANCEL_OTHER with text", action: "replace", before: lbAttrs(nil), after: withReason("CANCEL_OTHER", "moving")},
		{name: "monthly to hourly", action: "update", before: monthly, after: lbAttrs(nil), changed: []string{"contract.type"},
			wantPath: "contract.type", wantMsg: []string{"MONTHLY", "HOURLY"}},
		{name: "hourly to monthly", action: "update", before: lbAttrs(nil), after: monthly, changed: []string{"contract.type"}},
	}
	e := newLBEnv(t, sandbox.Options{Delay: -1}, sbDoc{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := providers.Op{Addr: model.Address{Kind: "loadBalancer", Name: "edge"}, ID: idEdge,
				Before: tt.before, After: tt.after, Changed: tt.changed}
			checkFieldError(t, e.lbs.Check(e.ctx, tt.action, op), tt.wantPath, tt.wantMsg...)
		})
	}
	if st := e.srv.Stats(); st.Total != 0 {
		t.Errorf("Check sent %v, want nothing", st.ByRoute)
	}
}

// TestLoadBalancersSchema pins what the diff relies on.
func TestLoadBalancersSchema(t *testing.T) {
	want := model.KindSchema{Kind: "loadBalancer", Plural: "loadBalancers",
		Immutable: []string{"region", "contract.term", "contract.billingFrequency"},
		WriteOnly: []string{"contract.cancelReason", "contract.cancelReasonText"},
		Children:  []model.Child{{Attr: "listeners", Kind: "listener", Key: []string{"protocol", "port"}, ParentAttr: "loadBalancer"}}}
	if diff := cmp.Diff(want, (&loadBalancers{}).Schema()); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}
