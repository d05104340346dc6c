package leaseweb

/*
Helpers for the tests of the load balancing kinds (target groups, load
balancers, listeners, auto scaling groups) against the real emulator, on
top of sandbox_helpers_test.go: every exchange is checked against the
OpenAPI document and recorded.
*/

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// Sandbox route keys of Stats.ByRoute.
const (
	rTGList     = "GET /publicCloud/v1/targetGroups"
	rTGCreate   = "POST /publicCloud/v1/targetGroups"
	rTGGet      = "GET /publicCloud/v1/targetGroups/{targetGroupId}"
	rTGPut      = "PUT /publicCloud/v1/targetGroups/{targetGroupId}"
	rTGDelete   = "DELETE /publicCloud/v1/targetGroups/{targetGroupId}"
	rTargets    = "GET /publicCloud/v1/targetGroups/{targetGroupId}/targets"
	rRegister   = "POST /publicCloud/v1/targetGroups/{targetGroupId}/registerTargets"
	rDeregister = "POST /publicCloud/v1/targetGroups/{targetGroupId}/deregisterTargets"
	rLBList     = "GET /publicCloud/v1/loadBalancers"
	rLBLaunch   = "POST /publicCloud/v1/loadBalancers"
	rLBGet      = "GET /publicCloud/v1/loadBalancers/{loadBalancerId}"
	rLBPut      = "PUT /publicCloud/v1/loadBalancers/{loadBalancerId}"
	rLBDelete   = "DELETE /publicCloud/v1/loadBalancers/{loadBalancerId}"
	rLList      = "GET /publicCloud/v1/loadBalancers/{loadBalancerId}/listeners"
	rLCreate    = "POST /publicCloud/v1/loadBalancers/{loadBalancerId}/listeners"
	rLGet       = "GET /publicCloud/v1/loadBalancers/{loadBalancerId}/listeners/{listenerId}"
	rLPut       = "PUT /publicCloud/v1/loadBalancers/{loadBalancerId}/listeners/{listenerId}"
	rLDelete    = "DELETE /publicCloud/v1/loadBalancers/{loadBalancerId}/listeners/{listenerId}"
	rASGList    = "GET /publicCloud/v1/autoScalingGroups"
	rASGGet     = "GET /publicCloud/v1/autoScalingGroups/{autoScalingGroupId}"
	rASGReg     = "POST /publicCloud/v1/autoScalingGroups/{autoScalingGroupId}/registerTargetGroup"
	rASGDereg   = "POST /publicCloud/v1/autoScalingGroups/{autoScalingGroupId}/deregisterTargetGroup"
)

// Fixed ids of seeded objects.
const (
	idWeb1  = "11111111-1111-4111-8111-111111111111"
	idWeb2  = "22222222-2222-4222-8222-222222222222"
	idWeb3  = "33333333-3333-4333-8333-333333333333"
	idTGWeb = "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20"
	idTGAPI = "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d21"
	idTGOld = "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d22"
	idEdge  = "aaaaaaaa-0000-4000-8000-000000000001"
	idNoRef = "aaaaaaaa-0000-4000-8000-000000000002"
	idGone  = "aaaaaaaa-0000-4000-8000-000000000003"
	idHTTP  = "bbbbbbbb-0000-4000-8000-000000000001"
	idHTTPS = "bbbbbbbb-0000-4000-8000-000000000002"
	idASG2  = "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a11"
	idNone  = "0e5b0ff4-7a1c-4d8e-b2a6-3f9c8d7e6a50" // exists nowhere
)

// Certificate material; the sandbox only needs non-empty strings.
const (
	pemCert  = "-----BEGIN CERTIFICATE-----\nMIIBedge\n-----END CERTIFICATE-----\n"
	pemKey   = "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n"
	pemChain = "-----BEGIN CERTIFICATE-----\nMIIBchain\n-----END CERTIFICATE-----\n"
)

// sbDoc is a sandbox state document (internal/sandbox/doc.go).
type sbDoc struct {
	TargetGroups      []sbTG       `json:"targetGroups,omitempty"`
	AutoScalingGroups []sbScaling  `json:"autoScalingGroups,omitempty"`
	Instances         []sbInstance `json:"instances,omitempty"`
	LoadBalancers     []sbLB       `json:"loadBalancers,omitempty"`
}

type sbTG struct {
	ID          string   `json:"id,omitempty"`
	Name        string   `json:"name"`
	Region      string   `json:"region"`
	Protocol    string   `json:"protocol,omitempty"`
	Port        int      `json:"port,omitempty"`
	HealthCheck *sbHC    `json:"healthCheck,omitempty"`
	Targets     []string `json:"targets,omitempty"`
}

type sbHC struct {
	Protocol string `json:"protocol"`
	Method   string `json:"method,omitempty"`
	URI      string `json:"uri"`
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port"`
}

type sbScaling struct {
	ID             string   `json:"id,omitempty"`
	Reference      string   `json:"reference"`
	Region         string   `json:"region"`
	State          string   `json:"state,omitempty"`
	TargetGroupIDs []string `json:"targetGroupIds,omitempty"`
}

type sbLB struct {
	ID            string         `json:"id,omitempty"`
	Reference     *string        `json:"reference,omitempty"`
	Region        string         `json:"region"`
	Type          string         `json:"type"`
	State         string         `json:"state,omitempty"`
	Contract      *sbContract    `json:"contract,omitempty"`
	Configuration map[string]any `json:"configuration,omitempty"`
	Listeners     []sbListener   `json:"listeners,omitempty"`
}

type sbListener struct {
	ID            string  `json:"id,omitempty"`
	Protocol      string  `json:"protocol"`
	Port          int     `json:"port"`
	TargetGroupID string  `json:"targetGroupId"`
	Certificate   *sbCert `json:"certificate,omitempty"`
}

type sbCert struct {
	PrivateKey  string `json:"privateKey"`
	Certificate string `json:"certificate"`
	Chain       string `json:"chain,omitempty"`
}

// lbEnv is a sandbox env with the load balancing kinds, fast poll and
// lock times.
type lbEnv struct {
	*sbEnv
	tgs  *targetGroups
	lbs  *loadBalancers
	ls   *listeners
	asgs *autoScalingGroups
}

// sbFastLock replaces the sandbox lock retry pacing (100ms..1s).
var sbFastLock = pollTimes{First: 10 * time.Millisecond, Max: 40 * time.Millisecond}

// newLBEnv starts a sandbox seeded with doc and the provider on it.
func newLBEnv(t *testing.T, opts sandbox.Options, doc sbDoc) *lbEnv {
	t.Helper()
	e := &lbEnv{sbEnv: newSandboxEnv(t, opts)}
	e.tgs = sbKind[*targetGroups](t, e.p)
	e.lbs = sbKind[*loadBalancers](t, e.p)
	e.ls = sbKind[*listeners](t, e.p)
	e.asgs = sbKind[*autoScalingGroups](t, e.p)
	e.tgs.lock, e.tgs.once = sbFastLock, sbSingleOnce
	e.lbs.poll, e.lbs.once = sbFastPoll, sbSingleOnce
	e.seedDoc(doc)
	e.resetCounters()
	return e
}

// seedDoc replaces the sandbox's objects with doc.
func (e *lbEnv) seedDoc(doc sbDoc) {
	e.t.Helper()
	b, err := json.Marshal(struct {
		Version int `json:"version"`
		sbDoc
	}{1, doc})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.srv.Seed(bytes.NewReader(b)); err != nil {
		e.t.Fatalf("seeding the sandbox: %v", err)
	}
}

// sbWebID is sbWeb with a fixed id.
func sbWebID(id, ref string) sbInstance {
	in := sbWeb(ref)
	in.ID = id
	return in
}

// readAll runs a kind's Read and indexes the result by Addr.Name.
func readAll(t *testing.T, k providers.Kind) map[string]model.Resource {
	t.Helper()
	list, err := k.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	out := map[string]model.Resource{}
	for _, r := range list {
		if _, dup := out[r.Addr.Name]; dup {
			t.Fatalf("Read returned %s twice", r.Addr.Name)
		}
		out[r.Addr.Name] = r
	}
	return out
}

// recordingGate is a gate that records what each call sent ("POST",
// "GET+POST" ...).
func (e *lbEnv) recordingGate() (providers.Gate, *[]string) {
	var gated []string
	gate := func(ctx context.Context, call func(context.Context) error) error {
		n := e.rec.count()
		err := call(ctx)
		var sent []string
		for _, r := range e.rec.since(n) {
			sent = append(sent, r.Method)
		}
		gated = append(gated, strings.Join(sent, "+"))
		return err
	}
	return gate, &gated
}

// checkGated fails unless every gate call sent exactly one write, possibly
// after the reads of a lookup (a create looks its key up inside the write
// slot), and the gate was taken once per write the sandbox saw.
func (e *lbEnv) checkGated(gated []string) {
	e.t.Helper()
	st := e.srv.Stats()
	writes := 0
	for route, n := range st.ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			writes += n
		}
	}
	if len(gated) != writes {
		e.t.Errorf("gate taken %d times (%v) for %d writes, want once per write", len(gated), gated, writes)
	}
	for i, sent := range gated {
		methods := strings.Split(sent, "+")
		if sent == "" || methods[len(methods)-1] == "GET" || strings.Count(sent, "GET") != len(methods)-1 {
			e.t.Errorf("gate call %d sent %q, want exactly one write, possibly after reads", i+1, sent)
		}
	}
}

// bodies returns the JSON bodies of the recorded requests with method
// whose path ends with suffix, decoded generically.
func (e *lbEnv) bodies(method, suffix string) []any {
	e.t.Helper()
	var out []any
	for _, r := range e.rec.matching(method, suffix) {
		var v any
		if len(bytes.TrimSpace(r.Body)) > 0 {
			if err := json.Unmarshal(r.Body, &v); err != nil {
				e.t.Fatalf("request body %s: %v", r.Body, err)
			}
		}
		out = append(out, v)
	}
	return out
}
