package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

/*
Sensitive fields are kept sealed: an instance's sshKey and userData and a
listener's certificate (private key, certificate and chain: everything
lswctl treats as sensitive) never exist in the sandbox's memory or state
file in clear text, only as "sha256:" and the hex SHA-256 of the text. A
state file can then be shared, cached or uploaded as a CI artifact without
handing out the keys and cloud-init scripts of whoever ran lswctl against
it.

Seeds and state files written by older versions may hold clear text: it is
sealed as it is read. A value that already has the sealed form is kept as
it is, so reading and writing a state document is stable.

The API behaviour this changes: GET of one listener returns the parts of
its certificate in the sealed form (the real API returns them as sent), and
GET /instances/{id}/userData returns the sealed form of the user data. The
sshKey is never returned, by the real API or the sandbox. lswctl reads a
live secret in the sealed form as the text with that digest, so plans
converge and a rotated key or certificate is still seen.
*/

// sealedPrefix starts every sealed value.
const sealedPrefix = "sha256:"

// sealed is a sensitive value as the sandbox keeps it; "" is no value.
type sealed string

// seal returns the sealed form of plain.
func seal(plain string) sealed {
	if plain == "" || isSealed(plain) {
		return sealed(plain)
	}
	sum := sha256.Sum256([]byte(plain))
	return sealed(sealedPrefix + hex.EncodeToString(sum[:]))
}

// isSealed reports whether s has the sealed form.
func isSealed(s string) bool {
	h, ok := strings.CutPrefix(s, sealedPrefix)
	if !ok || len(h) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// UnmarshalJSON seals the value as it is read, so clear text from a seed or
// an older state file never stays in memory.
func (s *sealed) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = seal(v)
	return nil
}
