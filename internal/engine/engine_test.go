package engine

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/apply"
	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
	_ "github.com/lswctl/lswctl/internal/providers/leaseweb"
	"github.com/lswctl/lswctl/internal/sandbox"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "lswctl.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sandboxOptions(t *testing.T, path string) (Options, *sandbox.Server) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{Delay: -1})
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Paths:      []string{path},
		Cwd:        filepath.Dir(path),
		LookupEnv:  func(string) (string, bool) { return "", false },
		Version:    "test",
		Sandbox:    true,
		HTTPClient: &http.Client{Transport: srv.Transport()},
	}, srv
}

const oneInstance = `apiVersion: lswctl/v1
instances:
  web:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
    userData: "#cloud-config\npassword: hunter2"
`

func TestPlanApplyConverges(t *testing.T) {
	opts, srv := sandboxOptions(t, writeConfig(t, oneInstance))
	e, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Count(); c != (plan.Counts{Add: 1}) {
		t.Fatalf("counts = %+v", c)
	}
	if p.Version != "test" || !strings.HasPrefix(p.ConfigDigest, "") || p.ConfigDigest == "" {
		t.Errorf("plan metadata: version %q digest %q", p.Version, p.ConfigDigest)
	}
	// userData is sensitive: a Secret in the plan, never plain text.
	if _, ok := p.Steps[0].After["userData"].(model.Secret); !ok {
		t.Errorf("userData is %T, want model.Secret", p.Steps[0].After["userData"])
	}
	before := srv.Stats().ByRoute["POST /publicCloud/v1/instances"]
	sum, err := e.Apply(context.Background(), p, ApplyOptions{Parallelism: 2})
	if err != nil || !sum.OK() {
		t.Fatalf("apply: %v %+v", err, sum)
	}
	if got := srv.Stats().ByRoute["POST /publicCloud/v1/instances"] - before; got != 1 {
		t.Errorf("launches = %d, want 1", got)
	}
	e2, _ := Load(opts)
	p2, err := e2.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p2.CanApply() {
		t.Errorf("second plan has steps: %+v", p2.Steps)
	}
}

func TestPlanReportsCheckFindingsWithPositions(t *testing.T) {
	cfg := strings.Replace(oneInstance, "region: eu-west-3", "region: ap-northeast-1", 1)
	cfg = strings.Replace(cfg, "lsw.m5a.large", "lsw.m4.large", 1)
	opts, _ := sandboxOptions(t, writeConfig(t, cfg))
	e, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Plan(context.Background())
	l := diag.AsList(err)
	if len(l) != 1 {
		t.Fatalf("err = %v", err)
	}
	got := l[0].Format(opts.Cwd)
	want := "./lswctl.yaml:5:11: instances.web.type: instance type lsw.m4.large is not offered in ap-northeast-1"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got  %q\nwant prefix %q", got, want)
	}
}

func TestApplyRefusesTooManyDeletes(t *testing.T) {
	p := &plan.Plan{MaxDeletes: 1, Steps: []plan.Step{
		{Addr: model.Address{Kind: "instance", Name: "a"}, Action: plan.Delete},
		{Addr: model.Address{Kind: "instance", Name: "b"}, Action: plan.DeleteThenCreate},
	}}
	e := &Engine{kinds: map[string]providers.Kind{}}
	_, err := e.Apply(context.Background(), p, ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "destroys 2 objects and settings.maxDeletes is 1") {
		t.Fatalf("err = %v", err)
	}
	if _, err := e.Apply(context.Background(), &plan.Plan{MaxDeletes: 1, Steps: p.Steps[:0]}, ApplyOptions{AllowDeletes: 2}); err != nil {
		t.Fatalf("allowed apply: %v", err)
	}
}

// fakeKind records the calls the executor makes.
type fakeKind struct {
	mu    sync.Mutex
	calls []string
	fail  string
}

func (f *fakeKind) Schema() model.KindSchema                       { return model.KindSchema{Kind: "thing"} }
func (f *fakeKind) Read(context.Context) ([]model.Resource, error) { return nil, nil }
func (f *fakeKind) record(call string, op providers.Op) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+" "+op.ID+" "+model.Format(op.After["target"]))
	if call == f.fail {
		return errors.New(call + " failed")
	}
	return nil
}
func (f *fakeKind) Create(_ context.Context, _ providers.Gate, op providers.Op) (string, error) {
	return "new", f.record("create", op)
}
func (f *fakeKind) Update(_ context.Context, _ providers.Gate, op providers.Op) error {
	return f.record("update", op)
}
func (f *fakeKind) Delete(_ context.Context, _ providers.Gate, op providers.Op) error {
	return f.record("delete", op)
}

func TestExecutorOrdersReplaceHalvesAndResolvesRefs(t *testing.T) {
	ref := model.Ref{To: model.Address{Kind: "thing", Name: "other"}}
	tests := []struct {
		action plan.Action
		fail   string
		want   []string
	}{
		// Both replacements only create: the deposed step deletes.
		{plan.DeleteThenCreate, "", []string{`create  "id-other"`}},
		{plan.CreateThenDelete, "", []string{`create  "id-other"`}},
		{plan.DeleteThenCreate, "create", []string{`create  "id-other"`}},
		{plan.Delete, "", []string{`delete old "id-other"`}},
		{plan.Update, "", []string{`update old "id-other"`}},
	}
	for _, tt := range tests {
		k := &fakeKind{fail: tt.fail}
		x := executor{kinds: map[string]providers.Kind{"thing": k}}
		step := &plan.Step{Addr: model.Address{Kind: "thing", Name: "a"}, Action: tt.action, ID: "old", After: model.Object{"target": ref}}
		_, err := x.Execute(context.Background(), step, fakeEnv{"thing.other": "id-other"})
		if (err != nil) != (tt.fail != "") {
			t.Errorf("%s: err = %v", tt.action, err)
		}
		if d := cmp.Diff(tt.want, k.calls); d != "" {
			t.Errorf("%s calls (-want +got):\n%s", tt.action, d)
		}
	}
}

func TestResolveRefsMissing(t *testing.T) {
	_, err := resolveRefs(model.Object{"x": []any{model.Ref{To: model.Address{Kind: "thing", Name: "gone"}}}}, fakeEnv{})
	if err == nil || !strings.Contains(err.Error(), "thing.gone has no id") {
		t.Fatalf("err = %v", err)
	}
}

type fakeEnv map[string]string

func (f fakeEnv) Write(ctx context.Context, call func(context.Context) error) error { return call(ctx) }
func (f fakeEnv) ID(a model.Address) (string, bool)                                 { id, ok := f[a.String()]; return id, ok }

var _ apply.Env = fakeEnv{}

func TestFingerprintIsStableAndSensitive(t *testing.T) {
	a := model.Resource{ID: "1", Attrs: model.Object{"type": "x", "rootDisk": map[string]any{"size": int64(5)}, "k": model.NewSecret("s", "api")}}
	b := model.Resource{ID: "1", Attrs: model.Object{"rootDisk": map[string]any{"size": int64(5)}, "k": model.NewSecret("s", "api"), "type": "x"}}
	if fingerprint(a) != fingerprint(b) {
		t.Error("fingerprint depends on map order")
	}
	b.Attrs["k"] = model.NewSecret("other", "api")
	if fingerprint(a) == fingerprint(b) {
		t.Error("fingerprint ignores a changed secret")
	}
}

func TestPlanRecordsGitCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to test the plan's commit")
	}
	path := writeConfig(t, oneInstance)
	dir := filepath.Dir(path)
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "inventory"},
	} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := sandboxOptions(t, path)
	e, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(string(head)); p.GitCommit != want {
		t.Errorf("gitCommit = %q, want %q", p.GitCommit, want)
	}
}
