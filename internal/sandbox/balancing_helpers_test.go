package sandbox_test

import (
	"net/http"
	"time"
)

const (
	pc       = "/publicCloud/v1"
	unknown  = "0b5e6ad4-7c5b-4b8f-9a58-1c1d1e1f2a3b" // a UUID no object has
	certPEM  = "-----BEGIN CERTIFICATE-----\nMIIBhDCB7gIBADBFMQsw\n-----END CERTIFICATE-----"
	keyPEM   = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2\n-----END EC PRIVATE KEY-----"
	chainPEM = "-----BEGIN CERTIFICATE-----\nMIICNDCCAZ2gAwIBAgIU\n-----END CERTIFICATE-----"
)

// tgBody is a valid createTargetGroupOpts with an HTTP health check.
func tgBody(name, region string) map[string]any {
	return map[string]any{"name": name, "protocol": "HTTP", "port": 80, "region": region,
		"healthCheck": map[string]any{"protocol": "HTTP", "method": "GET", "uri": "/healthz", "port": 80}}
}

// createTG creates a target group and returns its id.
func (e *env) createTG(name, region string) string {
	e.t.Helper()
	r := e.do("POST", pc+"/targetGroups", tgBody(name, region))
	wantStatus(e.t, r, http.StatusCreated)
	return r.object(e.t)["id"].(string)
}

// lbBody is a valid launchLoadBalancerOpts in eu-west-3.
func lbBody(ref string) map[string]any {
	return map[string]any{"region": "eu-west-3", "type": "lsw.m4.large", "contractType": "HOURLY", "reference": ref}
}

// launchLB launches a load balancer and returns its id (CREATING).
func (e *env) launchLB(body map[string]any) string {
	e.t.Helper()
	r := e.do("POST", pc+"/loadBalancers", body)
	wantStatus(e.t, r, http.StatusCreated)
	return r.object(e.t)["id"].(string)
}

// launchLBRunning launches a load balancer and waits out CREATING.
func (e *env) launchLBRunning(ref string) string {
	e.t.Helper()
	id := e.launchLB(lbBody(ref))
	e.clock.Advance(2 * time.Second)
	return id
}

// get GETs path, wants 200 and decodes the object.
func (e *env) get(path string) map[string]any {
	e.t.Helper()
	r := e.do("GET", path, nil)
	wantStatus(e.t, r, http.StatusOK)
	return r.object(e.t)
}

// items GETs a list and returns its collection and _metadata.
func (e *env) items(path, collection string) ([]map[string]any, listMeta) {
	e.t.Helper()
	r := e.do("GET", path, nil)
	wantStatus(e.t, r, http.StatusOK)
	var raw map[string]any
	r.decode(e.t, &raw)
	var out []map[string]any
	for _, it := range raw[collection].([]any) {
		out = append(out, it.(map[string]any))
	}
	var meta struct {
		M listMeta `json:"_metadata"`
	}
	r.decode(e.t, &meta)
	return out, meta.M
}

// ids returns the "id" of each item.
func ids(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		out = append(out, it["id"].(string))
	}
	return out
}

// listener is a valid listener body for target group tg.
func listenerBody(protocol string, port int, tg string) map[string]any {
	b := map[string]any{"protocol": protocol, "port": port, "defaultRule": map[string]any{"targetGroupId": tg}}
	if protocol == "HTTPS" {
		b["certificate"] = map[string]any{"privateKey": keyPEM, "certificate": certPEM, "chain": chainPEM}
	}
	return b
}

// wantDetail fails unless the 400 r names field in errorDetails.
func wantDetail(e *env, r result, field string) {
	e.t.Helper()
	wantStatus(e.t, r, http.StatusBadRequest)
	if d := errorDetails(e.t, r); d[field] == nil {
		e.t.Errorf("errorDetails %v lacks %q", d, field)
	}
}
