package leaseweb

/*
Tests of the public cloud instance kind against the real emulator
(internal/sandbox), every exchange checked against the OpenAPI document
(see sandbox_helpers_test.go). Request counts come from the sandbox's own
Stats, so they count what reached the API, retries included.
*/

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
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

func TestInstancesReadOne(t *testing.T) {
	scheduled := sbMonthly("db")
	scheduled.Contract.State = "DELETE_SCHEDULED"
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, sbWeb("web-1"), scheduled)
	all := e.read()

	t.Run("existing", func(t *testing.T) {
		want := all["web-1"]
		e.resetCounters()
		got, err := e.kind.ReadOne(e.ctx, want.ID)
		if err != nil || got == nil {
			t.Fatalf("ReadOne = %v, %v; want the instance", got, err)
		}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Errorf("ReadOne differs from Read (-Read +ReadOne):\n%s", diff)
		}
		if st := e.srv.Stats(); st.Total != 1 || st.ByRoute[sbGet] != 1 {
			t.Errorf("ReadOne sent %v, want one GET", st.ByRoute)
		}
	})
	t.Run("scheduled for deletion", func(t *testing.T) {
		want := all["db"]
		got, err := e.kind.ReadOne(e.ctx, want.ID)
		if err != nil || got == nil {
			t.Fatalf("ReadOne = %v, %v; want the instance", got, err)
		}
		if got.Untouchable != want.Untouchable || want.Untouchable == "" {
			t.Errorf("ReadOne Untouchable = %q, Read's = %q; want the same, non-empty", got.Untouchable, want.Untouchable)
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		got, err := e.kind.ReadOne(e.ctx, "0e5b0ff4-7a1c-4d8e-b2a6-3f9c8d7e6a50")
		if got != nil || err != nil {
			t.Errorf("ReadOne of an unknown id = %v, %v; want nil, nil", got, err)
		}
	})
	t.Run("other errors surface", func(t *testing.T) {
		e.setFaults("GET /publicCloud/v1/instances/* 403")
		defer e.setFaults("")
		got, err := e.kind.ReadOne(e.ctx, all["web-1"].ID)
		if got != nil || StatusOf(err) != http.StatusForbidden {
			t.Errorf("ReadOne under a 403 = %v, %v; want nil and the 403", got, err)
		}
	})
}

// TestInstancesSchema pins what the diff relies on.
func TestInstancesSchema(t *testing.T) {
	s := (&instances{}).Schema()
	if s.Kind != "instance" || s.Plural != "instances" {
		t.Errorf("schema names %s/%s", s.Kind, s.Plural)
	}
	for _, p := range []string{"region", "image", "rootDisk.storageType", "marketApp"} {
		if !slices.Contains(s.Immutable, p) {
			t.Errorf("%s is not immutable", p)
		}
	}
	for _, p := range []string{"sshKey", "userData", "contract.cancelReason", "contract.cancelReasonText"} {
		if !slices.Contains(s.WriteOnly, p) {
			t.Errorf("%s is not write-only", p)
		}
	}
	if !slices.Contains(s.Sensitive, "userData") {
		t.Errorf("userData is not sensitive")
	}
}
