package diag

import (
	"path/filepath"
	"testing"
)

func TestSortedDedupsAndOrders(t *testing.T) {
	var l List
	l.Addf("b.yaml", 1, 1, "x", "second file")
	l.Addf("a.yaml", 9, 2, "y", "late")
	l.Addf("a.yaml", 2, 5, "z", "early")
	l.Addf("a.yaml", 2, 5, "z", "early")
	got := l.Sorted()
	want := []string{"a.yaml:2:5: z: early", "a.yaml:9:2: y: late", "b.yaml:1:1: x: second file"}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, got[i].Error(), want[i])
		}
	}
}

func TestFormatRelativeAndRelated(t *testing.T) {
	cwd := filepath.FromSlash("/work/repo")
	e := &Error{File: filepath.Join(cwd, "conf", "a.yaml"), Line: 3, Col: 4, Path: "instances.web", Msg: "duplicate name",
		Related: []Related{{File: filepath.Join(cwd, "b.yaml"), Line: 1, Col: 2, Msg: "first declared here"}}}
	want := "./conf/a.yaml:3:4: instances.web: duplicate name\n\t./b.yaml:1:2: first declared here"
	if got := e.Format(cwd); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := RelPath(cwd, "/elsewhere/x.yaml"); got != "/elsewhere/x.yaml" {
		t.Errorf("outside cwd: got %q", got)
	}
}

func TestErrEmptyIsNil(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list should be a nil error")
	}
	l.Addf("", 0, 0, "", "no position")
	if got := l.Err().Error(); got != "no position" {
		t.Fatalf("got %q", got)
	}
	if AsList(l.Err()) == nil {
		t.Fatal("AsList lost the list")
	}
}
