package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// forms returns every form of v that output may carry, v itself included.
// Text forms cover v, its trimmed text and its long lines; binary forms
// (hex, base64) cover the bytes of v, of its trimmed text and of their JSON
// escapes (a request body that an API echoes base64-encoded holds the
// secret JSON-escaped).
func forms(v string) []string {
	var out []string
	texts := []string{v}
	if t := strings.TrimSpace(v); t != v && len(t) >= MinLen {
		texts = append(texts, t)
	}
	for _, t := range texts {
		out = append(out, textForms(t)...)
		for _, b := range dedupe([]string{t, jsonString(t, true), jsonString(t, false)}, 0) {
			out = append(out, derivedForms([]byte(b))...)
		}
	}
	if strings.ContainsAny(v, "\r\n") {
		for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if line = strings.TrimSpace(line); len(line) >= minLine {
				out = append(out, textForms(line)...)
			}
		}
	}
	return out
}

// textForms are the ways text output spells s: raw, with its whitespace
// collapsed (error cleaners do that), JSON-escaped (Go's encoder with and
// without HTML escaping, encoders that escape "/", encoders that keep to
// ASCII, and twice: a JSON body quoted in a JSON error message), Go-quoted
// (%q, %+q) and percent-encoded.
func textForms(s string) []string {
	out := []string{s, strings.Join(strings.Fields(s), " ")}
	twice := jsonString(jsonString(s, false), false)
	for _, j := range []string{jsonString(s, true), jsonString(s, false), asciiJSON(s), twice} {
		out = append(out, j, strings.ReplaceAll(j, "/", `\/`))
	}
	out = append(out, unquote(strconv.Quote(s)), unquote(strconv.QuoteToASCII(s)),
		url.QueryEscape(s), url.PathEscape(s))
	return dedupe(out, MinLen)
}

// derivedForms are the hex and base64 spellings of b.
func derivedForms(b []byte) []string {
	h := hex.EncodeToString(b)
	out := []string{h, strings.ToUpper(h)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		raw := enc.WithPadding(base64.NoPadding)
		out = append(out, enc.EncodeToString(b), raw.EncodeToString(b))
		for k := range 3 {
			out = append(out, alignedCore(raw, b, k))
		}
	}
	return dedupe(out, minDerived)
}

// alignedCore is the part of the base64 encoding of b that does not depend
// on what surrounds b, when b starts k bytes (0..2) after a 3-byte group
// boundary of a larger blob: the characters whose 6 bits all come from b.
func alignedCore(enc *base64.Encoding, b []byte, k int) string {
	e := enc.EncodeToString(append(make([]byte, k), b...))
	start := (8*k + 5) / 6      // first character with no bit of the k bytes before
	end := 8 * (k + len(b)) / 6 // characters wholly inside b end here
	if end <= start {
		return ""
	}
	return e[start:end]
}

// jsonString is s as it appears between the quotes of a JSON string.
func jsonString(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		return s
	}
	return unquote(strings.TrimSuffix(buf.String(), "\n"))
}

// asciiJSON is s JSON-escaped with every non-ASCII character as \uXXXX
// (UTF-16 surrogate pairs above the BMP), as many encoders do by default.
func asciiJSON(s string) string {
	j := jsonString(s, true)
	var b strings.Builder
	for _, r := range j {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// unquote strips the surrounding quotes of a quoted string.
func unquote(q string) string {
	if len(q) >= 2 {
		return q[1 : len(q)-1]
	}
	return q
}

// dedupe drops repeats and forms shorter than minLen, keeping order.
func dedupe(in []string, minLen int) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if len(s) < minLen || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
