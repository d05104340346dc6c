package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Secret is a sensitive attribute value. Its plain text is held in memory for
// the provider call that needs it and is never rendered, logged or saved:
// String, Format and JSON encoding only ever show "(sensitive)" and the
// SHA-256 digest, and two secrets compare equal when their digests do.
type Secret struct {
	plain  string
	digest string
	// Source says where the value came from ("env:EDGE_TLS_KEY",
	// "file:certs/edge.pem", "api"), so a saved plan can re-read it.
	Source string
}

// NewSecret wraps a sensitive value read from source.
func NewSecret(plain, source string) Secret {
	sum := sha256.Sum256([]byte(plain))
	return Secret{plain: plain, digest: hex.EncodeToString(sum[:]), Source: source}
}

// SecretFromDigest rebuilds a secret known only by its digest, as read back
// from a saved plan. Reveal returns "" for it.
func SecretFromDigest(digest, source string) Secret {
	return Secret{digest: digest, Source: source}
}

// Reveal returns the plain text. Only provider calls may use it.
func (s Secret) Reveal() string { return s.plain }

// Digest returns the hex SHA-256 of the plain text.
func (s Secret) Digest() string { return s.digest }

// Known reports whether the plain text is available (not only the digest).
func (s Secret) Known() bool { return s.plain != "" || s.digest == emptyDigest }

// Equal compares by digest; go-cmp uses it.
func (s Secret) Equal(o Secret) bool { return s.digest == o.digest }

// String never reveals the value.
func (s Secret) String() string { return "(sensitive)" }

// GoString never reveals the value, even with %#v.
func (s Secret) GoString() string { return "model.Secret(sensitive)" }

type secretJSON struct {
	Sensitive bool   `json:"sensitive"`
	SHA256    string `json:"sha256"`
	Source    string `json:"source,omitempty"`
}

// MarshalJSON writes only the digest and the source.
func (s Secret) MarshalJSON() ([]byte, error) {
	return json.Marshal(secretJSON{Sensitive: true, SHA256: s.digest, Source: s.Source})
}

var emptyDigest = func() string {
	sum := sha256.Sum256(nil)
	return hex.EncodeToString(sum[:])
}()
