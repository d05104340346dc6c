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
Credentials never reach the writer, in three layers:

  - authentication and cookie headers are replaced;
  - JSON fields whose names look secret (password, secret, token,
    privateKey, apiKey, userData, sshKey, and string-valued certificate,
    chain and caBundle) are replaced at any depth, which also covers secret
    values lswctl has not seen before (a live certificate the API returns);
  - by value: the API key, and, when the writer can scrub (it has a
    Scrub(string) string method, as the command line's redacting writer
    does), every secret value lswctl knows in every encoding. Headers and
    bodies are scrubbed before they are truncated, so truncation never
    leaves the first half of a secret that the writer could no longer
    recognise.

Bodies are truncated to about 2 KB after redaction. Each entry is written
with a single Write under a mutex.
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

	"github.com/lswctl/lswctl/internal/redact"
)

const (
	redacted        = "[REDACTED]"
	maxDebugBody    = 2048
	maxDebugHeaders = 1024
)

// debugLog writes requests and answers to w. A nil *debugLog logs nothing.
type debugLog struct {
	mu sync.Mutex
	w  io.Writer
	// apiKey redacts the API key in every encoding, even when w cannot
	// scrub (a test's buffer, a library user's writer).
	apiKey *redact.Redactor
	// scrubber is w's own value redaction, when it has one.
	scrubber interface{ Scrub(string) string }
}

func newDebugLog(w io.Writer, apiKey string) *debugLog {
	d := &debugLog{w: w, apiKey: redact.New()}
	d.apiKey.Add(apiKey)
	d.scrubber, _ = w.(interface{ Scrub(string) string })
	return d
}

// scrub redacts secret values from s: the API key, then whatever the
// writer knows.
func (d *debugLog) scrub(s string) string {
	s = d.apiKey.Scrub(s)
	if d.scrubber != nil {
		s = d.scrubber.Scrub(s)
	}
	return s
}

// request logs attempt n of r before it is sent.
func (d *debugLog) request(r *request, n int, h http.Header) {
	if d == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> #%d %s %s (attempt %d)\n", r.id, r.method, r.url, n)
	d.writeHeaders(&b, "> ", h)
	d.writeBody(&b, "> ", r.body)
	d.write(b.String())
}

// response logs a complete answer to r.
func (d *debugLog) response(r *request, status int, dur time.Duration, h http.Header, body []byte) {
	if d == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "< #%d %s %s: %d %s (%s)\n", r.id, r.method, r.url, status, http.StatusText(status), dur.Round(time.Microsecond))
	d.writeHeaders(&b, "< ", h)
	d.writeBody(&b, "< ", body)
	d.write(b.String())
}

// failure logs an attempt of r that got no complete answer.
func (d *debugLog) failure(r *request, dur time.Duration, err error) {
	if d == nil {
		return
	}
	d.write(fmt.Sprintf("< #%d %s %s: failed after %s: %v\n", r.id, r.method, r.url, dur.Round(time.Microsecond), err))
}

// write emits one entry after a final scrub. Write errors are ignored: the
// debug log must never fail a call.
func (d *debugLog) write(s string) {
	s = d.scrub(s)
	d.mu.Lock()
	defer d.mu.Unlock()
	_, _ = io.WriteString(d.w, s)
}

// writeHeaders writes h sorted by name, secrets redacted, bounded in size.
func (d *debugLog) writeHeaders(b *strings.Builder, prefix string, h http.Header) {
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
		fmt.Fprintf(b, "%s%s: %s\n", prefix, k, truncate(d.scrub(v), maxDebugHeaders))
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
// It is scrubbed before the lines get their prefix, which would otherwise
// split a multi-line secret.
func (d *debugLog) writeBody(b *strings.Builder, prefix string, body []byte) {
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	text := d.scrub(redactBody(body))
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
			if _, isString := x.(string); secretKey(k) || (isString && secretStringKey(k)) {
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
	return k == "userdata" || k == "sshkey"
}

// secretStringKey reports whether a JSON field name holds secret material
// when its value is a string: a listener's certificate and chain (objects
// named certificate hold the parts, which are checked one by one).
func secretStringKey(k string) bool {
	switch strings.ToLower(k) {
	case "certificate", "chain", "cabundle":
		return true
	}
	return false
}
