package leaseweb

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
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
