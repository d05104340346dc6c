// Package redact removes secret values from text by value: whatever field,
// header, error message or log line a secret ends up in, and however it was
// encoded on the way there.
//
// A Redactor holds the secret values lswctl knows (the credentials it reads
// from the environment, every value loaded through {env:} or {file:}, every
// value of a sensitive field). For each value it derives the forms the value
// can take in output: the raw text, its trimmed text, its lines, JSON and Go
// string escapes, percent-encoding, hex (lower and upper case) and base64
// (standard and URL alphabets, padded or not, and the part of the encoding
// that is fixed whatever the three byte alignment at which the value sits
// inside a larger encoded blob). Scrub replaces every occurrence of every
// form, and a prefix of a form cut short by a truncation ellipsis, with Mask.
//
// Very short values cannot be redacted without destroying the output (a
// one-letter password would mask every "a"): values shorter than MinLen
// bytes are ignored, and derived forms (hex, base64) shorter than
// minDerived characters are not used, since a short run of base64 or hex
// letters turns up by chance in ids and digests.
package redact

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every secret.
const Mask = "[REDACTED]"

// MinLen is the length, in bytes, below which a value is not redacted.
const MinLen = 4

// minDerived is the shortest hex or base64 form that is used.
const minDerived = 8

// minLine is the shortest line of a multi-line value that is redacted on
// its own (an echo may re-indent or re-wrap a PEM block).
const minLine = 16

// ellipsis is what truncating code appends to a shortened text.
const ellipsis = "…"

// Redactor holds secret values and scrubs them from text. It is safe for
// concurrent use; values can be added while writers are in use.
type Redactor struct {
	mu     sync.RWMutex
	values map[string]bool
	// byHead are the forms by their first four bytes, longest first.
	byHead map[[4]byte][]string
	// heads marks the first bytes of forms, to skip most positions fast.
	heads [256]bool
	// shortPrefixes are the 1 to 3 byte prefixes of every form, for the
	// writer's hold-back decision at the end of a buffer.
	shortPrefixes map[string]bool
	maxLen        int
}

// New returns an empty Redactor.
func New() *Redactor {
	return &Redactor{values: map[string]bool{}, byHead: map[[4]byte][]string{}, shortPrefixes: map[string]bool{}}
}

// Add registers secret values. Values shorter than MinLen bytes, and values
// already known, are ignored.
func (r *Redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) < MinLen || r.values[v] {
			continue
		}
		r.values[v] = true
		for _, f := range forms(v) {
			r.addForm(f)
		}
	}
}

// addForm indexes one form. Callers hold r.mu.
func (r *Redactor) addForm(f string) {
	key := head(f)
	list := r.byHead[key]
	for _, g := range list {
		if g == f {
			return
		}
	}
	// Keep the list longest first, so the longest form at a position wins.
	i := 0
	for i < len(list) && len(list[i]) >= len(f) {
		i++
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = f
	r.byHead[key] = list
	r.heads[f[0]] = true
	for n := 1; n < 4; n++ {
		r.shortPrefixes[f[:n]] = true
	}
	r.maxLen = max(r.maxLen, len(f))
}

func head(s string) [4]byte {
	var k [4]byte
	copy(k[:], s)
	return k
}

// Scrub returns s with every form of every secret replaced by Mask.
func (r *Redactor) Scrub(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.scrub(s)
}

// scrub is Scrub for callers that hold r.mu.
func (r *Redactor) scrub(s string) string {
	if r.maxLen == 0 {
		return s
	}
	spans := r.spans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString(Mask)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// spans returns the sorted, merged byte ranges of s that hold a form, or a
// prefix of one cut short by an ellipsis.
func (r *Redactor) spans(s string) [][2]int {
	var out [][2]int
	for i := 0; i+4 <= len(s); i++ {
		if end := r.matchAt(s, i); end > 0 {
			out = append(out, [2]int{i, end})
		}
	}
	for from := 0; ; {
		j := strings.Index(s[from:], ellipsis)
		if j < 0 {
			break
		}
		end := from + j
		if a := r.prefixBefore(s, end); a < end {
			out = append(out, [2]int{a, end})
		}
		from = end + len(ellipsis)
	}
	return merge(out)
}

// matchAt returns the end of the longest form that starts at s[i], or 0.
func (r *Redactor) matchAt(s string, i int) int {
	if !r.heads[s[i]] {
		return 0
	}
	for _, f := range r.byHead[head(s[i:])] {
		if strings.HasPrefix(s[i:], f) {
			return i + len(f)
		}
	}
	return 0
}

// prefixBefore returns the smallest a such that s[a:end] is a proper prefix
// of a form at least MinLen bytes long, or end when there is none.
func (r *Redactor) prefixBefore(s string, end int) int {
	for a := max(0, end-r.maxLen+1); a+MinLen <= end; a++ {
		if r.isProperPrefix(s[a:end]) {
			return a
		}
	}
	return end
}

// isProperPrefix reports whether p is a prefix of some longer form.
func (r *Redactor) isProperPrefix(p string) bool {
	if len(p) < 4 {
		return r.shortPrefixes[p]
	}
	for _, f := range r.byHead[head(p)] {
		if len(f) > len(p) && strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// merge sorts spans by start and folds overlapping ones together.
func merge(spans [][2]int) [][2]int {
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	var out [][2]int
	for _, sp := range spans {
		if n := len(out); n > 0 && sp[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}
