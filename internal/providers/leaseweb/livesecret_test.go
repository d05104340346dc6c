package leaseweb

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

func TestLiveSecret(t *testing.T) {
	key := "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
	sum := sha256.Sum256([]byte(key))
	digest := hex.EncodeToString(sum[:])
	if got := liveSecret("sha256:" + digest); !got.Equal(model.NewSecret(key, "env:K")) || got.Source != "api" {
		t.Errorf("a digest-form value does not stand for its text: %v from %s", got.Digest(), got.Source)
	}
	for _, v := range []string{key, "sha256:" + strings.ToUpper(digest), "sha256:" + digest[:63], "sha256:" + digest[:62] + "zz", "sha256:"} {
		if got := liveSecret(v); !got.Equal(model.NewSecret(v, "")) || got.Reveal() != v {
			t.Errorf("liveSecret(%q) is not the value itself", v)
		}
	}
}
