package sandbox_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestPersistenceAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lswctl", "sandbox.json")
	first := newEnv(t, sandbox.Options{StatePath: path})
	id := first.launch(launchBody("web-1"))
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no state file after a launch: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", info.Mode().Perm())
	}
	var doc struct {
		Version   int `json:"version"`
		Instances []struct {
			ID, State, NextState string
		} `json:"instances"`
	}
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &doc); err != nil || doc.Version != 1 || len(doc.Instances) != 1 ||
		doc.Instances[0].ID != id || doc.Instances[0].State != "CREATING" || doc.Instances[0].NextState != "RUNNING" {
		t.Fatalf("state file %s (%v)", b, err)
	}

	// A second process, three seconds later, sees the launch finished.
	second := newEnv(t, sandbox.Options{StatePath: path})
	second.clock.Advance(3 * time.Second)
	in := second.instance(id)
	if in["state"] != "RUNNING" || in["startedAt"] != "2025-03-14T09:26:55+00:00" {
		t.Errorf("reloaded: state %v startedAt %v", in["state"], in["startedAt"])
	}
	// What a process observed is saved, even by a read.
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"state": "RUNNING"`) {
		t.Errorf("state file after observing RUNNING: %s", b)
	}
	wantStatus(t, second.do("POST", "/publicCloud/v1/instances/"+id+"/stop", nil), http.StatusAccepted)
	third := newEnv(t, sandbox.Options{StatePath: path})
	third.clock.Advance(3 * time.Second)
	if got := third.state(id); got != "STOPPING" {
		t.Errorf("third process at +3s: %s, want STOPPING (stopped at +3s, delay 2s)", got)
	}
	third.clock.Advance(2 * time.Second)
	if got := third.state(id); got != "STOPPED" {
		t.Errorf("third process at +5s: %s, want STOPPED", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestCorruptStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	for _, content := range []string{`{"instances": [`, `{"version": 7}`, `{"instances": [{"region": "mars"}]}`} {
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := sandbox.New(sandbox.Options{StatePath: path}); err == nil {
			t.Errorf("New accepted state file %s", content)
		}
	}
}

func TestReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, sandbox.Options{StatePath: path})
	e.launch(launchBody("a"))
	e.launch(launchBody("b"))
	if err := e.srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if got := e.list("").Meta.TotalCount; got != 0 {
		t.Errorf("%d instances after Reset", got)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"instances": []`) {
		t.Errorf("state file after Reset: %s", b)
	}
	wantStatus(t, e.do("GET", "/publicCloud/v1/instanceTypes?region=eu-west-3", nil), http.StatusOK)
	e.launch(launchBody("c"))
	wantStatus(t, e.do("POST", "/_sandbox/reset", nil), http.StatusNoContent)
	if got := e.list("").Meta.TotalCount; got != 0 {
		t.Errorf("%d instances after POST /_sandbox/reset", got)
	}
}

func TestDelayOptions(t *testing.T) {
	immediate := newEnv(t, sandbox.Options{Delay: -1})
	id := immediate.launch(launchBody("x")) // the 201 still says CREATING
	if got := immediate.state(id); got != "RUNNING" {
		t.Errorf("Delay<0: next request sees %s, want RUNNING", got)
	}
	slow := newEnv(t, sandbox.Options{Delay: time.Minute})
	id = slow.launch(launchBody("x"))
	slow.clock.Advance(59 * time.Second)
	if got := slow.state(id); got != "CREATING" {
		t.Errorf("Delay 1m at 59s: %s", got)
	}
	slow.clock.Advance(time.Second)
	if got := slow.state(id); got != "RUNNING" {
		t.Errorf("Delay 1m at 60s: %s", got)
	}
	if _, err := sandbox.New(sandbox.Options{PageSize: -1}); err == nil {
		t.Error("New accepted a negative page size")
	}
}

func TestRealClockDefault(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Delay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := wrap(t, srv)
	id := e.launch(launchBody("x"))
	time.Sleep(30 * time.Millisecond)
	if got := e.state(id); got != "RUNNING" {
		t.Errorf("with time.Now after 30ms (delay 20ms): %s", got)
	}
}
