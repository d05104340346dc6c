package sandbox_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// TestEchoFault checks that an echo rule answers its status with an error
// that repeats the request body (raw, base64, hex) and the API key, keeps
// Retry-After, and parses and prints as written.
func TestEchoFault(t *testing.T) {
	rules, err := sandbox.ParseFaultRules("POST /publicCloud/v1/instances 400 x1 retry-after=1 echo")
	if err != nil {
		t.Fatal(err)
	}
	if got := rules[0].String(); got != "POST /publicCloud/v1/instances 400 x1 retry-after=1 echo" {
		t.Errorf("String() = %q", got)
	}
	e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Rules: rules}})
	body := launchBody("echo-marker-instance")
	r := e.do("POST", instancesPath, body)
	wantStatus(t, r, http.StatusBadRequest)
	text := string(r.body)
	for _, want := range []string{"echo-marker-instance", sandbox.APIKey,
		base64.StdEncoding.EncodeToString([]byte("X-LSW-Auth: " + sandbox.APIKey))} {
		if !strings.Contains(text, want) {
			t.Errorf("the echo lacks %q: %s", want, text)
		}
	}
	req, _ := errorDetails(t, r)["request"].([]any)
	if len(req) != 3 || !strings.Contains(req[2].(string), "6563686f2d6d61726b6572") {
		t.Errorf("errorDetails.request = %q, want raw, base64 and hex", req)
	}
	if r.header.Get("Retry-After") != "1" || r.header.Get(sandbox.FaultHeader) != "rule 1" {
		t.Errorf("headers %v", r.header)
	}
	wantStatus(t, e.do("POST", instancesPath, body), http.StatusCreated) // x1: spent
}
