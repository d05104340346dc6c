package engine

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// The edits of README "Putting a service behind a Leaseweb load balancer",
// each a switch on the web tier of examples/web-tier.
const (
	addTarget      = iota // a third instance, in the group
	removeTarget          // web-1 leaves the group (and stays)
	healthCheck           // a new health check path
	movePort              // the HTTP listener moves from 80 to 8080
	removeListener        // the HTTPS listener goes
	groupTCP              // the group switches to TCP: a create-then-delete
	lbType                // the load balancer's type, in place
	lbAbsent              // ensure: absent on the load balancer
	newImage              // a new image for web-2: a delete-then-create
	replaceWeb1           // --replace instance.web-1
	regionMove            // the whole tier moves to us-east-1
	numEdits
)

var editNames = [numEdits]string{"addTarget", "removeTarget", "healthCheck", "movePort", "removeListener",
	"groupTCP", "lbType", "lbAbsent", "newImage", "replaceWeb1", "regionMove"}

// edits is a set of edits, one bit each.
type edits uint

func (e edits) has(i int) bool { return e&(1<<i) != 0 }

func (e edits) String() string {
	var names []string
	for i := range numEdits {
		if e.has(i) {
			names = append(names, editNames[i])
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "+")
}

// yaml renders the web tier with the edits applied.
func (e edits) yaml() string {
	region := "eu-west-3"
	if e.has(regionMove) {
		region = "us-east-1"
	}
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\ninstances:\n")
	instance := func(name, image string) {
		fmt.Fprintf(&b, "  %s: {region: %s, type: lsw.m5a.large, image: %s, rootDisk: {size: 20, storageType: CENTRAL}, contract: {type: HOURLY}}\n",
			name, region, image)
	}
	instance("web-1", "UBUNTU_24_04_64BIT")
	instance("web-2", map[bool]string{false: "UBUNTU_24_04_64BIT", true: "UBUNTU_22_04_64BIT"}[e.has(newImage)])
	targets := []string{"web-1", "web-2"}
	if e.has(addTarget) {
		instance("web-3", "UBUNTU_24_04_64BIT")
		targets = append(targets, "web-3")
	}
	if e.has(removeTarget) {
		targets = targets[1:]
	}
	uri := map[bool]string{false: "/healthz", true: "/ready"}[e.has(healthCheck)]
	check := "{protocol: HTTP, method: GET, uri: " + uri + ", port: 80}"
	protocol := "HTTP"
	if e.has(groupTCP) {
		protocol, check = "TCP", "{protocol: TCP, uri: "+uri+", port: 80}"
	}
	fmt.Fprintf(&b, "targetGroups:\n  web:\n    region: %s\n    protocol: %s\n    port: 80\n    healthCheck: %s\n    targets: [%s]\n",
		region, protocol, check, strings.Join(targets, ", "))
	b.WriteString("loadBalancers:\n  edge:\n")
	if e.has(lbAbsent) {
		b.WriteString("    ensure: absent\n    contract: {cancelReason: CANCEL_PRODUCT_SWITCH}\n")
		return b.String()
	}
	typ := map[bool]string{false: "lsw.m4.large", true: "lsw.m4.xlarge"}[e.has(lbType)]
	fmt.Fprintf(&b, "    region: %s\n    type: %s\n    contract: {type: HOURLY, cancelReason: CANCEL_PRODUCT_SWITCH}\n", region, typ)
	b.WriteString("    balance: roundrobin\n    xForwardedFor: true\n    listeners:\n")
	fmt.Fprintf(&b, "      - {protocol: HTTP, port: %d, targetGroup: web}\n", map[bool]int{false: 80, true: 8080}[e.has(movePort)])
	if !e.has(removeListener) {
		b.WriteString("      - protocol: HTTPS\n        port: 443\n        targetGroup: web\n" +
			"        certificate: {certificate: {file: edge.pem}, privateKey: {env: EDGE_TLS_KEY}}\n")
	}
	return b.String()
}

func (e edits) replace() []string {
	if e.has(replaceWeb1) {
		return []string{"instance.web-1"}
	}
	return nil
}

// envInt reads a positive integer from the environment, or def.
func envInt(t *testing.T, name string, def uint64) uint64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// combinations returns the edits to try: each edit alone, the pairs that
// used to make a cycle, then n random combinations from seed, none twice.
func combinations(seed, n uint64) []edits {
	out := []edits{1<<groupTCP | 1<<newImage, 1<<groupTCP | 1<<replaceWeb1}
	for i := range numEdits {
		out = append(out, 1<<i)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	want := min(len(out)+int(min(n, 1<<numEdits)), 1<<numEdits)
	for len(out) < want {
		if e := edits(rng.UintN(1 << numEdits)); !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// TestWebTierEditsConverge is the promise that every combination of edits
// that plans on its own plans together: from the applied web tier, each
// combination plans, applies against the sandbox in an order the API
// accepts (whatever pointed at an object let go of it before it was
// destroyed), and converges: planning again finds nothing to do.
// LSWCTL_WEBTIER_COMBOS sets how many random combinations join the fixed
// ones (default 48), LSWCTL_WEBTIER_SEED their seed (default 7).
func TestWebTierEditsConverge(t *testing.T) {
	seed := envInt(t, "LSWCTL_WEBTIER_SEED", 7)
	n := envInt(t, "LSWCTL_WEBTIER_COMBOS", 48)
	dir := t.TempDir()
	pem, err := os.ReadFile(filepath.Join("..", "..", "examples", "web-tier", "certs", "edge.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "edge.pem"), pem, 0o644); err != nil {
		t.Fatal(err)
	}
	base := tierState(t, dir)
	for _, e := range combinations(seed, n) {
		t.Run(e.String(), func(t *testing.T) {
			t.Parallel()
			r := seededRun(t, dir, base)
			r.apply(e.yaml(), e.replace()...)
			if t.Failed() {
				t.Logf("reproduce with LSWCTL_WEBTIER_SEED=%d; configuration:\n%s", seed, e.yaml())
			}
		})
	}
}

// tierState applies the unedited web tier to a fresh sandbox and returns
// the sandbox's state document, so each combination starts from a copy.
func tierState(t *testing.T, dir string) []byte {
	t.Helper()
	r := seededRun(t, dir, nil)
	r.apply(edits(0).yaml())
	req, _ := http.NewRequest(http.MethodGet, "https://sandbox/_sandbox/state", nil)
	resp, err := r.rec.next.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("reading the sandbox state: %v %d", err, resp.StatusCode)
	}
	return doc
}

// seededRun is a tierRun in dir (for the certificate) against a new sandbox
// holding state, when given.
func seededRun(t *testing.T, dir string, state []byte) *tierRun {
	t.Helper()
	// A sandbox seeded with the base state must not make the ids the base
	// sandbox made: another RNG seed.
	rngSeed := int64(1)
	if state != nil {
		rngSeed = 2
	}
	srv, err := sandbox.New(sandbox.Options{Delay: -1, Seed: rngSeed})
	if err != nil {
		t.Fatal(err)
	}
	if state != nil {
		if err := srv.Seed(bytes.NewReader(state)); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{next: srv.Transport()}
	path := filepath.Join(t.TempDir(), "lswctl.yaml")
	// A copy, not a symlink: a secret file must resolve inside the
	// configuration's directory.
	pem, err := os.ReadFile(filepath.Join(dir, "edge.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "edge.pem"), pem, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{
		Paths: []string{path}, Cwd: filepath.Dir(path), Version: "test", Sandbox: true,
		LookupEnv: func(name string) (string, bool) {
			return "sandbox-only-key", name == "EDGE_TLS_KEY"
		},
		HTTPClient: &http.Client{Transport: rec},
	}
	return &tierRun{t: t, opts: opts, rec: rec, path: path}
}
