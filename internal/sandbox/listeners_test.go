package sandbox_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestListenerCRUD(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	web, api := e.createTG("web", "eu-west-3"), e.createTG("api", "eu-west-3")
	lb := e.launchLBRunning("edge")
	base := pc + "/loadBalancers/" + lb + "/listeners"

	r := e.do("POST", base, listenerBody("HTTPS", 443, web))
	wantStatus(t, r, http.StatusCreated)
	l := r.object(t)
	id := l["id"].(string)
	rules := l["rules"].([]any)
	rule := rules[0].(map[string]any)
	if l["protocol"] != "HTTPS" || l["port"] != 443.0 || len(rules) != 1 || rule["default"] != true || rule["targetGroupId"] != web {
		t.Errorf("created %v", l)
	}
	if _, ok := l["sslCertificates"]; ok {
		t.Errorf("POST returned the certificate: %v", l)
	}
	// Only GET of one listener shows the certificate, private key sealed.
	got := e.get(base + "/" + id)
	certs := got["sslCertificates"].([]any)
	if len(certs) != 1 {
		t.Fatalf("detail %v", got)
	}
	if c, _ := certs[0].(map[string]any); c["privateKey"] != sealedForm(keyPEM) ||
		c["chain"] != sealedForm(chainPEM) || c["certificate"] != sealedForm(certPEM) {
		t.Errorf("detail %v", got)
	}
	wantStatus(t, e.do("POST", base, listenerBody("HTTP", 80, web)), http.StatusCreated)
	items, meta := e.items(base, "listeners")
	if len(items) != 2 || meta != (listMeta{2, 0, 10}) || items[0]["id"] != id {
		t.Errorf("list %v %+v", items, meta)
	}
	if _, ok := items[0]["sslCertificates"]; ok {
		t.Errorf("list item has the certificate")
	}

	// PUT is partial and answers loadBalancerListener.
	r = e.do("PUT", base+"/"+id, map[string]any{"port": 8443, "defaultRule": map[string]any{"targetGroupId": api}})
	wantStatus(t, r, http.StatusOK)
	l = r.object(t)
	if l["port"] != 8443.0 || l["protocol"] != "HTTPS" || l["rules"].([]any)[0].(map[string]any)["targetGroupId"] != api {
		t.Errorf("after PUT %v", l)
	}
	if _, ok := l["sslCertificates"]; ok {
		t.Errorf("PUT returned the certificate")
	}
	if c := e.get(base + "/" + id)["sslCertificates"].([]any); len(c) != 1 {
		t.Errorf("a PUT without certificate dropped it: %v", c)
	}
	// Away from HTTPS, the certificate goes.
	wantStatus(t, e.do("PUT", base+"/"+id, map[string]any{"protocol": "TCP"}), http.StatusOK)
	if c := e.get(base + "/" + id)["sslCertificates"].([]any); len(c) != 0 {
		t.Errorf("TCP listener keeps %v", c)
	}
	// Back to HTTPS needs a certificate again.
	wantDetail(e, e.do("PUT", base+"/"+id, map[string]any{"protocol": "HTTPS"}), "certificate")
	r = e.do("PUT", base+"/"+id, map[string]any{"protocol": "HTTPS",
		"certificate": map[string]any{"privateKey": keyPEM, "certificate": certPEM}})
	wantStatus(t, r, http.StatusOK)
	if c := e.get(base + "/" + id)["sslCertificates"].([]any)[0].(map[string]any); c["certificate"] != sealedForm(certPEM) {
		t.Errorf("new certificate %v", c)
	}

	r = e.do("DELETE", base+"/"+id, nil)
	wantStatus(t, r, http.StatusNoContent)
	wantStatus(t, e.do("GET", base+"/"+id, nil), http.StatusNotFound)
	wantStatus(t, e.do("DELETE", base+"/"+id, nil), http.StatusNotFound)
	if items, _ := e.items(base, "listeners"); len(items) != 1 {
		t.Errorf("after DELETE: %d listeners", len(items))
	}
}

func TestListenerPreconditions(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	web := e.createTG("web", "eu-west-3")
	far := e.createTG("far", "eu-central-1")
	lb := e.launchLBRunning("edge")
	creating := e.launchLB(lbBody("new"))
	base := pc + "/loadBalancers/" + lb + "/listeners"
	wantStatus(t, e.do("POST", base, listenerBody("HTTP", 80, web)), http.StatusCreated)
	other := e.do("POST", base, listenerBody("HTTP", 8080, web)).object(t)["id"].(string)

	noCert := listenerBody("HTTPS", 443, web)
	delete(noCert, "certificate")
	certOnHTTP := listenerBody("HTTPS", 81, web)
	certOnHTTP["protocol"] = "HTTP"
	tests := []struct {
		name      string
		path      string
		body      any
		field     string
		violation string
	}{
		{"HTTPS without certificate", base, noCert, "certificate", ""},
		{"certificate on HTTP", base, certOnHTTP, "certificate", ""},
		{"empty private key", base, func() map[string]any {
			b := listenerBody("HTTPS", 443, web)
			b["certificate"].(map[string]any)["privateKey"] = ""
			return b
		}(), "certificate.privateKey", "allOf"},
		{"load balancer not RUNNING", pc + "/loadBalancers/" + creating + "/listeners", listenerBody("HTTP", 80, web), "loadBalancerId", ""},
		{"unknown load balancer", pc + "/loadBalancers/" + unknown + "/listeners", listenerBody("HTTP", 80, web), "loadBalancerId", ""},
		{"target group in another region", base, listenerBody("HTTP", 81, far), "defaultRule.targetGroupId", ""},
		{"unknown target group", base, listenerBody("HTTP", 81, unknown), "defaultRule.targetGroupId", ""},
		{"port taken", base, listenerBody("TCP", 80, web), "port", ""},
		{"port out of range", base, listenerBody("TCP", 0, web), "port", ""},
		{"missing members", base, map[string]any{}, "defaultRule", "allOf"},
		{"bad protocol", base, listenerBody("UDP", 53, web), "protocol", "allOf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("POST", tt.path, tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantDetail(e, r, tt.field)
		})
	}
	e.t = t
	// PUT: the same rules, and an unknown listener is a 400 (no 404 documented).
	wantDetail(e, e.do("PUT", base+"/"+other, map[string]any{"port": 80}), "port")
	wantDetail(e, e.do("PUT", base+"/"+other, map[string]any{"defaultRule": map[string]any{"targetGroupId": far}}), "defaultRule.targetGroupId")
	wantDetail(e, e.do("PUT", base+"/"+unknown, map[string]any{"port": 81}), "listenerId")
	wantDetail(e, e.do("PUT", pc+"/loadBalancers/"+unknown+"/listeners/"+other, map[string]any{"port": 81}), "loadBalancerId")
	wantStatus(t, e.do("PUT", base+"/"+other, map[string]any{"port": 8080}), http.StatusOK) // its own port
	if items, _ := e.items(base, "listeners"); len(items) != 2 {
		t.Errorf("rejected requests changed the listeners: %d", len(items))
	}

	// A target group used by a default rule cannot be deleted.
	r := e.do("DELETE", pc+"/targetGroups/"+web, nil)
	wantDetail(e, r, "targetGroupId")
	if d := errorDetails(t, r)["targetGroupId"].([]any); len(d) != 2 {
		t.Errorf("both listeners should be named: %v", d)
	}
	for _, id := range ids(func() []map[string]any { items, _ := e.items(base, "listeners"); return items }()) {
		wantStatus(t, e.do("DELETE", base+"/"+id, nil), http.StatusNoContent)
	}
	wantStatus(t, e.do("DELETE", pc+"/targetGroups/"+web, nil), http.StatusNoContent)
}

func TestListenerPaging(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tg := e.createTG("web", "eu-west-3")
	lb := e.launchLBRunning("edge")
	base := pc + "/loadBalancers/" + lb + "/listeners"
	var all []string
	for i := range 12 {
		r := e.do("POST", base, listenerBody("TCP", 1000+i, tg))
		wantStatus(t, r, http.StatusCreated)
		all = append(all, r.object(t)["id"].(string))
	}
	for _, tt := range []struct {
		query string
		want  []string
		meta  listMeta
	}{
		{"", all[:10], listMeta{12, 0, 10}},
		{"?offset=10", all[10:], listMeta{12, 10, 10}},
		{"?limit=3&offset=3", all[3:6], listMeta{12, 3, 3}},
	} {
		got, meta := e.items(base+tt.query, "listeners")
		if !slices.Equal(ids(got), tt.want) || meta != tt.meta {
			t.Errorf("%q: %v %+v", tt.query, ids(got), meta)
		}
	}
	var r result
	e.expectViolation("status is not supported", func() { r = e.do("GET", base+"?limit=x", nil) })
	wantDetail(e, r, "limit")
}
