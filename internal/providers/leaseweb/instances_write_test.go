package leaseweb

/*
Tests of the public cloud instance kind against the real emulator
(internal/sandbox), every exchange checked against the OpenAPI document
(see sandbox_helpers_test.go). Request counts come from the sandbox's own
Stats, so they count what reached the API, retries included.
*/

import (
	"errors"
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

func TestInstancesCreate(t *testing.T) {
	base := map[string]any{"region": "eu-west-3", "type": "lsw.m5a.large", "imageId": "UBUNTU_24_04_64BIT",
		"rootDiskSize": float64(50), "rootDiskStorageType": "CENTRAL", "contractType": "HOURLY"}
	body := func(extra map[string]any) map[string]any {
		b := maps.Clone(base)
		maps.Copy(b, extra)
		return b
	}
	tests := []struct {
		name      string
		after     model.Object
		wantBody  map[string]any
		wantState string
		wantStops int
	}{
		{
			name:      "ssh key from a secret",
			after:     sbAfter(model.Object{"sshKey": model.NewSecret(sbKey, "env:SSH_KEY")}),
			wantBody:  body(map[string]any{"reference": "ssh key from a secret", "sshKey": sbKey}),
			wantState: "RUNNING",
		},
		{
			name: "user data and a monthly contract",
			after: sbAfter(model.Object{
				"userData": model.NewSecret("#cloud-config\npackages: [nginx]\n", "file:cloud-init.yaml"),
				"contract": map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(3)},
			}),
			wantBody: body(map[string]any{"reference": "user data and a monthly contract",
				"userData": "#cloud-config\npackages: [nginx]\n", "contractType": "MONTHLY",
				"contractTerm": float64(12), "billingFrequency": float64(3)}),
			wantState: "RUNNING",
		},
		{
			name:      "plain string ssh key, declared RUNNING",
			after:     sbAfter(model.Object{"sshKey": sbKey, "state": "RUNNING"}),
			wantBody:  body(map[string]any{"reference": "plain string ssh key, declared RUNNING", "sshKey": sbKey}),
			wantState: "RUNNING",
		},
		{
			name:      "declared STOPPED",
			after:     sbAfter(model.Object{"state": "STOPPED"}),
			wantBody:  body(map[string]any{"reference": "declared STOPPED"}),
			wantState: "STOPPED",
			wantStops: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond})
			e.resetCounters()

			id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp(tt.name, tt.after))
			if err != nil {
				t.Fatalf("Create: %v", err)
			}

			launches := e.rec.matching(http.MethodPost, instancesPath)
			if len(launches) != 1 {
				t.Fatalf("%d launch requests, want 1", len(launches))
			}
			if diff := cmp.Diff(tt.wantBody, sbJSON(t, launches[0].Body)); diff != "" {
				t.Errorf("launch body (-want +got):\n%s", diff)
			}
			st := e.srv.Stats()
			if st.ByRoute[sbStop] != tt.wantStops || st.ByRoute[sbStart] != 0 {
				t.Errorf("stop/start calls = %d/%d, want %d/0", st.ByRoute[sbStop], st.ByRoute[sbStart], tt.wantStops)
			}
			if st.ByRoute[sbGet] < 1 || st.ByRoute[sbList] != 2 || st.ByRoute[sbPut] != 0 {
				t.Errorf("requests %v: want polls by id, the lookup before and after the launch, and no update", st.ByRoute)
			}
			for _, q := range e.rec.matching(http.MethodGet, instancesPath) {
				if q.Query.Get("reference") != tt.name {
					t.Errorf("lookup %v, want reference=%s", q.Query, tt.name)
				}
			}
			t.Logf("create requests: %v", st.ByRoute)
			// Create returns only once the instance rests in the declared
			// state: the very next look must already see it.
			in := e.details(id)
			if in.State != tt.wantState || in.Reference == nil || *in.Reference != tt.name {
				t.Errorf("after Create the instance is %s with reference %v, want %s with %q", in.State, in.Reference, tt.wantState, tt.name)
			}
		})
	}
}

// TestInstancesCreateAdoptsLostLaunch: when a launch lands but its answer
// is lost, Create finds the instance by reference instead of launching a
// second one.
func TestInstancesCreateAdoptsLostLaunch(t *testing.T) {
	for _, fault := range []string{
		"POST /publicCloud/v1/instances drop after-apply x1",
		"POST /publicCloud/v1/instances 500 after-apply x1",
		"POST /publicCloud/v1/instances 504 after-apply x1",
	} {
		t.Run(fault, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, sbWeb("other"))
			e.setFaults(fault)
			e.resetCounters()

			id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("web-1", sbAfter(nil)))
			if err != nil {
				t.Fatalf("Create: %v", err)
			}

			st := e.srv.Stats()
			if st.ByRoute[sbLaunch] != 1 || st.Faults != 1 {
				t.Errorf("%d launches (%d faults), want 1 launch, never repeated", st.ByRoute[sbLaunch], st.Faults)
			}
			// Before the launch, after the lost answer, and to verify.
			lookups := e.rec.matching(http.MethodGet, instancesPath)
			if len(lookups) != 3 {
				t.Errorf("%d lookups, want 3: before the launch, after the lost answer and to verify", len(lookups))
			}
			for _, q := range lookups {
				if q.Query.Get("reference") != "web-1" {
					t.Errorf("lookup %v, want reference=web-1", q.Query)
				}
			}
			live := e.live("web-1")
			if len(live) != 1 {
				t.Fatalf("%d instances named web-1 after Create, want exactly 1", len(live))
			}
			if id != live[0].ID || live[0].State != "RUNNING" {
				t.Errorf("Create returned %q; the instance is %s and %s", id, live[0].ID, live[0].State)
			}
		})
	}
}

// TestInstancesCreateRetriesWhatDidNotLand: a 500 that the API answered
// before doing anything, or a connection that could not be made, is
// repeated once a lookup shows nothing landed, a bounded number of times,
// and never makes a second instance.
func TestInstancesCreateRetriesWhatDidNotLand(t *testing.T) {
	for _, tt := range []struct {
		fault    string
		launches int
		wantErr  bool
	}{
		{fault: "POST /publicCloud/v1/instances 500 x1", launches: 2},
		{fault: "POST /publicCloud/v1/instances 503 x3", launches: 4},
		{fault: "POST /publicCloud/v1/instances 500", launches: 4, wantErr: true},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: -1}, sbWeb("other"))
			e.setFaults(tt.fault)
			e.resetCounters()

			id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("web-1", sbAfter(nil)))

			if st := e.srv.Stats(); st.ByRoute[sbLaunch] != tt.launches {
				t.Errorf("%d launch requests, want %d", st.ByRoute[sbLaunch], tt.launches)
			}
			live := e.live("web-1")
			if tt.wantErr {
				if err == nil || StatusOf(err) != http.StatusInternalServerError || !strings.Contains(err.Error(), "gave up after 4 attempts") {
					t.Errorf("Create = %q, %v; want the 500 after 4 attempts", id, err)
				}
				if len(live) != 0 {
					t.Errorf("%d instances named web-1, want none", len(live))
				}
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if len(live) != 1 || live[0].ID != id {
				t.Errorf("instances named web-1: %v, want exactly the one Create returned (%s)", live, id)
			}
		})
	}
}

// TestInstancesCreateRejected: the API's 400 reaches the user with its
// message, the field details and the correlation id; it is neither
// retried nor followed by another lookup.
func TestInstancesCreateRejected(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1})
	e.resetCounters()
	after := sbAfter(model.Object{"sshKey": model.NewSecret("not a key", "env:SSH_KEY")})

	_, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("web-1", after))

	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Fatalf("Create error %v, want an APIError with status 400", err)
	}
	if apiErr.ErrorMessage == "" || apiErr.CorrelationID == "" || len(apiErr.ErrorDetails["sshKey"]) == 0 {
		t.Fatalf("APIError %#v lacks errorMessage, correlationId or errorDetails.sshKey", apiErr)
	}
	msg := err.Error()
	for _, want := range []string{
		"400", apiErr.ErrorMessage,
		"sshKey: This value is not a valid SSH public key.",
		"correlationId " + apiErr.CorrelationID,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "not a key") {
		t.Errorf("error %q reveals the secret", msg)
	}
	st := e.srv.Stats()
	if st.Total != 2 || st.ByRoute[sbLaunch] != 1 {
		t.Errorf("requests %v, want the lookup and the one launch", st.ByRoute)
	}
}

func TestInstancesUpdate(t *testing.T) {
	stopped := sbWeb("web-1")
	stopped.State = "STOPPED"
	tests := []struct {
		name       string
		seed       sbInstance
		after      model.Object
		changed    []string
		wantPut    map[string]any // nil: no PUT
		wantStarts int
		wantStops  int
		check      func(t *testing.T, in apiInstance)
	}{
		{
			name:    "type",
			seed:    sbWeb("web-1"),
			after:   sbAfter(model.Object{"type": "lsw.m5a.xlarge"}),
			changed: []string{"type"},
			wantPut: map[string]any{"type": "lsw.m5a.xlarge"},
			check: func(t *testing.T, in apiInstance) {
				if in.Type != "lsw.m5a.xlarge" || in.State != "RUNNING" {
					t.Errorf("instance is %s and %s, want lsw.m5a.xlarge and RUNNING", in.Type, in.State)
				}
			},
		},
		{
			name:    "root disk size",
			seed:    sbWeb("web-1"),
			after:   sbAfter(model.Object{"rootDisk": map[string]any{"size": int64(80), "storageType": "CENTRAL"}}),
			changed: []string{"rootDisk.size"},
			wantPut: map[string]any{"rootDiskSize": float64(80)},
			check: func(t *testing.T, in apiInstance) {
				if in.RootDiskSize != 80 {
					t.Errorf("root disk is %d GB, want 80", in.RootDiskSize)
				}
			},
		},
		{
			name:    "contract to monthly",
			seed:    sbWeb("web-1"),
			after:   sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "term": int64(12)}}),
			changed: []string{"contract.type", "contract.term"},
			wantPut: map[string]any{"contractType": "MONTHLY", "contractTerm": float64(12)},
			check: func(t *testing.T, in apiInstance) {
				if in.Contract.Type != "MONTHLY" || in.Contract.Term != 12 {
					t.Errorf("contract %+v, want MONTHLY for 12 months", in.Contract)
				}
			},
		},
		{
			name:    "billing frequency only",
			seed:    sbMonthly("web-1"),
			after:   sbAfter(model.Object{"type": "lsw.r5.large", "contract": map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(6)}}),
			changed: []string{"contract.billingFrequency"},
			wantPut: map[string]any{"contractType": "MONTHLY", "contractTerm": float64(12), "billingFrequency": float64(6)},
			check: func(t *testing.T, in apiInstance) {
				if in.Contract.BillingFrequency != 6 {
					t.Errorf("contract %+v, want billing every 6 months", in.Contract)
				}
			},
		},
		{
			name:      "state only: stop",
			seed:      sbWeb("web-1"),
			after:     sbAfter(model.Object{"state": "STOPPED"}),
			changed:   []string{"state"},
			wantStops: 1,
			check: func(t *testing.T, in apiInstance) {
				if in.State != "STOPPED" {
					t.Errorf("instance is %s, want STOPPED", in.State)
				}
			},
		},
		{
			name:       "state only: start",
			seed:       stopped,
			after:      sbAfter(model.Object{"state": "RUNNING"}),
			changed:    []string{"state"},
			wantStarts: 1,
			check: func(t *testing.T, in apiInstance) {
				if in.State != "RUNNING" {
					t.Errorf("instance is %s, want RUNNING", in.State)
				}
			},
		},
		{
			name:      "type and state",
			seed:      sbWeb("web-1"),
			after:     sbAfter(model.Object{"type": "lsw.c5.xlarge", "state": "STOPPED"}),
			changed:   []string{"type", "state"},
			wantPut:   map[string]any{"type": "lsw.c5.xlarge"},
			wantStops: 1,
			check: func(t *testing.T, in apiInstance) {
				if in.Type != "lsw.c5.xlarge" || in.State != "STOPPED" {
					t.Errorf("instance is %s and %s, want lsw.c5.xlarge and STOPPED", in.Type, in.State)
				}
			},
		},
		{
			name:    "immutable and write-only changes send nothing",
			seed:    sbWeb("web-1"),
			after:   sbAfter(model.Object{"sshKey": sbKey, "state": "RUNNING"}),
			changed: []string{"sshKey"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, tt.seed)
			id := e.idOf("web-1")
			e.resetCounters()

			err := e.kind.Update(e.ctx, providers.NoGate, providers.Op{
				Addr: model.Address{Kind: "instance", Name: "web-1"}, ID: id, After: tt.after, Changed: tt.changed})
			if err != nil {
				t.Fatalf("Update: %v", err)
			}

			puts := e.rec.matching(http.MethodPut, "")
			switch {
			case tt.wantPut == nil && len(puts) != 0:
				t.Errorf("PUT %s sent, want none", puts[0].Body)
			case tt.wantPut != nil && len(puts) != 1:
				t.Errorf("%d PUTs, want 1", len(puts))
			case tt.wantPut != nil:
				if diff := cmp.Diff(tt.wantPut, sbJSON(t, puts[0].Body)); diff != "" {
					t.Errorf("PUT body (-want +got):\n%s", diff)
				}
			}
			st := e.srv.Stats()
			if st.ByRoute[sbStart] != tt.wantStarts || st.ByRoute[sbStop] != tt.wantStops {
				t.Errorf("start/stop calls = %d/%d, want %d/%d", st.ByRoute[sbStart], st.ByRoute[sbStop], tt.wantStarts, tt.wantStops)
			}
			if st.ByStatus[http.StatusBadRequest] != 0 {
				t.Errorf("the API refused %d requests: %v", st.ByStatus[http.StatusBadRequest], st.ByRoute)
			}
			t.Logf("update requests: %v", st.ByRoute)
			if tt.check != nil {
				tt.check(t, e.details(id))
			}
		})
	}
}

// TestInstancesUpdateWaitsForStable: the API refuses a PUT while the
// instance is between states, so Update first waits for it to rest.
func TestInstancesUpdateWaitsForStable(t *testing.T) {
	for _, state := range []string{"STARTING", "STOPPING", "CREATING"} {
		t.Run(state, func(t *testing.T) {
			in := sbWeb("web-1")
			in.State = state
			e := newSandboxEnv(t, sandbox.Options{Delay: 40 * time.Millisecond}, in)
			id := e.idOf("web-1")
			e.resetCounters()

			err := e.kind.Update(e.ctx, providers.NoGate, providers.Op{
				Addr: model.Address{Kind: "instance", Name: "web-1"}, ID: id,
				After: sbAfter(model.Object{"type": "lsw.m5a.xlarge"}), Changed: []string{"type"}})
			if err != nil {
				t.Fatalf("Update: %v", err)
			}

			st := e.srv.Stats()
			if st.ByRoute[sbPut] != 1 || st.ByStatus[http.StatusBadRequest] != 0 {
				t.Errorf("requests %v, statuses %v: want one accepted PUT", st.ByRoute, st.ByStatus)
			}
			if st.ByRoute[sbGet] < 2 {
				t.Errorf("%d GETs before the PUT, want Update to have polled while %s", st.ByRoute[sbGet], state)
			}
			if got := e.details(id); got.Type != "lsw.m5a.xlarge" || !stable[got.State] {
				t.Errorf("instance is %s and %s, want lsw.m5a.xlarge and resting", got.Type, got.State)
			}
		})
	}
}

func TestInstancesDeleteHourly(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, sbWeb("web-1"), sbWeb("web-2"))
	id := e.idOf("web-1")
	before := e.read()["web-1"]
	e.resetCounters()

	err := e.kind.Delete(e.ctx, providers.NoGate, providers.Op{Addr: before.Addr, ID: id, Before: before.Attrs})
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}

	dels := e.rec.matching(http.MethodDelete, "")
	if len(dels) != 1 || len(dels[0].Body) != 0 {
		t.Fatalf("DELETE requests %v, want one without a body", dels)
	}
	// Delete returns once the instance is destroyed, not when the API
	// accepted the request.
	if in := e.details(id); in.State != "DESTROYED" {
		t.Errorf("instance is %s after Delete, want DESTROYED", in.State)
	}
	if got := e.read(); len(got) != 1 || got["web-2"].ID == "" {
		t.Errorf("Read after Delete: %v, want only web-2", slices.Sorted(maps.Keys(got)))
	}
	t.Logf("delete requests: %v", e.srv.Stats().ByRoute)
}

func TestInstancesDeleteMonthly(t *testing.T) {
	tests := []struct {
		name     string
		contract map[string]any // op.After's contract; nil: no After at all
		wantErr  string         // FieldError path; "" = success
		wantBody map[string]any
	}{
		{name: "not declared (pruned)", wantErr: "contract.cancelReason"},
		{name: "no reason", contract: map[string]any{"type": "MONTHLY"}, wantErr: "contract.cancelReason"},
		{name: "CANCEL_OTHER without text", contract: map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_OTHER"},
			wantErr: "contract.cancelReasonText"},
		{name: "reason", contract: map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_PRODUCT_SWITCH"},
			wantBody: map[string]any{"reasonCode": "CANCEL_PRODUCT_SWITCH"}},
		{name: "CANCEL_OTHER with text", contract: map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_OTHER",
			"cancelReasonText": "moving to bare metal"},
			wantBody: map[string]any{"reasonCode": "CANCEL_OTHER", "reason": "moving to bare metal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, sbMonthly("db"))
			live := e.read()["db"]
			e.resetCounters()
			op := providers.Op{Addr: live.Addr, ID: live.ID, Before: live.Attrs}
			if tt.contract != nil {
				op.After = sbAfter(model.Object{"contract": tt.contract})
			}

			err := e.kind.Delete(e.ctx, providers.NoGate, op)

			if tt.wantErr != "" {
				var fe *providers.FieldError
				if !errors.As(err, &fe) || fe.Path != tt.wantErr {
					t.Fatalf("Delete error %v, want a FieldError on %s", err, tt.wantErr)
				}
				if !strings.Contains(fe.Msg, "MONTHLY") && !strings.Contains(fe.Msg, "CANCEL_OTHER") {
					t.Errorf("message %q does not say why", fe.Msg)
				}
				if st := e.srv.Stats(); st.Total != 0 {
					t.Errorf("Delete sent %v, want no request", st.ByRoute)
				}
				if in := e.details(live.ID); in.Contract.State != "ACTIVE" {
					t.Errorf("contract is %s, want it untouched (ACTIVE)", in.Contract.State)
				}
				return
			}
			if err != nil {
				t.Fatalf("Delete: %v", err)
			}
			dels := e.rec.matching(http.MethodDelete, "")
			if len(dels) != 1 {
				t.Fatalf("%d DELETE requests, want 1", len(dels))
			}
			if diff := cmp.Diff(tt.wantBody, sbJSON(t, dels[0].Body)); diff != "" {
				t.Errorf("DELETE body (-want +got):\n%s", diff)
			}
			// A monthly instance runs until the end of its term: Delete
			// does not wait for it.
			if in := e.details(live.ID); in.Contract.State != "DELETE_SCHEDULED" || in.State != "RUNNING" {
				t.Errorf("instance %s with contract %s, want RUNNING and DELETE_SCHEDULED", in.State, in.Contract.State)
			}
			if r := e.read()["db"]; !strings.Contains(r.Untouchable, "scheduled for deletion") {
				t.Errorf("Read after Delete: Untouchable = %q, want scheduled for deletion", r.Untouchable)
			}
		})
	}
}

// TestInstancesDeleteGone: deleting an instance that no longer exists
// succeeds.
func TestInstancesDeleteGone(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1})
	op := providers.Op{Addr: model.Address{Kind: "instance", Name: "web-1"},
		ID: "0e5b0ff4-7a1c-4d8e-b2a6-3f9c8d7e6a50", Before: sbAfter(nil)}

	if err := e.kind.Delete(e.ctx, providers.NoGate, op); err != nil {
		t.Fatalf("Delete of a missing instance: %v", err)
	}
	// The wait for a resting state before the DELETE already finds it gone.
	if st := e.srv.Stats(); st.ByRoute[sbDelete] != 0 || st.ByRoute[sbGet] != 1 || st.ByStatus[http.StatusNotFound] != 1 {
		t.Errorf("requests %v statuses %v, want one GET answered 404 and no DELETE", st.ByRoute, st.ByStatus)
	}
}
