package main

import (
	"net/http"
	"path/filepath"
	"slices"
	"testing"
)

// Tests of the soak's own instruments, which run by default: a soak whose
// shrink hid nothing, or whose duplicate check saw nothing, would pass for
// the wrong reason.

// TestSoakShrinkHidesTheGroupPastPageOne checks that the shrink step makes a
// reader that pages by offset miss the managed group just past page 1,
// without deleting it.
func TestSoakShrinkHidesTheGroupPastPageOne(t *testing.T) {
	o, err := openSoakSandbox(filepath.Join(t.TempDir(), "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	for _, name := range []string{"stray-1", "stray-2", "stray-3", "stray-4", "stray-5", "stray-6",
		"stray-7", "stray-8", "stray-9", "stray-10", "stray-11", "web"} {
		if err := o.createStrayGroup(name); err != nil {
			t.Fatal(err)
		}
	}
	inj := newSoakInjector(1, 1) // every shrinkable read shrinks
	inj.begin(0)
	rt := inj.wrap(o.rt)
	var seen []string
	for _, q := range []string{"", "?offset=10&limit=10"} {
		if q != "" {
			inj.end() // no other fault on page 2
		}
		req, _ := http.NewRequest(http.MethodGet, "https://api.leaseweb.com"+soakTGPath+q, nil)
		req.Header.Set("X-LSW-Auth", "key")
		var page soakTGPage
		if err := soakOOB(req, rt, http.MethodGet, soakTGPath+q, &page); err != nil {
			t.Fatal(err)
		}
		for _, g := range page.TargetGroups {
			seen = append(seen, g.Name)
		}
	}
	if slices.Contains(seen, "web") {
		t.Errorf("the paged read saw web, want it hidden by the shrink: %v", seen)
	}
	if len(inj.shrinks) != 1 || inj.shrinks[0].slid != "web" || len(inj.shrinks[0].deleted) != 2 {
		t.Fatalf("shrinks = %+v, want one deleting 2 strays and sliding web", inj.shrinks)
	}
	var all soakTGPage
	if _, err := o.do(http.MethodGet, soakTGPath+"?limit=50", nil, &all); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(all.TargetGroups, func(g soakTGItem) bool { return g.Name == "web" }) {
		t.Errorf("web was deleted, want it only hidden: %v", all.TargetGroups)
	}
}

// TestSoakInventorySeesDuplicates checks the duplicate check on a state
// file holding two live groups with one key.
func TestSoakInventorySeesDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	o, err := openSoakSandbox(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"web", "web", "alt"} {
		if err := o.createStrayGroup(name); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.createStrayInstance("web-1"); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	inv, err := readSoakInventory(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := inv.duplicates(), []string{"targetGroup web@eu-west-3 ×2"}; !slices.Equal(got, want) {
		t.Errorf("duplicates = %q, want %q", got, want)
	}
	if !inv.has("instance web-1") || !inv.has("targetGroup alt@eu-west-3") {
		t.Errorf("inventory misses live objects: %v", inv)
	}
}
