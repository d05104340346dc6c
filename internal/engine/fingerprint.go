package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/lswctl/lswctl/internal/model"
)

// fingerprint digests a live object's id and attributes. Secrets enter it
// only as their digests, map keys in sorted order (encoding/json sorts them).
func fingerprint(r model.Resource) string {
	b, err := json.Marshal(struct {
		ID    string       `json:"id"`
		Attrs model.Object `json:"attrs"`
	}{r.ID, r.Attrs})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
