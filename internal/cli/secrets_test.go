package cli

/*
TestNoSecretLeaves is the promise "no secret leaves", end to end: marker
secrets are loaded through {env:}, {file:} and inline sensitive fields, the
API key and a URL password are markers too, and every command and format
runs — validate, plan (text, json, markdown, -o), show (all formats), apply
with --debug, a saved plan applied, drift (all formats), configuration
errors, an API that echoes requests and the API key back in its errors
(raw, base64 and hex), and the endpoint refusal. Then stdout, stderr, the
plan files and the sandbox state files are searched for every marker in
every encoding: raw, hex, and base64 at each of the three byte alignments
the marker can have inside a larger blob. There must be none.
*/

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// markers are the tokens hidden in the secrets, by where the secret comes
// from. Each is distinctive ASCII, so its encodings can be searched for.
var markers = map[string]string{
	"sshKey {env:}":             "MKRsshEnvQ7v2Lp9xW",
	"userData {file:}":          "MKRudFileK3m8Zt4rB",
	"userData inline":           "MKRudInlineH6c1Ys5n",
	"certificate {file:}":       "MKRcertFileD2w7Pq8j",
	"privateKey {env:}":         "MKRkeyEnvV9b4Nx3gT",
	"privateKey {env:} rotated": "MKRkeyRotJ5f8Lm2sC",
	"chain inline":              "MKRchainInlineE4t9Rk",
	"LEASEWEB_API_KEY":          "MKRapiKeyU7n3Hd6qA",
	"URL password":              "MKRurlPassG2x5Wc8vZ",
	"URL token":                 "MKRurlTokenY3k6Fb1m",
}

const secretConfig = `apiVersion: lswctl/v1
instances:
  web-1:
    <<: &web
      region: eu-west-3
      type: lsw.m5a.large
      image: UBUNTU_24_04_64BIT
      rootDisk: {size: 20, storageType: CENTRAL}
      contract: {type: HOURLY}
    sshKey: {env: MARK_SSH}
  web-2:
    <<: *web
    userData: {file: secrets/cloud-init.txt}
  web-3:
    <<: *web
    userData: "#cloud-config\nruncmd: [echo MKRudInlineH6c1Ys5n]\n"
targetGroups:
  web:
    region: eu-west-3
    protocol: HTTP
    port: 80
    healthCheck: {protocol: HTTP, method: GET, uri: /healthz, port: 80}
    targets: [web-1, web-2]
loadBalancers:
  edge:
    region: eu-west-3
    type: lsw.m4.large
    contract: {type: HOURLY, cancelReason: CANCEL_PRODUCT_SWITCH}
    listeners:
      - {protocol: HTTP, port: 80, targetGroup: web}
      - protocol: HTTPS
        port: 443
        targetGroup: web
        certificate:
          certificate: {file: certs/edge.pem}
          privateKey: {env: MARK_KEY}
          chain: "-----BEGIN CERTIFICATE-----\nMIIchain/MKRchainInlineE4t9Rk+x==\n-----END CERTIFICATE-----\n"
`

// secretFiles are the files next to the configuration.
var secretFiles = map[string]string{
	"lswctl.yaml":            secretConfig,
	"secrets/cloud-init.txt": "#cloud-config\n# \"quoted\" <b>&\nruncmd: [echo MKRudFileK3m8Zt4rB]\n",
	"certs/edge.pem":         "-----BEGIN CERTIFICATE-----\nMIIBcert+/MKRcertFileD2w7Pq8j\n-----END CERTIFICATE-----\n",
	// instances only, for the served sandbox (no load balancer to wait for)
	"served/lswctl.yaml":            strings.Split(secretConfig, "targetGroups:")[0],
	"served/secrets/cloud-init.txt": "#cloud-config\nruncmd: [echo MKRudFileK3m8Zt4rB]\n",
	// a configuration error beside the secrets
	"bad.yaml": strings.Replace(secretConfig, "region: eu-west-3\n      type: lsw.m5a.large", "region: eu-west-9\n      type: lsw.m5a.large", 1),
	// a configuration that tries to read the API key
	"steal.yaml": strings.Replace(secretConfig, "{env: MARK_SSH}", "{env: LEASEWEB_API_KEY}", 1),
}

// leakRun runs Main in-process and keeps everything it printed.
type leakRun struct {
	t    *testing.T
	dir  string
	vars map[string]string
	all  []labelled
}

type labelled struct{ label, text string }

func (r *leakRun) run(wantCode int, args ...string) string {
	r.t.Helper()
	var stdout, stderr bytes.Buffer
	env := Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		LookupEnv:  func(k string) (string, bool) { v, ok := r.vars[k]; return v, ok },
		Getwd:      func() (string, error) { return r.dir, nil },
		IsTerminal: func(any) bool { return false },
	}
	code := Main(context.Background(), append([]string{"lswctl"}, args...), env)
	label := strings.Join(args, " ")
	r.all = append(r.all, labelled{label + " (stdout)", stdout.String()}, labelled{label + " (stderr)", stderr.String()})
	if code != wantCode {
		r.t.Fatalf("lswctl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", label, code, wantCode, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// file keeps a file lswctl or the sandbox wrote.
func (r *leakRun) file(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	r.all = append(r.all, labelled{"file " + name, string(b)})
	return string(b)
}

func newLeakRun(t *testing.T) *leakRun {
	dir := t.TempDir()
	for name, content := range secretFiles {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &leakRun{t: t, dir: dir, vars: map[string]string{
		"LSWCTL_SANDBOX_DELAY": "-1ms",
		"NO_COLOR":             "1",
		"MARK_SSH":             "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 MKRsshEnvQ7v2Lp9xW@ops",
		"MARK_KEY":             "-----BEGIN PRIVATE KEY-----\nMIIEkey/MKRkeyEnvV9b4Nx3gT+a\n-----END PRIVATE KEY-----\n",
	}}
}

func TestNoSecretLeaves(t *testing.T) {
	r := newLeakRun(t)
	r.runSandboxFlow()
	r.runEchoingAPI()
	r.runServedAPI()
	r.runRefusals()
	r.checkNoMarker()
}

// runSandboxFlow is the ordinary life of a configuration against the
// in-process sandbox, with --debug on the writes.
func (r *leakRun) runSandboxFlow() {
	r.t.Helper()
	r.run(0, "validate")
	for _, f := range []string{"text", "json", "markdown"} {
		r.run(0, "plan", "--sandbox", "--format", f)
	}
	planFile := filepath.Join(r.dir, "plan.json") // -o is relative to the process, not Getwd
	r.run(0, "plan", "--sandbox", "-o", planFile)
	r.file("plan.json")
	for _, f := range []string{"text", "json", "markdown"} {
		r.run(0, "show", "--format", f, planFile)
	}
	if out := r.run(0, "apply", "--sandbox", "--auto-approve", "--debug"); !strings.Contains(out, "> #1 ") || !strings.Contains(out, "Apply complete!") {
		r.t.Fatalf("apply --debug did not log or did not complete:\n%s", out)
	}
	if out := r.run(0, "plan", "--sandbox", "--debug"); !strings.Contains(out, "No changes.") {
		r.t.Fatalf("the sandbox flow does not converge:\n%s", out)
	}
	// A rotated private key: drift sees it, a saved plan applies it.
	r.vars["MARK_KEY"] = "-----BEGIN PRIVATE KEY-----\nMIIEkey/MKRkeyRotJ5f8Lm2sC+b\n-----END PRIVATE KEY-----\n"
	for _, f := range []string{"text", "json", "markdown"} {
		if out := r.run(2, "drift", "--sandbox", "--format", f); !strings.Contains(out, "privateKey") {
			r.t.Fatalf("drift does not show the rotated key:\n%s", out)
		}
	}
	rotate := filepath.Join(r.dir, "rotate.json")
	r.run(0, "plan", "--sandbox", "-o", rotate, "--format", "markdown")
	r.file("rotate.json")
	r.run(0, "apply", "--sandbox", "--debug", rotate)
	r.file(".lswctl/sandbox.json")
}

// runEchoingAPI applies against a fresh sandbox whose errors repeat the
// create requests, body and key, raw, base64 and hex: the instance creates
// (plain, when the errors reach stdout and stderr, and with --debug), then
// the listener creates, which carry the certificate and its key.
func (r *leakRun) runEchoingAPI() {
	r.t.Helper()
	r.vars["LSWCTL_SANDBOX_STATE"] = "echo.json"
	for _, step := range []struct {
		faults string
		debug  bool
	}{
		{"POST /publicCloud/v1/instances 400 echo", false},
		{"POST /publicCloud/v1/instances 400 echo", true},
		{"POST /publicCloud/v1/loadBalancers/*/listeners 400 echo", false},
		{"POST /publicCloud/v1/loadBalancers/*/listeners 400 echo", true},
	} {
		r.vars["LSWCTL_SANDBOX_FAULTS"] = step.faults
		args := []string{"apply", "--sandbox", "--auto-approve"}
		if step.debug {
			args = append(args, "--debug")
		}
		if out := r.run(1, args...); !strings.Contains(out, "You sent: ") {
			r.t.Fatalf("the API did not echo:\n%s", out)
		}
	}
	delete(r.vars, "LSWCTL_SANDBOX_FAULTS")
	delete(r.vars, "LSWCTL_SANDBOX_STATE")
	r.file("echo.json")
}

// runServedAPI talks to a sandbox over loopback with a marker API key; the
// sandbox reflects the key in a read error (the final error line) and in
// create errors.
func (r *leakRun) runServedAPI() {
	r.t.Helper()
	srv, err := sandbox.New(sandbox.Options{StatePath: filepath.Join(r.dir, "served.json"), Delay: -1})
	if err != nil {
		r.t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	r.vars["LEASEWEB_API_URL"] = hs.URL
	r.vars["LEASEWEB_API_KEY"] = markers["LEASEWEB_API_KEY"]
	echoRead := "GET /publicCloud/v1/instances 400 echo" // every read: a cancelled one may still arrive late
	for _, debug := range []bool{false, true} {
		srv.SetFaults(sandbox.Faults{Rules: mustRules(r.t, echoRead)})
		args := []string{"plan", "-f", "served"}
		if debug {
			args = append(args, "--debug")
		}
		if out := r.run(1, args...); !strings.Contains(out, "with key ") {
			r.t.Fatalf("the key was not reflected:\n%s", out)
		}
	}
	srv.SetFaults(sandbox.Faults{Rules: mustRules(r.t, "POST /publicCloud/v1/instances 400 echo")})
	r.run(1, "apply", "-f", "served", "--auto-approve")
	hs.Close()
	if err := srv.Close(); err != nil {
		r.t.Fatal(err)
	}
	delete(r.vars, "LEASEWEB_API_URL")
	delete(r.vars, "LEASEWEB_API_KEY")
	r.file("served.json")
}

// runRefusals covers configuration errors and the endpoint refusal.
func (r *leakRun) runRefusals() {
	r.t.Helper()
	r.vars["LEASEWEB_API_KEY"] = markers["LEASEWEB_API_KEY"]
	if out := r.run(1, "validate", "-f", "bad.yaml"); !strings.Contains(out, `unknown region "eu-west-9"`) {
		r.t.Fatalf("no configuration error:\n%s", out)
	}
	if out := r.run(1, "plan", "--sandbox", "-f", "steal.yaml"); !strings.Contains(out, "LEASEWEB_API_KEY holds lswctl's own credentials") {
		r.t.Fatalf("{env: LEASEWEB_API_KEY} was not refused:\n%s", out)
	}
	for _, u := range []string{
		"http://ops:" + markers["URL password"] + "@127.0.0.1:9/",
		"https://ops:" + strings.Replace(markers["URL password"], "G2", "%47%32", 1) + "@api.example.com:notaport",
		"http://" + markers["URL token"] + "@api.example.com/",
	} {
		r.vars["LEASEWEB_API_URL"] = u
		if out := r.run(1, "plan"); !strings.Contains(out, "LEASEWEB_API_URL") {
			r.t.Fatalf("%s was not refused:\n%s", u, out)
		}
	}
	delete(r.vars, "LEASEWEB_API_URL")
	delete(r.vars, "LEASEWEB_API_KEY")
}

func mustRules(t *testing.T, spec string) []sandbox.FaultRule {
	t.Helper()
	rules, err := sandbox.ParseFaultRules(spec)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// encodings returns every way a marker can show: raw, hex (both cases) and
// the part of its base64 encoding (both alphabets) that is fixed at each
// of the three byte alignments inside a larger blob.
func encodings(m string) map[string]string {
	out := map[string]string{"raw": m, "hex": hex.EncodeToString([]byte(m)), "HEX": strings.ToUpper(hex.EncodeToString([]byte(m)))}
	for name, enc := range map[string]*base64.Encoding{"base64": base64.RawStdEncoding, "base64url": base64.RawURLEncoding} {
		for k := range 3 {
			e := enc.EncodeToString(append(make([]byte, k), m...))
			start, end := (8*k+5)/6, 8*(k+len(m))/6
			out[fmt.Sprintf("%s@%d", name, k)] = e[start:end]
		}
	}
	return out
}

func (r *leakRun) checkNoMarker() {
	r.t.Helper()
	var leaks []string
	for what, m := range markers {
		for enc, form := range encodings(m) {
			for _, l := range r.all {
				if i := strings.Index(l.text, form); i >= 0 {
					from, to := max(0, i-60), min(len(l.text), i+len(form)+60)
					leaks = append(leaks, fmt.Sprintf("%s (%s) in %s: …%s…", what, enc, l.label, l.text[from:to]))
				}
			}
		}
	}
	sort.Strings(leaks)
	if len(leaks) > 0 {
		r.t.Errorf("%d marker occurrences:\n%s", len(leaks), strings.Join(leaks, "\n"))
	}
	if n := len(r.all); n < 50 {
		r.t.Errorf("only %d outputs were checked", n)
	}
}
