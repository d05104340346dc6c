package leaseweb

import (
	"encoding/hex"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// digestPrefix marks a sensitive value that an API answers with only its
// SHA-256: lswctl's sandbox keeps private keys and user data that way, so
// its state file never holds them (see internal/sandbox/sealed.go).
const digestPrefix = "sha256:"

// liveSecret wraps a sensitive value read from the API. A value of the form
// "sha256:<64 lowercase hex digits>" stands for the text with that digest:
// it compares equal to the same secret in the configuration, so a plan
// still notices a rotated key and still converges. No PEM block, key or
// cloud-init script has that form.
func liveSecret(v string) model.Secret {
	if h, ok := strings.CutPrefix(v, digestPrefix); ok && len(h) == 64 && strings.ToLower(h) == h {
		if _, err := hex.DecodeString(h); err == nil {
			return model.SecretFromDigest(h, "api")
		}
	}
	return model.NewSecret(v, "api")
}
