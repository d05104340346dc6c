package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecode checks that decoding a plan file never panics or hangs, and
// that a plan it accepts saves and reads back as the same plan. The seed
// corpus in testdata/fuzz/FuzzDecode holds the crashers of issue 7
// (references as before/after, an unknown kind, a missing address, a
// duplicated step, a dependsOn cycle, an unknown action).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(validPlan))
	f.Add([]byte(`{"formatVersion": "2.0", "steps": null}`))
	f.Add([]byte(`{"formatVersion": "2.0", "steps": [{"address": "instance.a", "action": "create", "after": {"x": {"sensitive": true}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data), kinds)
		if err != nil {
			if p != nil {
				t.Fatal("a plan and an error")
			}
			if strings.Contains(err.Error(), "\x1b") {
				t.Fatalf("an escape sequence in the error: %q", err)
			}
			return
		}
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(p); err != nil {
			t.Fatalf("an accepted plan does not save: %v", err)
		}
		again, err := Decode(&b, kinds)
		if err != nil {
			t.Fatalf("a saved plan does not read back: %v\n%s", err, b.String())
		}
		if d := Compare(again, p); len(d) > 0 {
			t.Fatalf("a saved plan reads back as another:\n%s", strings.Join(d, "\n"))
		}
	})
}
