package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAddress(t *testing.T) {
	a, err := ParseAddress("instance.web.1")
	if err != nil || a != (Address{Kind: "instance", Name: "web.1"}) || a.String() != "instance.web.1" {
		t.Fatalf("got %+v, %v", a, err)
	}
	for _, bad := range []string{"", "instance", ".x", "x."} {
		if _, err := ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) accepted", bad)
		}
	}
	b, _ := json.Marshal(map[Address]int{a: 1})
	if string(b) != `{"instance.web.1":1}` {
		t.Errorf("address map key JSON = %s", b)
	}
}

func TestSecretNeverShowsItsValue(t *testing.T) {
	s := NewSecret("hunter2", "env:PW")
	for _, out := range []string{
		s.String(), fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, s, s, s, s), Format(map[string]any{"k": s}),
	} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret leaked: %q", out)
		}
	}
	b, err := json.Marshal(map[string]any{"k": s})
	if err != nil || strings.Contains(string(b), "hunter2") {
		t.Fatalf("JSON %s, %v", b, err)
	}
	if !strings.Contains(string(b), `"sha256":"`+s.Digest()+`"`) || !strings.Contains(string(b), `"source":"env:PW"`) {
		t.Errorf("JSON lacks digest or source: %s", b)
	}
	if s.Reveal() != "hunter2" || !s.Equal(NewSecret("hunter2", "file:x")) || s.Equal(NewSecret("other", "env:PW")) {
		t.Error("Reveal/Equal broken")
	}
	d := SecretFromDigest(s.Digest(), "env:PW")
	if d.Reveal() != "" || d.Known() || !d.Equal(s) {
		t.Error("SecretFromDigest broken")
	}
}

func TestPathsGetSetLeaves(t *testing.T) {
	o := Object{}
	Set(o, "rootDisk.size", int64(50))
	Set(o, "region", "eu-west-3")
	Set(o, "tags", []any{"a"})
	Set(o, "empty", map[string]any{})
	if v, ok := Get(o, "rootDisk.size"); !ok || v != int64(50) {
		t.Errorf("Get = %v, %v", v, ok)
	}
	if _, ok := Get(o, "rootDisk.size.x"); ok {
		t.Error("Get through a scalar succeeded")
	}
	if got, want := Leaves(o), []string{"empty", "region", "rootDisk.size", "tags"}; !cmp.Equal(got, want) {
		t.Errorf("Leaves = %v, want %v", got, want)
	}
	c := CloneObject(o)
	Set(c, "rootDisk.size", int64(60))
	if v, _ := Get(o, "rootDisk.size"); v != int64(50) {
		t.Error("CloneObject shares maps")
	}
}

func TestHas(t *testing.T) {
	list := []string{"contract.cancelReason", "sshKey"}
	for path, want := range map[string]bool{"sshKey": true, "contract.cancelReason": true, "contract": false, "contract.cancelReasonText": false, "sshKeyX": false, "sshKey.x": true} {
		if got := Has(list, path); got != want {
			t.Errorf("Has(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestRefsAndUnknown(t *testing.T) {
	r := Ref{To: Address{Kind: "targetGroup", Name: "web"}}
	o := Object{"listeners": []any{map[string]any{"targetGroup": r}}, "x": "y"}
	if got := Refs(o); len(got) != 1 || got[0] != r {
		t.Errorf("Refs = %v", got)
	}
	if !HasUnknown(o) || HasUnknown(Object{"x": "y"}) || !HasUnknown(Unknown{}) {
		t.Error("HasUnknown wrong")
	}
	if got := Format(o); got != `{listeners: [{targetGroup: targetGroup.web}], x: "y"}` {
		t.Errorf("Format = %s", got)
	}
}

func TestFromJSONRoundTrip(t *testing.T) {
	in := Object{
		"size":    int64(50),
		"ratio":   1.5,
		"key":     NewSecret("hunter2", "env:KEY"),
		"tg":      Ref{To: Address{Kind: "targetGroup", Name: "web"}},
		"targets": []any{Ref{ID: "0000-1"}, "x"},
		"later":   Unknown{},
		"nested":  map[string]any{"ok": true, "none": nil},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	got := FromJSON(raw).(map[string]any)
	want := CloneObject(in)
	want["key"] = SecretFromDigest(NewSecret("hunter2", "env:KEY").Digest(), "env:KEY")
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b Secret) bool { return a.Equal(b) && a.Source == b.Source })); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}
