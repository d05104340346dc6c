package leaseweb

import (
	"fmt"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// TestReadOfAShrinkingList: the instance list loses its oldest object (an
// out-of-band delete) right after its first page is served; the kind's Read
// still returns every other instance, once.
func TestReadOfAShrinkingList(t *testing.T) {
	seed := []sbInstance{sbWeb("stray-1")}
	for i := range 51 {
		seed = append(seed, sbWeb(fmt.Sprintf("web-%02d", i)))
	}
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, seed...)
	e.setFaults("GET /publicCloud/v1/instances shrink=stray-* x1")
	got := e.read() // fails on a name read twice
	for i := range 51 {
		if _, ok := got[fmt.Sprintf("web-%02d", i)]; !ok {
			t.Errorf("web-%02d missing", i)
		}
	}
	if _, ok := got["stray-1"]; ok || len(got) != 51 {
		t.Errorf("read %d instances (stray-1 %v), want the 51 web ones", len(got), ok)
	}
	if st := e.srv.Stats(); st.Faults != 1 {
		t.Errorf("%d faults, want the one shrink", st.Faults)
	}
}

// TestReadRequestFloor pins what reading 500 unchanged instances costs in
// sandbox mode (pages of 10): 50 pages of all instances, 1 of those
// scheduled for deletion, as before the pages overlapped.
func TestReadRequestFloor(t *testing.T) {
	var seed []sbInstance
	for i := range 500 {
		seed = append(seed, sbWeb(fmt.Sprintf("web-%03d", i)))
	}
	e := newSandboxEnv(t, sandbox.Options{Delay: -1}, seed...)
	e.resetCounters()
	if got := e.read(); len(got) != 500 {
		t.Fatalf("read %d instances, want 500", len(got))
	}
	if n := e.srv.Stats().Total; n != 51 {
		t.Errorf("%d requests, want 51", n)
	}
}
