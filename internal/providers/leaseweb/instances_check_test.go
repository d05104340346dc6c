package leaseweb

/*
Tests of the public cloud instance kind against the real emulator
(internal/sandbox), every exchange checked against the OpenAPI document
(see sandbox_helpers_test.go). Request counts come from the sandbox's own
Stats, so they count what reached the API, retries included.
*/

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestInstancesCheckCreate(t *testing.T) {
	tests := []struct {
		name     string
		after    model.Object
		wantPath string // "" = no error
		wantMsg  []string
	}{
		{name: "valid", after: sbAfter(nil)},
		{name: "valid windows", after: sbAfter(model.Object{"image": "WINDOWS_SERVER_2022_STANDARD_64BIT", "rootDisk": sbDisk(50, "LOCAL")})},
		{name: "valid in tokyo", after: sbAfter(model.Object{"region": "ap-northeast-1", "type": "lsw.m5.large"})},
		{name: "type not offered in the region",
			after:    sbAfter(model.Object{"region": "ap-northeast-1", "type": "lsw.m4.large"}),
			wantPath: "type", wantMsg: []string{"lsw.m4.large", "not offered in ap-northeast-1", "lsw.m5.large"}},
		{name: "no such type",
			after:    sbAfter(model.Object{"type": "lsw.x9.huge"}),
			wantPath: "type", wantMsg: []string{"lsw.x9.huge"}},
		{name: "disk below the image minimum",
			after:    sbAfter(model.Object{"image": "WINDOWS_SERVER_2022_STANDARD_64BIT", "rootDisk": sbDisk(20, "CENTRAL")}),
			wantPath: "rootDisk.size", wantMsg: []string{"WINDOWS_SERVER_2022_STANDARD_64BIT", "at least 50 GB", "got 20"}},
		{name: "disk below the type minimum",
			after:    sbAfter(model.Object{"type": "lsw.m5a.8xlarge", "rootDisk": sbDisk(10, "CENTRAL")}),
			wantPath: "rootDisk.size", wantMsg: []string{"lsw.m5a.8xlarge", "at least 20 GB"}},
		{name: "unknown image",
			after:    sbAfter(model.Object{"image": "TEMPLEOS_5_64BIT"}),
			wantPath: "image", wantMsg: []string{"TEMPLEOS_5_64BIT", "does not exist", "images: ", "UBUNTU_24_04_64BIT", "or a custom image UUID"}},
		{name: "ssh key on a Windows image",
			after:    sbAfter(model.Object{"image": "WINDOWS_SERVER_2022_STANDARD_64BIT", "rootDisk": sbDisk(50, "LOCAL"), "sshKey": "ssh-ed25519 AAAA ops@example"}),
			wantPath: "sshKey", wantMsg: []string{"WINDOWS_SERVER_2022_STANDARD_64BIT is Windows", "only on Linux and FreeBSD"}},
		{name: "mistyped image suggests the nearest",
			after:    sbAfter(model.Object{"image": "UBUNTU_24_4_64BIT"}),
			wantPath: "image", wantMsg: []string{"image UBUNTU_24_4_64BIT does not exist (did you mean UBUNTU_24_04_64BIT?)"}},
		{name: "truncated image suggests the one it begins",
			after:    sbAfter(model.Object{"image": "WINDOWS_SERVER_2022"}),
			wantPath: "image", wantMsg: []string{"(did you mean WINDOWS_SERVER_2022_STANDARD_64BIT?)"}},
		{name: "storage not supported by the image",
			after:    sbAfter(model.Object{"image": "FREEBSD_14_64BIT", "rootDisk": sbDisk(50, "LOCAL")}),
			wantPath: "rootDisk.storageType", wantMsg: []string{"FREEBSD_14_64BIT", "CENTRAL", "not LOCAL"}},
	}
	e := newSandboxEnv(t, sandbox.Options{Delay: -1})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.kind.Check(e.ctx, "create", sbOp("web-1", tt.after))
			checkFieldError(t, err, tt.wantPath, tt.wantMsg...)
		})
	}
	if st := e.srv.Stats(); st.ByRoute[sbLaunch] != 0 {
		t.Errorf("Check launched %d instances", st.ByRoute[sbLaunch])
	}
}

func TestInstancesCheckUpdate(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, sbWeb("web-1"), sbMonthly("db"))
	live := e.read()
	tests := []struct {
		name     string
		of       string
		after    model.Object
		changed  []string
		wantPath string
		wantMsg  []string
	}{
		{name: "eligible type", of: "web-1", after: sbAfter(model.Object{"type": "lsw.r5.large"}), changed: []string{"type"}},
		{name: "type with less memory",
			of: "web-1", after: sbAfter(model.Object{"type": "lsw.c5.large"}), changed: []string{"type"},
			wantPath: "type", wantMsg: []string{"cannot change to lsw.c5.large", "Leaseweb allows:", "lsw.m5a.xlarge", "lsw.r5.large"}},
		{name: "disk grows", of: "web-1", after: sbAfter(model.Object{"rootDisk": sbDisk(60, "CENTRAL")}), changed: []string{"rootDisk.size"}},
		{name: "disk shrinks",
			of: "web-1", after: sbAfter(model.Object{"rootDisk": sbDisk(40, "CENTRAL")}), changed: []string{"rootDisk.size"},
			wantPath: "rootDisk.size", wantMsg: []string{"only grow", "50", "40"}},
		{name: "hourly to monthly", of: "web-1", after: sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "term": int64(1)}}),
			changed: []string{"contract.type", "contract.term"}},
		{name: "monthly to hourly",
			of: "db", after: sbAfter(model.Object{"type": "lsw.r5.large", "contract": map[string]any{"type": "HOURLY"}}),
			changed:  []string{"contract.type"},
			wantPath: "contract.type", wantMsg: []string{"MONTHLY", "HOURLY"}},
		{name: "state only", of: "web-1", after: sbAfter(model.Object{"state": "STOPPED"}), changed: []string{"state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := live[tt.of]
			e.resetCounters()
			err := e.kind.Check(e.ctx, "update", providers.Op{Addr: r.Addr, ID: r.ID, Before: r.Attrs, After: tt.after, Changed: tt.changed})
			checkFieldError(t, err, tt.wantPath, tt.wantMsg...)
			st := e.srv.Stats()
			wantLookups := 0
			if slices.Contains(tt.changed, "type") {
				wantLookups = 1
			}
			if st.Total != wantLookups || st.ByRoute[sbTypesU] != wantLookups {
				t.Errorf("Check sent %v, want %d instanceTypesUpdate requests and nothing else", st.ByRoute, wantLookups)
			}
		})
	}
}

func TestInstancesCheckDelete(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, sbWeb("web-1"), sbMonthly("db"))
	live := e.read()
	e.resetCounters()
	tests := []struct {
		name, action, of string
		after            model.Object
		wantPath         string
	}{
		{"hourly", "delete", "web-1", nil, ""},
		{"hourly replace", "replace", "web-1", sbAfter(nil), ""},
		{"monthly pruned", "delete", "db", nil, "contract.cancelReason"},
		{"monthly replace without reason", "replace", "db", sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "term": int64(12)}}), "contract.cancelReason"},
		{"monthly with reason", "delete", "db", sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_HIGH_PRICE"}}), ""},
		{"monthly CANCEL_OTHER without text", "delete", "db", sbAfter(model.Object{"contract": map[string]any{"type": "MONTHLY", "cancelReason": "CANCEL_OTHER"}}), "contract.cancelReasonText"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := live[tt.of]
			err := e.kind.Check(e.ctx, tt.action, providers.Op{Addr: r.Addr, ID: r.ID, Before: r.Attrs, After: tt.after})
			checkFieldError(t, err, tt.wantPath)
		})
	}
	if st := e.srv.Stats(); st.Total != 0 {
		t.Errorf("delete checks sent %v, want nothing", st.ByRoute)
	}
}

// TestInstancesCheckCatalogOnce: the engine checks every step of a plan
// concurrently; the instance types of each region and the images are
// fetched once for the whole plan.
func TestInstancesCheckCatalogOnce(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Delay: -1})
	e.resetCounters()
	var ops []providers.Op
	for i := range 12 {
		region := []string{"eu-west-3", "us-east-1", "ap-northeast-1"}[i%3]
		image := []string{"UBUNTU_24_04_64BIT", "DEBIAN_12_64BIT"}[i%2]
		ops = append(ops, sbOp(fmt.Sprintf("web-%d", i), sbAfter(model.Object{"region": region, "image": image, "type": "lsw.m5.large"})))
	}
	check := func() {
		var wg sync.WaitGroup
		for _, op := range ops {
			wg.Go(func() {
				if err := e.kind.Check(e.ctx, "create", op); err != nil {
					t.Errorf("Check %s: %v", op.Addr.Name, err)
				}
			})
		}
		wg.Wait()
	}

	check()
	check() // a second pass is served from the cache

	st := e.srv.Stats()
	if st.ByRoute[sbTypes] != 3 || st.ByRoute[sbImages] != 1 || st.Total != 4 {
		t.Errorf("Check of %d creates (twice) sent %v, want 3 instanceTypes (one per region) and 1 images request", len(ops), st.ByRoute)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		sandbox  bool
		wantErr  []string // substrings; nil = success
		wantAuth string   // X-LSW-Auth sent
	}{
		{name: "no key", wantErr: []string{"LEASEWEB_API_KEY", "--sandbox"}},
		{name: "empty key", env: map[string]string{"LEASEWEB_API_KEY": ""}, wantErr: []string{"LEASEWEB_API_KEY"}},
		{name: "api key", env: map[string]string{"LEASEWEB_API_KEY": "key-1"}, wantAuth: "key-1"},
		{name: "token", env: map[string]string{"LEASEWEB_TOKEN": "token-1"}, wantAuth: "token-1"},
		{name: "api key wins over token", env: map[string]string{"LEASEWEB_API_KEY": "key-1", "LEASEWEB_TOKEN": "token-1"}, wantAuth: "key-1"},
		{name: "plain http to a remote host",
			env:     map[string]string{"LEASEWEB_API_KEY": "key-1", "LEASEWEB_API_URL": "http://example.com"},
			wantErr: []string{"LEASEWEB_API_URL", "http://example.com", "loopback"}},
		{name: "plain http to loopback",
			env:      map[string]string{"LEASEWEB_API_KEY": "key-1", "LEASEWEB_API_URL": "http://127.0.0.1:8080"},
			wantAuth: "key-1"},
		{name: "https endpoint", env: map[string]string{"LEASEWEB_TOKEN": "token-1", "LEASEWEB_API_URL": "https://api.example.net"},
			wantAuth: "token-1"},
		{name: "sandbox needs no key", sandbox: true, wantAuth: sandbox.APIKey},
		{name: "sandbox ignores the environment", sandbox: true,
			env: map[string]string{"LEASEWEB_API_KEY": "key-1", "LEASEWEB_API_URL": "http://example.com"}, wantAuth: sandbox.APIKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := sandbox.New(sandbox.Options{Delay: -1, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			rec := &sbRecorder{next: srv.Transport()}
			report := func(err error) { t.Errorf("contract violation: %v", err) }
			p, err := New(providers.Config{
				LookupEnv: func(k string) (string, bool) {
					v, ok := tt.env[k]
					return v, ok
				},
				HTTPClient: &http.Client{Transport: contract.ForTest(t).Transport(rec, report)},
				Sandbox:    tt.sandbox,
				Version:    "test",
			})
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("New succeeded, want an error mentioning %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if p != nil {
					t.Errorf("New returned a provider with its error")
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			var kinds []string
			for _, k := range p.Kinds() {
				kinds = append(kinds, k.Schema().Kind)
			}
			want := []string{"instance", "targetGroup", "loadBalancer", "listener", "autoScalingGroup"}
			if p.Name() != "leaseweb" || !slices.Equal(kinds, want) {
				t.Fatalf("provider %s with kinds %v, want leaseweb serving %v", p.Name(), kinds, want)
			}
			if _, err := p.Kinds()[0].Read(t.Context()); err != nil {
				t.Fatalf("Read: %v", err)
			}
			reqs := rec.matching(http.MethodGet, instancesPath)
			if len(reqs) == 0 {
				t.Fatal("Read sent no request")
			}
			if got := reqs[0].Header.Get("X-LSW-Auth"); got != tt.wantAuth {
				t.Errorf("X-LSW-Auth = %q, want %q", got, tt.wantAuth)
			}
			if got := reqs[0].Header.Get("User-Agent"); got != "lswctl/test" {
				t.Errorf("User-Agent = %q, want lswctl/test", got)
			}
		})
	}
}
