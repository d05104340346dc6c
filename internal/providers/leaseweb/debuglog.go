package leaseweb

/*
The debug log (--debug) shows every attempt in a curl-like form:

	> #3 POST https://api.leaseweb.com/publicCloud/v1/instances (attempt 1)
	> Content-Type: application/json
	> X-Lsw-Auth: [REDACTED]
	>
	> {"reference":"web-1",…}
	< #3 POST https://api.leaseweb.com/publicCloud/v1/instances: 201 Created (212ms)
	< Content-Type: application/json
	<
	< {"id":"…",…}

#n numbers the call so interleaved concurrent calls can be told apart.
Credentials never reach the writer: authentication and cookie headers are
replaced, JSON fields whose names look secret (password, secret, token,
privateKey, apiKey, userData) are replaced at any depth, and as a last guard
every occurrence of the API key is replaced in the finished text. Bodies are
truncated to about 2 KB after redaction. Each entry is written with a single
Write under a mutex.
*/

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	redacted        = "[REDACTED]"
	maxDebugBody    = 2048
	maxDebugHeaders = 1024
)

// debugLog writes requests and answers to w. A nil *debugLog logs nothing.
type debugLog struct {
	mu     sync.Mutex
	w      io.Writer
	apiKey string
}

func newDebugLog(w io.Writer, apiKey string) *debugLog {
	return &debugLog{w: w, apiKey: apiKey}
}

// request logs attempt n of r before it is sent.
func (d *debugLog) request(r *request, n int, h http.Header) {
	if d == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> #%d %s %s (attempt %d)\n", r.id, r.method, r.url, n)
	writeHeaders(&b, "> ", h)
	writeBody(&b, "> ", r.body)
	d.write(b.String())
}

// response logs a complete answer to r.
func (d *debugLog) response(r *request, status int, dur time.Duration, h http.Header, body []byte) {
	if d == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "< #%d %s %s: %d %s (%s)\n", r.id, r.method, r.url, status, http.StatusText(status), dur.Round(time.Microsecond))
	writeHeaders(&b, "< ", h)
	writeBody(&b, "< ", body)
	d.write(b.String())
}

// failure logs an attempt of r that got no complete answer.
func (d *debugLog) failure(r *request, dur time.Duration, err error) {
	if d == nil {
		return
	}
	d.write(fmt.Sprintf("< #%d %s %s: failed after %s: %v\n", r.id, r.method, r.url, dur.Round(time.Microsecond), err))
}

// write emits one entry after the final API-key scrub. Write errors are
// ignored: the debug log must never fail a call.
func (d *debugLog) write(s string) {
	if d.apiKey != "" {
		s = strings.ReplaceAll(s, d.apiKey, redacted)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	_, _ = io.WriteString(d.w, s)
}

// writeHeaders writes h sorted by name, secrets redacted, bounded in size.
func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if secretHeader(k) {
			v = redacted
		}
		fmt.Fprintf(b, "%s%s: %s\n", prefix, k, truncate(v, maxDebugHeaders))
	}
}

// secretHeader reports whether the header named k carries credentials.
func secretHeader(k string) bool {
	switch http.CanonicalHeaderKey(k) {
	case "Authorization", "Cookie", "Proxy-Authorization", "Set-Cookie", "X-Lsw-Auth":
		return true
	}
	return false
}

// writeBody writes body after a blank prefixed line, redacted and truncated.
func writeBody(b *strings.Builder, prefix string, body []byte) {
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	text := redactBody(body)
	if len(text) > maxDebugBody {
		text = fmt.Sprintf("%s (truncated, %d bytes in all)", truncate(text, maxDebugBody), len(body))
	}
	fmt.Fprintf(b, "%s\n%s%s\n", prefix, prefix, strings.ReplaceAll(text, "\n", "\n"+prefix))
}

// redactBody returns body as compact text with secret JSON fields replaced.
// A body that is not JSON is returned as is (the API-key scrub still applies).
func redactBody(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return string(body)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(redactValue(v)); err != nil {
		return string(body)
	}
	return strings.TrimSuffix(out.String(), "\n")
}

// redactValue replaces the values of secret-looking keys at any depth.
func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if secretKey(k) {
				t[k] = redacted
			} else {
				t[k] = redactValue(x)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = redactValue(x)
		}
	}
	return v
}

// secretKey reports whether a JSON field name looks like it holds a secret.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"password", "secret", "token", "privatekey", "apikey", "passphrase"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return k == "userdata"
}
