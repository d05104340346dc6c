package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

// webTier is a valid web tier: two instances behind a target group that also
// holds an instance by id, a load balancer with an HTTP and an HTTPS
// listener, and an auto scaling group linked to the target group. Cases edit
// it with editTier; tierFiles adds the certificate files it reads.
const webTier = `apiVersion: lswctl/v1
settings:
  prune: [instances, targetGroups]
  watch: [loadBalancers]
instances:
  web-1: &web
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 50, storageType: CENTRAL}
    contract: {type: HOURLY}
  web-2: *web
targetGroups:
  web:
    region: eu-west-3
    protocol: HTTP
    port: 80
    healthCheck: {protocol: HTTP, method: GET, uri: /healthz, port: 80, host: example.com}
    targets: [web-1, web-2, {id: 3fa85f64-5717-4562-b3fc-2c963f66afa6}]
loadBalancers:
  edge:
    region: eu-west-3
    type: lsw.m4.large
    contract: {type: MONTHLY, term: 12, billingFrequency: 1, cancelReason: CANCEL_HIGH_PRICE}
    stickySession: {enabled: true, maxLifeTime: 1000}
    balance: roundrobin
    xForwardedFor: true
    idleTimeOut: 60
    listeners:
      - {protocol: HTTP, port: 80, targetGroup: web}
      - protocol: HTTPS
        port: 443
        targetGroup: web
        certificate:
          certificate: {file: certs/edge.pem}
          privateKey: {env: EDGE_TLS_KEY}
          chain: {file: certs/chain.pem}
autoScalingGroups:
  workers:
    targetGroups: [web]
`

// The secrets webTier reads.
const (
	edgePEM  = "-----BEGIN CERTIFICATE-----\nedge\n-----END CERTIFICATE-----\n"
	chainPEM = "-----BEGIN CERTIFICATE-----\nchain\n-----END CERTIFICATE-----\n"
	edgeKey  = "-----BEGIN EC PRIVATE KEY-----\nkey\n-----END EC PRIVATE KEY-----\n"
)

var tierEnv = map[string]string{"EDGE_TLS_KEY": edgeKey}

// editTier returns webTier with old replaced by new, failing the test when
// old is not there.
func editTier(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(webTier, old) {
		t.Fatalf("webTier has no %q", old)
	}
	return strings.Replace(webTier, old, new, 1)
}

// tierFiles returns doc as a.yaml with the certificate files it reads.
func tierFiles(doc string) map[string]string {
	return map[string]string{"a.yaml": doc, "certs/edge.pem": edgePEM, "certs/chain.pem": chainPEM}
}

// TestConvertWebTier checks the resources of a whole web tier: attributes,
// references of both forms, secrets and positions inside listeners.
func TestConvertWebTier(t *testing.T) {
	dir := writeFiles(t, tierFiles(webTier))
	cfg := mustLoad(t, dir, Options{LookupEnv: envFrom(tierEnv)}, "a.yaml")
	var addrs []string
	for _, r := range cfg.Resources {
		addrs = append(addrs, r.Addr.String())
	}
	if got, want := strings.Join(addrs, " "), "autoScalingGroup.workers instance.web-1 instance.web-2 loadBalancer.edge targetGroup.web"; got != want {
		t.Errorf("resources = %s, want %s", got, want)
	}
	if got, want := cfg.Settings.Watch, []string{"loadBalancers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("watch = %v, want %v", got, want)
	}

	ref := func(kind, name string) model.Ref { return model.Ref{To: model.Address{Kind: kind, Name: name}} }
	byID := model.Ref{ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
	web := byName(t, cfg, "targetGroup", "web")
	wantTG := model.Object{
		"region": "eu-west-3", "protocol": "HTTP", "port": int64(80),
		"healthCheck": map[string]any{"protocol": "HTTP", "method": "GET", "uri": "/healthz", "port": int64(80), "host": "example.com"},
		"targets":     []any{ref("instance", "web-1"), ref("instance", "web-2"), byID},
	}
	if !reflect.DeepEqual(web.Attrs, wantTG) {
		t.Errorf("targetGroup.web Attrs = %s\nwant %s", model.Format(web.Attrs), model.Format(wantTG))
	}
	if got, want := web.Refs(), []model.Ref{ref("instance", "web-1"), ref("instance", "web-2"), byID}; !reflect.DeepEqual(got, want) {
		t.Errorf("targetGroup.web Refs() = %v, want %v", got, want)
	}

	edge := byName(t, cfg, "loadBalancer", "edge")
	wantLB := model.Object{
		"region": "eu-west-3", "type": "lsw.m4.large",
		"contract":      map[string]any{"type": "MONTHLY", "term": int64(12), "billingFrequency": int64(1), "cancelReason": "CANCEL_HIGH_PRICE"},
		"stickySession": map[string]any{"enabled": true, "maxLifeTime": int64(1000)},
		"balance":       "roundrobin", "xForwardedFor": true, "idleTimeOut": int64(60),
		"listeners": []any{
			map[string]any{"protocol": "HTTP", "port": int64(80), "targetGroup": ref("targetGroup", "web")},
			map[string]any{"protocol": "HTTPS", "port": int64(443), "targetGroup": ref("targetGroup", "web"), "certificate": map[string]any{
				"certificate": model.NewSecret(edgePEM, "file:certs/edge.pem"),
				"privateKey":  model.NewSecret(edgeKey, "env:EDGE_TLS_KEY"),
				"chain":       model.NewSecret(chainPEM, "file:certs/chain.pem"),
			}},
		},
	}
	if !reflect.DeepEqual(edge.Attrs, wantLB) {
		t.Errorf("loadBalancer.edge Attrs = %s\nwant %s", model.Format(edge.Attrs), model.Format(wantLB))
	}
	if got, want := edge.Refs(), []model.Ref{ref("targetGroup", "web"), ref("targetGroup", "web")}; !reflect.DeepEqual(got, want) {
		t.Errorf("loadBalancer.edge Refs() = %v, want %v", got, want)
	}

	workers := byName(t, cfg, "autoScalingGroup", "workers")
	if want := (model.Object{"targetGroups": []any{ref("targetGroup", "web")}}); !reflect.DeepEqual(workers.Attrs, want) {
		t.Errorf("autoScalingGroup.workers Attrs = %s, want %s", model.Format(workers.Attrs), model.Format(want))
	}
	if workers.Ensure != model.Present || workers.Protect || workers.ID != "" {
		t.Errorf("workers Ensure, Protect, ID = %q, %v, %q; want present, false, empty", workers.Ensure, workers.Protect, workers.ID)
	}

	for _, tt := range []struct {
		r         model.Resource
		path      string
		line, col int
	}{
		{edge, "listeners", 30, 7},
		{edge, "listeners[0]", 30, 9},
		{edge, "listeners[0].port", 30, 32},
		{edge, "listeners[1]", 31, 9},
		{edge, "listeners[1].port", 32, 15},
		{edge, "listeners[1].targetGroup", 33, 22},
		{edge, "listeners[1].certificate.privateKey", 36, 23},
		{edge, "stickySession.maxLifeTime", 25, 49},
		{web, "healthCheck.method", 18, 43},
		{web, "targets[2]", 19, 29},
		{workers, "targetGroups[0]", 40, 20},
	} {
		want := model.Pos{File: "a.yaml", Line: tt.line, Col: tt.col}
		if got := tt.r.FieldPos(tt.path); got != want {
			t.Errorf("%s FieldPos(%q) = %+v, want %+v", tt.r.Addr, tt.path, got, want)
		}
	}
}

// TestPrivateKeyIsSensitive checks that a listener's private key is a
// secret however it is written, known by its digest, while the certificate
// written as a plain string stays a string.
func TestPrivateKeyIsSensitive(t *testing.T) {
	tests := []struct {
		name, privateKey string
		plain, source    string
	}{
		{"from the environment", "{env: EDGE_TLS_KEY}", edgeKey, "env:EDGE_TLS_KEY"},
		{"written in the file", `"inline key"`, "inline key", "literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := editTier(t, "privateKey: {env: EDGE_TLS_KEY}", "privateKey: "+tt.privateKey)
			doc = strings.Replace(doc, "certificate: {file: certs/edge.pem}", "certificate: PEM", 1)
			dir := writeFiles(t, tierFiles(doc))
			edge := byName(t, mustLoad(t, dir, Options{LookupEnv: envFrom(tierEnv)}, "a.yaml"), "loadBalancer", "edge")
			cert := edge.Attrs["listeners"].([]any)[1].(map[string]any)["certificate"].(map[string]any)
			key, ok := cert["privateKey"].(model.Secret)
			if !ok {
				t.Fatalf("privateKey is %T, want a model.Secret", cert["privateKey"])
			}
			if key.Reveal() != tt.plain || key.Source != tt.source || key.Digest() != sum(tt.plain) {
				t.Errorf("privateKey = %q from %q digest %s; want %q from %q", key.Reveal(), key.Source, key.Digest(), tt.plain, tt.source)
			}
			if s := model.Format(cert["privateKey"]); s != "(sensitive)" {
				t.Errorf("privateKey renders as %q", s)
			}
			if cert["certificate"] != "PEM" {
				t.Errorf("certificate = %s, want the plain string", model.Format(cert["certificate"]))
			}
		})
	}
}

// TestListenerKeys checks that listeners are keyed by protocol and port
// together: the same port with another protocol is not a duplicate.
func TestListenerKeys(t *testing.T) {
	doc := editTier(t, "      - {protocol: HTTP, port: 80, targetGroup: web}\n",
		"      - {protocol: HTTP, port: 80, targetGroup: web}\n      - {protocol: TCP, port: 80, targetGroup: web}\n")
	cfg := mustLoad(t, writeFiles(t, tierFiles(doc)), Options{LookupEnv: envFrom(tierEnv)}, "a.yaml")
	if n := len(byName(t, cfg, "loadBalancer", "edge").Attrs["listeners"].([]any)); n != 3 {
		t.Errorf("%d listeners, want 3", n)
	}
}
