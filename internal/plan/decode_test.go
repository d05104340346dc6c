package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

func TestDecodeRoundTrip(t *testing.T) {
	secret := model.NewSecret("hunter2", "env:PW")
	p := &Plan{FormatVersion: FormatVersion, Version: "1.2.3", ConfigDigest: "abc", MaxDeletes: 5, Steps: []Step{{
		Addr: addrOf("listener.edge/HTTPS:443"), Action: Update, ID: "l-1", Fingerprint: "sha256:ff",
		Before:    model.Object{"port": int64(443), "certificate": map[string]any{"privateKey": secret}},
		After:     model.Object{"port": int64(443), "targetGroup": ref("targetGroup.web")},
		Changes:   []diff.Change{{Path: "targetGroup", Before: "tg-1", After: ref("targetGroup.web")}},
		DependsOn: []string{"targetGroup.web"},
	}, {
		Addr: addrOf("targetGroup.web"), Action: Create, After: model.Object{"port": int64(80), "weight": 0.5},
	}}, Targets: []string{"listener.*"}, Replace: []string{"targetGroup.web"}}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "hunter2") {
		t.Fatal("secret in the plan file")
	}
	got, err := Decode(&b, kinds)
	if err != nil {
		t.Fatal(err)
	}
	opt := cmp.Comparer(func(a, b model.Secret) bool { return a.Equal(b) })
	if d := cmp.Diff(p, got, opt); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestDecodeRejects(t *testing.T) {
	for in, want := range map[string]string{
		`{"formatVersion": "3.0", "steps": []}`: `plan file format "3.0" is not supported`,
		`not json`:                              "not a plan file",
		`{"formatVersion": "2.0"} {}`:           "more data follows the plan",
	} {
		if _, err := Decode(strings.NewReader(in), kinds); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%q) = %v, want %q", in, err, want)
		}
	}
}

// kinds are the kinds the tests' plans may name.
var kinds = map[string]bool{"instance": true, "listener": true, "loadBalancer": true, "targetGroup": true}
