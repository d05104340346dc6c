package config

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

func byName(t *testing.T, cfg *Config, kind, name string) model.Resource {
	t.Helper()
	for _, r := range cfg.Resources {
		if r.Addr == (model.Address{Kind: kind, Name: name}) {
			return r
		}
	}
	t.Fatalf("no %s.%s in %d resources", kind, name, len(cfg.Resources))
	return model.Resource{}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestLoadDirectory loads testdata/valid: files in name order, only
// *.yaml/*.yml directly in the directory, several documents per file,
// resources sorted by address.
func TestLoadDirectory(t *testing.T) {
	cfg := mustLoad(t, "", Options{LookupEnv: envFrom(map[string]string{"WORKER_USER_DATA": "#cloud-config\n"})}, "testdata/valid")
	wantFiles := []string{filepath.FromSlash("testdata/valid/10-instances.yaml"), filepath.FromSlash("testdata/valid/20-workers.yml")}
	if !reflect.DeepEqual(cfg.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", cfg.Files, wantFiles)
	}
	var addrs []string
	for _, r := range cfg.Resources {
		addrs = append(addrs, r.Addr.String())
	}
	want := "instance.db-1 instance.old-1 instance.web-1 instance.worker-1 instance.worker-2"
	if got := strings.Join(addrs, " "); got != want {
		t.Errorf("resources = %s, want %s", got, want)
	}
	if len(cfg.Digest) != 64 {
		t.Errorf("Digest = %q, want 64 hex digits", cfg.Digest)
	}
	wantSettings := Settings{Prune: []string{"instances"}, MaxDeletes: 2, Pos: map[string]model.Pos{
		"prune":      {File: wantFiles[0], Line: 4, Col: 3},
		"maxDeletes": {File: wantFiles[0], Line: 5, Col: 3},
	}}
	if !reflect.DeepEqual(cfg.Settings, wantSettings) {
		t.Errorf("Settings = %+v, want %+v", cfg.Settings, wantSettings)
	}
}

// TestConvertInstance checks attributes, resource fields and positions.
func TestConvertInstance(t *testing.T) {
	cfg := mustLoad(t, "", Options{LookupEnv: envFrom(map[string]string{"WORKER_USER_DATA": "x"})}, "testdata/valid")
	file := filepath.FromSlash("testdata/valid/10-instances.yaml")
	web := byName(t, cfg, "instance", "web-1")
	wantAttrs := model.Object{
		"region":   "eu-west-3",
		"type":     "lsw.m5a.large",
		"image":    "UBUNTU_24_04_64BIT",
		"rootDisk": map[string]any{"size": int64(50), "storageType": "CENTRAL"},
		"contract": map[string]any{"type": "HOURLY"},
		"sshKey":   "ssh-ed25519 AAAA ops@example",
		"state":    "RUNNING",
	}
	if !reflect.DeepEqual(web.Attrs, wantAttrs) {
		t.Errorf("Attrs = %s\nwant    %s", model.Format(web.Attrs), model.Format(wantAttrs))
	}
	if !web.Protect || web.Ensure != model.Present || web.ID != "" {
		t.Errorf("Protect, Ensure, ID = %v, %q, %q; want true, present, empty", web.Protect, web.Ensure, web.ID)
	}
	if want := (model.Pos{File: file, Line: 7, Col: 3}); web.Pos != want {
		t.Errorf("Pos = %+v, want %+v", web.Pos, want)
	}
	wantFields := map[string][2]int{
		// Positions are those of the values, where errors about them point.
		"region": {8, 13}, "type": {9, 11}, "image": {10, 12},
		"rootDisk": {11, 15}, "rootDisk.size": {11, 22}, "rootDisk.storageType": {11, 39},
		"contract": {12, 15}, "contract.type": {12, 22},
		"sshKey": {13, 13}, "state": {14, 12}, "protect": {15, 14},
	}
	if len(web.Fields) != len(wantFields) {
		t.Errorf("Fields has %d paths, want %d: %v", len(web.Fields), len(wantFields), web.Fields)
	}
	for path, lc := range wantFields {
		if got := web.FieldPos(path); got != (model.Pos{File: file, Line: lc[0], Col: lc[1]}) {
			t.Errorf("FieldPos(%q) = %+v, want line %d col %d", path, got, lc[0], lc[1])
		}
	}

	db := byName(t, cfg, "instance", "db-1")
	if db.ID != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("db-1 ID = %q", db.ID)
	}
	if _, ok := db.Attrs["id"]; ok {
		t.Error("id must not be an attribute")
	}
	wantContract := map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(3),
		"cancelReason": "CANCEL_OTHER", "cancelReasonText": "moving to dedicated servers"}
	if !reflect.DeepEqual(db.Attrs["contract"], wantContract) {
		t.Errorf("contract = %s", model.Format(db.Attrs["contract"]))
	}
	if old := byName(t, cfg, "instance", "old-1"); old.Ensure != model.Absent || len(old.Attrs) != 0 {
		t.Errorf("old-1 Ensure = %q, Attrs = %v; want absent and none", old.Ensure, old.Attrs)
	}
}

// TestMergeKeys checks that an anchored instance merged into another keeps
// the explicit keys and the anchor's positions.
func TestMergeKeys(t *testing.T) {
	cfg := mustLoad(t, "", Options{LookupEnv: envFrom(map[string]string{"WORKER_USER_DATA": "x"})}, "testdata/valid")
	w1, w2 := byName(t, cfg, "instance", "worker-1"), byName(t, cfg, "instance", "worker-2")
	if w2.Attrs["state"] != "STOPPED" || w1.Attrs["state"] != nil {
		t.Errorf("state: worker-1 %v, worker-2 %v; want unset and STOPPED", w1.Attrs["state"], w2.Attrs["state"])
	}
	if !reflect.DeepEqual(w2.Attrs["rootDisk"], w1.Attrs["rootDisk"]) || w2.Attrs["region"] != "eu-central-1" {
		t.Errorf("worker-2 did not merge worker-1: %s", model.Format(w2.Attrs))
	}
	if w2.FieldPos("region") != w1.FieldPos("region") {
		t.Errorf("merged region at %+v, want the anchor's %+v", w2.FieldPos("region"), w1.FieldPos("region"))
	}
}

// TestSecrets checks the three ways a value becomes a model.Secret.
func TestSecrets(t *testing.T) {
	cloudInit, err := os.ReadFile("testdata/valid/secrets/cloud-init.txt")
	if err != nil {
		t.Fatal(err)
	}
	cfg := mustLoad(t, "", Options{LookupEnv: envFrom(map[string]string{"WORKER_USER_DATA": "#cloud-config\nruncmd: []\n"})}, "testdata/valid")
	tests := []struct {
		name, plain, source string
	}{
		{"db-1", string(cloudInit), "file:secrets/cloud-init.txt"},
		{"worker-1", "#cloud-config\nruncmd: []\n", "env:WORKER_USER_DATA"},
	}
	for _, tt := range tests {
		s, ok := byName(t, cfg, "instance", tt.name).Attrs["userData"].(model.Secret)
		if !ok {
			t.Fatalf("%s userData is not a secret", tt.name)
		}
		if s.Reveal() != tt.plain || s.Source != tt.source || s.Digest() != sum(tt.plain) {
			t.Errorf("%s userData = %q from %q digest %s; want %q from %q", tt.name, s.Reveal(), s.Source, s.Digest(), tt.plain, tt.source)
		}
	}

	dir := writeFiles(t, map[string]string{
		"a.yaml":      edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, "    userData: \"#cloud-config\""),
		"b.yaml":      strings.ReplaceAll(edit(t, `"ssh-ed25519 AAAA ops@example"`, "{env: SSH_KEY}"), "web-1", "web-2"),
		"c/c.yaml":    strings.ReplaceAll(edit(t, `"ssh-ed25519 AAAA ops@example"`, "{file: ../keys/id.pub}"), "web-1", "web-3"),
		"keys/id.pub": "ssh-ed25519 BBBB\n",
		".git/HEAD":   "ref: refs/heads/main\n", // ../keys is inside the repository
	})
	cfg = mustLoad(t, dir, Options{LookupEnv: envFrom(map[string]string{"SSH_KEY": "ssh-ed25519 CCCC"})}, "a.yaml", "b.yaml", "c/c.yaml")
	literal, _ := byName(t, cfg, "instance", "web-1").Attrs["userData"].(model.Secret)
	if literal.Reveal() != "#cloud-config" || literal.Source != "literal" {
		t.Errorf("sensitive plain string = %q from %q, want a literal secret", literal.Reveal(), literal.Source)
	}
	env, _ := byName(t, cfg, "instance", "web-2").Attrs["sshKey"].(model.Secret)
	if env.Reveal() != "ssh-ed25519 CCCC" || env.Source != "env:SSH_KEY" {
		t.Errorf("sshKey from env = %q from %q", env.Reveal(), env.Source)
	}
	file, _ := byName(t, cfg, "instance", "web-3").Attrs["sshKey"].(model.Secret)
	if file.Reveal() != "ssh-ed25519 BBBB\n" || file.Source != "file:../keys/id.pub" {
		t.Errorf("sshKey from a file relative to the YAML file = %q from %q", file.Reveal(), file.Source)
	}
}

// TestDigest checks that the digest is stable and covers names and contents.
func TestDigest(t *testing.T) {
	load := func(files map[string]string, paths ...string) string {
		return mustLoad(t, writeFiles(t, files), Options{}, paths...).Digest
	}
	base := load(map[string]string{"a.yaml": web1}, "a.yaml")
	if again := load(map[string]string{"a.yaml": web1}, "a.yaml"); again != base {
		t.Errorf("digest changed between identical loads: %s, %s", base, again)
	}
	if other := load(map[string]string{"a.yaml": edit(t, "size: 50", "size: 60")}, "a.yaml"); other == base {
		t.Error("digest did not change with the contents")
	}
	if renamed := load(map[string]string{"b.yaml": web1}, "b.yaml"); renamed == base {
		t.Error("digest did not change with the file name")
	}
}

// TestSettingsDefaults checks the values used when settings are absent or
// partial.
func TestSettingsDefaults(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Settings
	}{
		{"absent", web1, Settings{MaxDeletes: 5, Pos: map[string]model.Pos{}}},
		{"zero is kept", "apiVersion: lswctl/v1\nsettings:\n  maxDeletes: 0\n  watch: [instances]\n", Settings{
			Watch: []string{"instances"}, MaxDeletes: 0,
			Pos: map[string]model.Pos{"maxDeletes": {File: "a.yaml", Line: 3, Col: 3}, "watch": {File: "a.yaml", Line: 4, Col: 3}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeFiles(t, map[string]string{"a.yaml": tt.doc}), Options{}, "a.yaml")
			if !reflect.DeepEqual(cfg.Settings, tt.want) {
				t.Errorf("Settings = %+v, want %+v", cfg.Settings, tt.want)
			}
		})
	}
}

// TestDuplicatePaths checks that a file named twice (directly and through
// its directory) is read once.
func TestDuplicatePaths(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": web1})
	cfg := mustLoad(t, dir, Options{}, "a.yaml", ".", "./a.yaml")
	if len(cfg.Files) != 1 || len(cfg.Resources) != 1 {
		t.Errorf("Files = %q, %d resources; want one of each", cfg.Files, len(cfg.Resources))
	}
}

func TestKindOf(t *testing.T) {
	if k, ok := KindOf("instances"); k != "instance" || !ok {
		t.Errorf(`KindOf("instances") = %q, %v`, k, ok)
	}
	if k, ok := KindOf("instance"); ok {
		t.Errorf(`KindOf("instance") = %q, true; want not found`, k)
	}
}
