package leaseweb

/*
Tests of the public cloud instance kind against the real emulator
(internal/sandbox), every exchange checked against the OpenAPI document
(see sandbox_helpers_test.go). Request counts come from the sandbox's own
Stats, so they count what reached the API, retries included.
*/

import (
	"errors"
	"fmt"
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

// sbNoRef is the id of the seeded instance without a reference.
const sbNoRef = "5a7f3e9c-2b1d-4c6e-8f0a-9d8e7c6b5a41"

func TestInstancesRead(t *testing.T) {
	// A long delay keeps the seeded DESTROYING instance in that state.
	e := newSandboxEnv(t, sandbox.Options{Delay: time.Hour},
		sbWeb("web-1"),
		sbInstance{ID: sbNoRef, Region: "us-east-1", Type: "lsw.c5.xlarge", ImageID: "DEBIAN_12_64BIT",
			RootDiskSize: 20, RootDiskStorageType: "LOCAL", State: "STOPPED"},
		sbInstance{Reference: sbRef("cpanel"), Region: "eu-west-3", Type: "lsw.m5.large",
			ImageID: "ALMALINUX_9_64BIT", MarketAppID: "CPANEL_30", RootDiskSize: 10},
		sbInstance{Reference: sbRef("worker"), Region: "eu-west-3", Type: "lsw.m4.large",
			ImageID: "DEBIAN_12_64BIT", AutoScalingGroupID: sbASG},
		sbInstance{Reference: sbRef("leaving"), Region: "eu-west-3", Type: "lsw.m4.large",
			ImageID: "DEBIAN_12_64BIT", State: "DESTROYING"},
		sbInstance{Reference: sbRef("gone"), Region: "eu-west-3", Type: "lsw.m4.large",
			ImageID: "DEBIAN_12_64BIT", State: "DESTROYED"},
		sbMonthly("db"),
		sbMonthly("billing"),
	)
	// Schedule db's deletion the way the API does it: DELETE with a reason.
	err := e.kind.c.Do(e.ctx, http.MethodDelete, instancesPath+"/"+e.idOf("db"), nil,
		terminateOpts{ReasonCode: "CANCEL_PRODUCT_SWITCH"}, nil)
	if err != nil {
		t.Fatalf("scheduling db for deletion: %v", err)
	}

	got := e.read()

	attrs := func(region, typ, image string, size int64, storage, contract string, term, bf int64, state string) model.Object {
		return model.Object{
			"region": region, "type": typ, "image": image,
			"rootDisk": map[string]any{"size": size, "storageType": storage},
			"contract": map[string]any{"type": contract, "term": term, "billingFrequency": bf},
			"state":    state,
		}
	}
	cpanel := attrs("eu-west-3", "lsw.m5.large", "ALMALINUX_9_64BIT", 10, "CENTRAL", "HOURLY", 0, 1, "RUNNING")
	cpanel["marketApp"] = "CPANEL_30"
	tests := []struct {
		name        string
		attrs       model.Object
		untouchable string // substring; "" = touchable
	}{
		{"web-1", attrs("eu-west-3", "lsw.m5a.large", "UBUNTU_24_04_64BIT", 50, "CENTRAL", "HOURLY", 0, 1, "RUNNING"), ""},
		{sbNoRef, attrs("us-east-1", "lsw.c5.xlarge", "DEBIAN_12_64BIT", 20, "LOCAL", "HOURLY", 0, 1, "STOPPED"), ""},
		{"cpanel", cpanel, ""},
		{"billing", attrs("eu-west-3", "lsw.r5.large", "UBUNTU_24_04_64BIT", 50, "CENTRAL", "MONTHLY", 12, 3, "RUNNING"), ""},
		{"worker", nil, "owned by auto scaling group " + sbASG},
		{"leaving", nil, "being destroyed"},
		{"db", nil, "scheduled for deletion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := got[tt.name]
			if !ok {
				t.Fatalf("Read did not return %s; got %v", tt.name, slices.Sorted(maps.Keys(got)))
			}
			if r.Addr.Kind != "instance" || r.ID == "" {
				t.Errorf("Addr.Kind = %q, ID = %q; want instance and the API id", r.Addr.Kind, r.ID)
			}
			if tt.name == sbNoRef && r.ID != sbNoRef {
				t.Errorf("ID = %s, want %s", r.ID, sbNoRef)
			}
			if tt.attrs != nil {
				if diff := cmp.Diff(tt.attrs, r.Attrs); diff != "" {
					t.Errorf("attrs (-want +got):\n%s", diff)
				}
			}
			switch {
			case tt.untouchable == "" && r.Untouchable != "":
				t.Errorf("Untouchable = %q, want touchable", r.Untouchable)
			case !strings.Contains(r.Untouchable, tt.untouchable):
				t.Errorf("Untouchable = %q, want it to contain %q", r.Untouchable, tt.untouchable)
			}
		})
	}
	if _, ok := got["gone"]; ok {
		t.Errorf("Read returned the DESTROYED instance")
	}
	if len(got) != len(tests) {
		t.Errorf("Read returned %d instances %v, want %d", len(got), slices.Sorted(maps.Keys(got)), len(tests))
	}
}

// TestInstancesReadPaging checks that Read returns every instance exactly
// once however many pages the list takes (the sandbox's default page size
// is 10), and how many requests it costs: one paged list of every
// instance plus one of those scheduled for deletion, each page counted.
func TestInstancesReadPaging(t *testing.T) {
	pages := func(n int) int { return max(1, (n+9)/10) }
	tests := []struct {
		n, scheduled int
	}{
		{0, 0}, {1, 0}, {10, 0}, {11, 0}, {25, 0}, {25, 12}, {25, 25}, {31, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d instances %d scheduled", tt.n, tt.scheduled), func(t *testing.T) {
			var seed []sbInstance
			for i := range tt.n {
				in := sbWeb(fmt.Sprintf("web-%02d", i))
				if i < tt.scheduled {
					in.Contract = &sbContract{Type: "MONTHLY", Term: 1, State: "DELETE_SCHEDULED"}
				}
				seed = append(seed, in)
			}
			e := newSandboxEnv(t, sandbox.Options{Delay: -1}, seed...)
			e.resetCounters()

			got := e.read()

			if len(got) != tt.n {
				t.Errorf("Read returned %d instances, want %d", len(got), tt.n)
			}
			ids := map[string]bool{}
			for i := range tt.n {
				name := fmt.Sprintf("web-%02d", i)
				r, ok := got[name]
				if !ok {
					t.Errorf("Read did not return %s", name)
					continue
				}
				if ids[r.ID] {
					t.Errorf("id %s returned twice", r.ID)
				}
				ids[r.ID] = true
				if scheduled := r.Untouchable != ""; scheduled != (i < tt.scheduled) {
					t.Errorf("%s: Untouchable = %q, want scheduled=%v", name, r.Untouchable, i < tt.scheduled)
				}
			}
			st := e.srv.Stats()
			want := pages(tt.n) + pages(tt.scheduled)
			if st.Total != want || st.ByRoute[sbList] != want {
				t.Errorf("Read made %d requests (%v), want %d list requests", st.Total, st.ByRoute, want)
			}
			// The number quoted for Read: at most 2 × ceil(N/10) list
			// requests (exactly that when every instance is scheduled).
			if bound := 2 * pages(tt.n); st.Total > bound {
				t.Errorf("Read made %d requests, more than 2 × ceil(%d/10) = %d", st.Total, tt.n, bound)
			}
		})
	}
}

// sbKey is an SSH public key the sandbox accepts.
const sbKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm0 ops@example"

// sbAfter returns the desired attributes of a plain instance in eu-west-3,
// with extra merged in at the top level.
func sbAfter(extra model.Object) model.Object {
	a := model.Object{
		"region":   "eu-west-3",
		"type":     "lsw.m5a.large",
		"image":    "UBUNTU_24_04_64BIT",
		"rootDisk": map[string]any{"size": int64(50), "storageType": "CENTRAL"},
		"contract": map[string]any{"type": "HOURLY"},
	}
	maps.Copy(a, extra)
	return a
}

func sbOp(name string, after model.Object) providers.Op {
	return providers.Op{Addr: model.Address{Kind: "instance", Name: name}, After: after}
}

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
			if st.ByRoute[sbGet] < 1 || st.ByRoute[sbList] != 0 || st.ByRoute[sbPut] != 0 {
				t.Errorf("requests %v: want polls by id and no list or update", st.ByRoute)
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
			if lookups := e.rec.matching(http.MethodGet, instancesPath); len(lookups) != 1 || lookups[0].Query.Get("reference") != "web-1" {
				t.Errorf("lookups after the lost answer: %v, want one list filtered by reference=web-1", lookups)
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

// TestInstancesCreateFailsBeforeApply: a 500 that the API answered before
// doing anything fails the create; the launch is not repeated and nothing
// is adopted.
func TestInstancesCreateFailsBeforeApply(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, sbWeb("other"))
	e.setFaults("POST /publicCloud/v1/instances 500 x1")
	e.resetCounters()

	id, err := e.kind.Create(e.ctx, providers.NoGate, sbOp("web-1", sbAfter(nil)))
	if err == nil {
		t.Fatalf("Create succeeded with id %q, want the 500", id)
	}
	if StatusOf(err) != http.StatusInternalServerError {
		t.Errorf("error %v: status %d, want 500", err, StatusOf(err))
	}
	if id != "" {
		t.Errorf("Create returned id %q with its error", id)
	}
	if st := e.srv.Stats(); st.ByRoute[sbLaunch] != 1 {
		t.Errorf("%d launch requests, want 1 (a launch is never retried blindly)", st.ByRoute[sbLaunch])
	}
	if live := e.live("web-1"); len(live) != 0 {
		t.Errorf("%d instances named web-1, want none", len(live))
	}
	if got := e.read(); len(got) != 1 {
		t.Errorf("Read after the failed create: %v, want only the seeded instance", slices.Sorted(maps.Keys(got)))
	}
}

// TestInstancesCreateRejected: the API's 400 reaches the user with its
// message, the field details and the correlation id; it is neither
// retried nor followed by an adoption lookup.
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
	if st.Total != 1 || st.ByRoute[sbLaunch] != 1 {
		t.Errorf("requests %v, want the one launch", st.ByRoute)
	}
}
