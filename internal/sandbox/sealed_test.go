package sandbox_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// sealedForm is how the sandbox keeps and returns a sensitive value.
func sealedForm(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// TestSensitiveFieldsAreSealed launches an instance with an SSH key, one
// with user data and an HTTPS listener, then looks for the clear text in the
// state file, in GET /_sandbox/state and in every answer: only the digests
// are there. A seed and an older state file with clear text are sealed as
// they are read.
func TestSensitiveFieldsAreSealed(t *testing.T) {
	const (
		sshKey   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 sealedsshkeymarker@example"
		userData = "#cloud-config\nrunmarker: sealed-user-data-marker\n"
	)
	statePath := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, sandbox.Options{StatePath: statePath})
	body := launchBody("web-1")
	body["sshKey"] = sshKey
	wantStatus(t, e.do("POST", pc+"/instances", body), http.StatusCreated)
	body = launchBody("web-2")
	body["userData"] = userData
	r := e.do("POST", pc+"/instances", body)
	wantStatus(t, r, http.StatusCreated)
	id := r.object(t)["id"].(string)
	tg, lb := e.createTG("web", "eu-west-3"), e.launchLBRunning("edge")
	r = e.do("POST", pc+"/loadBalancers/"+lb+"/listeners", listenerBody("HTTPS", 443, tg))
	wantStatus(t, r, http.StatusCreated)
	listener := r.object(t)["id"].(string)

	var answers bytes.Buffer
	for _, path := range []string{pc + "/instances", pc + "/instances/" + id, pc + "/instances/" + id + "/userData",
		pc + "/loadBalancers/" + lb + "/listeners", pc + "/loadBalancers/" + lb + "/listeners/" + listener, "/_sandbox/state"} {
		answers.Write(e.do("GET", path, nil).body)
	}
	file, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"state file": string(file), "answers": answers.String()} {
		for _, secret := range []string{"sealedsshkeymarker", "sealed-user-data-marker", "PRIVATE KEY", "MHcCAQEEIIrYSSNQFaA2",
			"BEGIN CERTIFICATE", "MIIBhDCB7gIBADBFMQsw", "MIICNDCCAZ2gAwIBAgIU"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
	for _, digest := range []string{sealedForm(sshKey), sealedForm(userData), sealedForm(keyPEM), sealedForm(certPEM), sealedForm(chainPEM)} {
		if !strings.Contains(string(file), digest) {
			t.Errorf("state file lacks the digest %s", digest)
		}
	}
	if !strings.Contains(answers.String(), `"hasUserData":true`) {
		t.Error("hasUserData is not true for sealed user data")
	}

	// A seed (or an older state file) in clear text is sealed as it is
	// read, and a sealed value reads back unchanged.
	clear := strings.ReplaceAll(string(file), sealedForm(userData), "clear-user-data-from-seed")
	if err := os.WriteFile(statePath, []byte(clear), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.New(sandbox.Options{StatePath: statePath, Clock: e.clock.Now, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	doc := string(wrap(t, srv).do("GET", "/_sandbox/state", nil).body)
	if strings.Contains(doc, "clear-user-data-from-seed") || !strings.Contains(doc, sealedForm("clear-user-data-from-seed")) ||
		!strings.Contains(doc, sealedForm(sshKey)) || !strings.Contains(doc, sealedForm(keyPEM)) {
		t.Errorf("clear text from a state file was not sealed, or a sealed value changed:\n%s", doc)
	}
}
