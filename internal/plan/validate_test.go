package plan

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// validPlan is a saved plan in its JSON form: a create, an update that
// waits for it, and the two halves of a create-then-delete replacement.
const validPlan = `{
  "formatVersion": "2.0",
  "lswctlVersion": "0.1.0",
  "configDigest": "abc",
  "steps": [
    {"address": "targetGroup.web", "action": "create", "after": {"port": 80, "protocol": "HTTP"}},
    {"address": "listener.edge/HTTP:80", "action": "update", "id": "l-1",
     "before": {"port": 80, "targetGroup": "tg-0"}, "after": {"port": 80, "targetGroup": {"ref": "targetGroup.web"}},
     "changes": [{"path": "targetGroup", "before": "tg-0", "after": {"ref": "targetGroup.web"}}],
     "dependsOn": ["targetGroup.web"], "fingerprint": "sha256:01"},
    {"address": "instance.web-1", "action": "create-then-delete", "id": "i-1", "before": {"type": "a"},
     "after": {"type": "b", "userData": {"sensitive": true, "sha256": "00", "source": "env:X"}}},
    {"address": "instance.web-1", "action": "delete", "id": "i-1", "deposed": true, "before": {"type": "a"},
     "dependsOn": ["instance.web-1"]}
  ],
  "unmanaged": [{"address": "instance.old", "id": "i-9"}],
  "knownIds": {"loadBalancer.edge": "lb-1"},
  "maxDeletes": 1,
  "targets": ["listener.*"],
  "replace": ["instance.web-1"]
}`

// edit applies fn to the decoded form of validPlan and encodes it again.
func edit(t *testing.T, fn func(p map[string]any, steps []any)) string {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(validPlan), &p); err != nil {
		t.Fatal(err)
	}
	fn(p, p["steps"].([]any))
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func step(steps []any, i int) map[string]any { return steps[i].(map[string]any) }

// TestDecodeRefusesMalformed: every malformed plan file — the crashers of
// issue 7 among them — is an error naming what is wrong, never a panic or
// a hang.
func TestDecodeRefusesMalformed(t *testing.T) {
	if _, err := Decode(strings.NewReader(validPlan), kinds); err != nil {
		t.Fatalf("the valid plan is refused: %v", err)
	}
	tests := []struct {
		name string
		fn   func(p map[string]any, steps []any)
		want string
	}{
		{"reference as after", func(_ map[string]any, s []any) { step(s, 0)["after"] = map[string]any{"ref": "instance.x"} },
			`steps[0] (targetGroup.web): after: want an object of attributes, got a reference to instance.x`},
		{"reference as before", func(_ map[string]any, s []any) { step(s, 1)["before"] = map[string]any{"id": "x"} },
			`steps[1] (listener.edge/HTTP:80): before: want an object of attributes, got a reference to id:x`},
		{"secret as after", func(_ map[string]any, s []any) {
			step(s, 0)["after"] = map[string]any{"sensitive": true, "sha256": "00"}
		}, `after: want an object of attributes, got a secret`},
		{"unknown as after", func(_ map[string]any, s []any) { step(s, 0)["after"] = map[string]any{"unknown": true} },
			`after: want an object of attributes, got (known after apply)`},
		{"unknown kind", func(_ map[string]any, s []any) { step(s, 0)["address"] = "bogus.x" },
			`steps[0] (bogus.x): unknown kind "bogus"`},
		{"missing address", func(_ map[string]any, s []any) { delete(step(s, 0), "address") },
			`steps[0]: the address is missing`},
		{"unknown action", func(_ map[string]any, s []any) { step(s, 1)["action"] = "destroy" },
			`steps[1] (listener.edge/HTTP:80): unknown action "destroy"`},
		{"no-op action", func(_ map[string]any, s []any) { step(s, 1)["action"] = "no-op" },
			`unknown action "no-op"`},
		{"missing action", func(_ map[string]any, s []any) { delete(step(s, 1), "action") },
			`unknown action ""`},
		{"duplicated step", func(p map[string]any, s []any) { p["steps"] = append(s, s[0]) },
			`steps[4] (targetGroup.web): the same step as steps[0]`},
		{"dependsOn cycle", func(_ map[string]any, s []any) {
			step(s, 0)["dependsOn"] = []any{"listener.edge/HTTP:80"}
		}, `dependsOn forms a cycle: listener.edge/HTTP:80, targetGroup.web`},
		{"dependsOn itself", func(_ map[string]any, s []any) { step(s, 0)["dependsOn"] = []any{"targetGroup.web"} },
			`steps[0] (targetGroup.web): dependsOn names the step itself`},
		{"dependsOn nothing", func(_ map[string]any, s []any) { step(s, 0)["dependsOn"] = []any{"instance.nope"} },
			`dependsOn names instance.nope, which is not a step of the plan`},
		{"create with an id", func(_ map[string]any, s []any) { step(s, 0)["id"] = "x" },
			`a create has neither an id nor live attributes`},
		{"update without an id", func(_ map[string]any, s []any) { delete(step(s, 1), "id") },
			`a update needs the id of the live object`},
		{"deposed replacement", func(_ map[string]any, s []any) { step(s, 2)["deposed"] = true },
			`only a delete (the old half of a replacement) or an update (a release) can be deposed`},
		{"change without path", func(_ map[string]any, s []any) {
			step(s, 1)["changes"] = []any{map[string]any{"before": 1, "after": 2}}
		}, `changes[0] has no path`},
		{"reference to an unknown kind", func(_ map[string]any, s []any) {
			step(s, 0)["after"] = map[string]any{"x": map[string]any{"ref": "bogus.y"}}
		}, `refers to bogus.y, of an unknown kind`},
		{"unmanaged of an unknown kind", func(p map[string]any, _ []any) {
			p["unmanaged"] = []any{map[string]any{"address": "bogus.y", "id": "1"}}
		}, `unmanaged: bogus.y is of an unknown kind`},
		{"known id of an unknown kind", func(p map[string]any, _ []any) { p["knownIds"] = map[string]any{"bogus.y": "1"} },
			`knownIds: bogus.y is of an unknown kind`},
		{"bad target pattern", func(p map[string]any, _ []any) { p["targets"] = []any{"["} },
			`targets: "[" is not a valid pattern`},
		{"bad replace address", func(p map[string]any, _ []any) { p["replace"] = []any{"web"} },
			`replace: "web" is not an address`},
		{"negative maxDeletes", func(p map[string]any, _ []any) { p["maxDeletes"] = -1 },
			`maxDeletes is -1: it cannot be negative`},
		{"control characters", func(_ map[string]any, s []any) { step(s, 0)["address"] = "bogus.\x1b[2J" },
			`steps[0] ("bogus.\x1b[2J"): unknown kind "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := edit(t, tt.fn)
			p, err := decodeWithin(t, in)
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// decodeWithin decodes in, failing the test rather than hanging with it.
func decodeWithin(t *testing.T, in string) (*Plan, error) {
	t.Helper()
	type result struct {
		p   *Plan
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := Decode(strings.NewReader(in), kinds)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		return r.p, r.err
	case <-time.After(time.Minute): // a generous bound: decoding takes microseconds
		t.Fatal("Decode hangs")
		return nil, nil
	}
}

func TestDecodeBoundsProblems(t *testing.T) {
	in := edit(t, func(p map[string]any, s []any) {
		bad := make([]any, 100)
		for i := range bad {
			bad[i] = map[string]any{"action": "x"}
		}
		p["steps"] = bad
	})
	_, err := Decode(strings.NewReader(in), kinds)
	if err == nil || !strings.HasSuffix(err.Error(), "\n  and 180 more") {
		t.Errorf("error = %v", err)
	}
	if n := strings.Count(err.Error(), "\n  steps["); n != maxProblems {
		t.Errorf("%d problems listed, want %d", n, maxProblems)
	}
}

func TestDecodeBoundsALongCycle(t *testing.T) {
	var steps []string
	for i := range 100 {
		steps = append(steps, fmt.Sprintf(`{"address": "instance.s%03d", "action": "create", "dependsOn": ["instance.s%03d"]}`, i, (i+1)%100))
	}
	_, err := Decode(strings.NewReader(`{"formatVersion": "2.0", "steps": [`+strings.Join(steps, ",")+`]}`), kinds)
	if err == nil || !strings.HasSuffix(err.Error(), "instance.s019, and 80 more") {
		t.Errorf("error = %v", err)
	}
}
