package redact

import (
	"io"
	"sync"
)

// Writer scrubs everything written through it. A secret may arrive split
// across two Write calls, so a Write passes on only what can no longer
// become part of a secret: it holds back the shortest tail that is a proper
// prefix of some form (usually nothing, since output rarely ends in the
// middle of something that looks like a secret) until the next Write or
// Flush. Call Flush when done; a reader waiting for an answer to a prompt
// needs it too (see FlushingReader).
type Writer struct {
	r       *Redactor
	mu      sync.Mutex
	w       io.Writer
	pending []byte
}

// Writer returns a Writer that scrubs what it writes to w.
func (r *Redactor) Writer(w io.Writer) *Writer {
	return &Writer{r: r, w: w}
}

// Write scrubs p (together with any held-back tail) and writes what is
// safe. It reports len(p) on success, as io.Writer requires, even though
// the underlying writer receives a different number of bytes.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := append(w.pending, p...)
	w.r.mu.RLock()
	cut := w.r.safeCut(string(buf))
	out := w.r.scrub(string(buf[:cut]))
	w.r.mu.RUnlock()
	w.pending = append([]byte(nil), buf[cut:]...)
	if out == "" {
		return len(p), nil
	}
	if _, err := io.WriteString(w.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes the held-back tail, scrubbed.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	out := w.r.Scrub(string(w.pending))
	w.pending = nil
	_, err := io.WriteString(w.w, out)
	return err
}

// Scrub scrubs s with the Writer's Redactor. Code that shortens text before
// writing it (a debug log truncating bodies) calls it first, so that no
// secret is cut into a prefix the Writer can no longer recognise.
func (w *Writer) Scrub(s string) string { return w.r.Scrub(s) }

// Unwrap returns the underlying writer (for terminal checks).
func (w *Writer) Unwrap() io.Writer { return w.w }

// safeCut returns how much of s can be written now: everything before the
// longest tail that could still grow into a form, moved back to the start
// of a match that the cut would split. Callers hold r.mu.
func (r *Redactor) safeCut(s string) int {
	if r.maxLen == 0 {
		return len(s)
	}
	cut := len(s)
	for a := max(0, len(s)-r.maxLen+1); a < len(s); a++ {
		if r.isProperPrefix(s[a:]) {
			cut = a
			break
		}
	}
	for _, sp := range r.spans(s) {
		if sp[0] < cut && cut < sp[1] {
			cut = sp[0]
		}
	}
	return cut
}

// FlushingReader flushes writers before every Read, so a prompt held back
// by a Writer is on the screen before lswctl waits for the answer.
type FlushingReader struct {
	R       io.Reader
	Writers []*Writer
}

// Read flushes the writers, then reads.
func (f FlushingReader) Read(p []byte) (int, error) {
	for _, w := range f.Writers {
		_ = w.Flush() // a failing terminal shows up on the next write
	}
	return f.R.Read(p)
}
