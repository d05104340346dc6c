package leaseweb

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAPIErrorAttrMessages checks that errorDetails fields are renamed to
// the configuration's attribute paths, so the engine finds their lines.
func TestAPIErrorAttrMessages(t *testing.T) {
	e := &APIError{Status: 400, ErrorDetails: map[string][]string{
		"contractTerm":    {"A MONTHLY contract needs a contractTerm other than 0."},
		"rootDiskSize":    {"too small"},
		"imageId":         {"no such image"},
		"sshKey":          {"not a key"},
		"reference":       {"too long"},
		"healthCheck.uri": {"must start with /"},
	}}
	want := map[string][]string{
		"contract.term":   {"A MONTHLY contract needs a contractTerm other than 0."},
		"rootDisk.size":   {"too small"},
		"image":           {"no such image"},
		"sshKey":          {"not a key"},
		"":                {"too long"},
		"healthCheck.uri": {"must start with /"},
	}
	if d := cmp.Diff(want, e.AttrMessages()); d != "" {
		t.Errorf("AttrMessages (-want +got):\n%s", d)
	}
	if got := (&APIError{Status: 500}).AttrMessages(); got != nil {
		t.Errorf("no details gave %v", got)
	}
}
