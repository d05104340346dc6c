package leaseweb

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/redact"
)

func TestDebugLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session="+testKey)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		// A careless API echoing the key, a credential, and a large list.
		fmt.Fprintf(w, `{"echo":%q,"credentials":[{"username":"root","password":"hunter2"}],"zz":%q}`,
			testKey, strings.Repeat("x", 5000))
	}))
	defer srv.Close()
	var log bytes.Buffer
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL, Debug: &log})
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"reference": "web-1", "userData": "I2Nsb3VkLWNvbmZpZw==",
		"certificate": map[string]string{"privateKey": "-----BEGIN PRIVATE KEY-----"}, "note": testKey}
	if err := c.Do(context.Background(), "POST", "/publicCloud/v1/instances", nil, body, nil); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	for _, secret := range []string{testKey, "hunter2", "I2Nsb3VkLWNvbmZpZw==", "BEGIN PRIVATE KEY"} {
		if strings.Contains(out, secret) {
			t.Errorf("debug log contains secret %q:\n%s", secret, out)
		}
	}
	want := []string{
		`(?m)^> #1 POST ` + regexp.QuoteMeta(srv.URL) + `/publicCloud/v1/instances \(attempt 1\)$`,
		`(?m)^> X-Lsw-Auth: \[REDACTED\]$`,
		`(?m)^> Content-Type: application/json$`,
		`(?m)^> \{.*"reference":"web-1".*\}$`,
		`(?m)^< #1 POST ` + regexp.QuoteMeta(srv.URL) + `/publicCloud/v1/instances: 201 Created \([0-9.]+[µm]?s\)$`,
		`(?m)^< Set-Cookie: \[REDACTED\]$`,
		`"username":"root"`,
		`\(truncated, \d+ bytes in all\)`,
	}
	for _, re := range want {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("debug log does not match %s:\n%s", re, out)
		}
	}
	if len(out) > 4*maxDebugBody {
		t.Errorf("debug log is %d bytes; bodies are not truncated", len(out))
	}
}

func TestDebugLogFailure(t *testing.T) {
	var log bytes.Buffer
	c, _, _ := newScripted(t, func(o *ClientOptions) { o.Debug = &log; o.MaxRetries = 1 }, drop, answer(404, "<html>gone</html>"))
	err := c.Do(context.Background(), "GET", "/x", nil, nil, nil)
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want 404", err)
	}
	out := log.String()
	for _, re := range []string{
		`(?m)^> #1 GET https://api.leaseweb.com/x \(attempt 1\)$`,
		`(?m)^< #1 GET https://api.leaseweb.com/x: failed after \S+: GET /x: read tcp .*connection reset by peer$`,
		`(?m)^> #1 GET https://api.leaseweb.com/x \(attempt 2\)$`,
		`(?m)^< #1 GET https://api.leaseweb.com/x: 404 Not Found \(\S+\)$`,
		`(?m)^< <html>gone</html>$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("debug log does not match %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, testKey) {
		t.Error("debug log contains the API key")
	}
}

func TestRedactBody(t *testing.T) {
	tests := map[string]string{
		`{"a":1,"Password":"p","nested":[{"clientSecret":"s","x":"<y>"}]}`: `{"Password":"[REDACTED]","a":1,"nested":[{"clientSecret":"[REDACTED]","x":"<y>"}]}`,
		`{"n":12345678901234567890}`:                                       `{"n":12345678901234567890}`,
		`not json`:                                                         `not json`,
		`{"a":1} {"b":2}`:                                                  `{"a":1} {"b":2}`,
	}
	for in, want := range tests {
		if got := redactBody([]byte(in)); got != want {
			t.Errorf("redactBody(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestDebugLogRedactsSecretFieldsByName covers secret material the command
// line may not know by value (a live certificate the API returns): SSH
// keys, certificates, chains and CA bundles are replaced by field name.
func TestDebugLogRedactsSecretFieldsByName(t *testing.T) {
	in := `{"sshKey":"ssh-ed25519 AAAAsecret","certificate":"-----BEGIN CERTIFICATE-----\nMIIcert","chain":"MIIchain",` +
		`"caBundle":"MIIbundle","certificateId":42,"sslCertificates":[{"certificate":"MIIlive","privateKey":"MIIkey","chain":"MIIlivechain"}],` +
		`"listener":{"certificate":{"certificate":"MIInested","privateKey":"k"}}}`
	out := redactBody([]byte(in))
	for _, secret := range []string{"AAAAsecret", "MIIcert", "MIIchain", "MIIbundle", "MIIlive", "MIIkey", "MIIlivechain", "MIInested"} {
		if strings.Contains(out, secret) {
			t.Errorf("%s survives: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"certificateId":42`) {
		t.Errorf("a field that only resembles a secret name was redacted: %s", out)
	}
}

// TestDebugLogAPIKeyEncoded has a server echo the API key JSON-escaped (as
// encoders that escape HTML or slashes do), in base64 and in hex: none of
// these survive, even when the writer cannot scrub on its own.
func TestDebugLogAPIKeyEncoded(t *testing.T) {
	key := `k3y/with<html>&"quotes"+more`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Lsw-Auth")
		j, _ := json.Marshal(got)
		escaped := strings.ReplaceAll(string(j[1:len(j)-1]), "/", `\/`)
		w.WriteHeader(http.StatusBadRequest)
		// Not JSON as a whole, so the debug log keeps the text as it came.
		fmt.Fprintf(w, "auth=%s json=%s b64=%s hex=%s", got, escaped,
			base64.StdEncoding.EncodeToString([]byte("Bearer "+got)), hex.EncodeToString([]byte(got)))
	}))
	defer srv.Close()
	var log bytes.Buffer
	c, err := NewClient(ClientOptions{APIKey: key, BaseURL: srv.URL, Debug: &log, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Do(context.Background(), "GET", "/x", nil, nil, nil)
	out := log.String()
	if !strings.Contains(out, "auth=[REDACTED]") {
		t.Fatalf("the echo is not in the log:\n%s", out)
	}
	for _, part := range []string{"k3y/with", `k3y\/with`, "azN5L3dpdGg", "6b33792f77697468", "with\\u003chtml"} {
		if strings.Contains(out, part) {
			t.Errorf("%q survives:\n%s", part, out)
		}
	}
}

// TestDebugLogScrubsBeforeTruncating has a server echo long secrets, one
// that the body truncation cuts in two and one split into prefixed lines,
// to a writer that scrubs by value: no piece of either survives, although
// the writer only ever sees the truncated, line-prefixed text.
func TestDebugLogScrubsBeforeTruncating(t *testing.T) {
	token := strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7debug", 40)
	pem := "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("AbCdEfGhIj\n", 10) + "-----END PRIVATE KEY-----\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "key %s\n%s you sent: %s", pem, strings.Repeat("x", 1500), token)
	}))
	defer srv.Close()
	r := redact.New()
	r.Add(token, pem)
	var log bytes.Buffer
	w := r.Writer(&log)
	c, err := NewClient(ClientOptions{APIKey: testKey, BaseURL: srv.URL, Debug: w, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Do(context.Background(), "GET", "/x", nil, nil, nil)
	w.Flush()
	out := log.String()
	if !strings.Contains(out, "you sent: [REDACTED]") || !strings.Contains(out, "key [REDACTED]") {
		t.Fatalf("the echo is not in the log:\n%s", out)
	}
	if strings.Contains(out, "MIIEvQIBADANBgkq") || strings.Contains(out, "AbCdEfGhIj") {
		t.Errorf("part of the secret survives:\n%s", out)
	}
}
