package leaseweb

/*
Tests of the listener kind against the real emulator, every exchange
checked against the OpenAPI document (see balancing_helpers_test.go).
*/

import (
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// listenerSeed is target groups web and api, load balancer edge with an
// HTTP and an HTTPS listener, one without a reference with a TCP listener,
// the scheduled-for-deletion old half of a replaced "edge" with its own
// listener, and one being destroyed.
func listenerSeed() sbDoc {
	edge := sbEdge()
	edge.Listeners = []sbListener{
		{ID: idHTTP, Protocol: "HTTP", Port: 80, TargetGroupID: idTGWeb},
		{ID: idHTTPS, Protocol: "HTTPS", Port: 443, TargetGroupID: idTGAPI,
			Certificate: &sbCert{PrivateKey: pemKey, Certificate: pemCert, Chain: pemChain}},
	}
	old := sbLB{Reference: sbRef("edge"), Region: "eu-west-3", Type: "lsw.m4.large",
		Contract:  &sbContract{Type: "MONTHLY", Term: 1, State: "DELETE_SCHEDULED"},
		Listeners: []sbListener{{Protocol: "HTTP", Port: 80, TargetGroupID: idTGWeb}}}
	return sbDoc{
		TargetGroups: []sbTG{{ID: idTGWeb, Name: "web", Region: "eu-west-3"}, {ID: idTGAPI, Name: "api", Region: "eu-west-3"}},
		LoadBalancers: []sbLB{
			edge,
			{ID: idNoRef, Region: "eu-west-3", Type: "lsw.m4.large",
				Listeners: []sbListener{{Protocol: "TCP", Port: 5432, TargetGroupID: idTGAPI}}},
			old,
			{Reference: sbRef("leaving"), Region: "eu-west-3", Type: "lsw.m4.large", State: "DESTROYING"},
		},
	}
}

func TestListenersRead(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: time.Hour}, listenerSeed())

	list, err := e.ls.Read(e.ctx)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}

	got := map[string]model.Resource{}
	var scheduled []model.Resource
	for _, r := range list {
		if r.Untouchable != "" {
			scheduled = append(scheduled, r)
			continue
		}
		got[r.Addr.Name] = r
	}
	edge := model.Address{Kind: "loadBalancer", Name: "edge"}
	want := map[string]model.Resource{
		"edge/HTTP:80": {Addr: model.Address{Kind: "listener", Name: "edge/HTTP:80"}, ID: idHTTP, Parent: edge,
			Attrs: model.Object{"loadBalancer": idEdge, "protocol": "HTTP", "port": int64(80), "targetGroup": idTGWeb}},
		"edge/HTTPS:443": {Addr: model.Address{Kind: "listener", Name: "edge/HTTPS:443"}, ID: idHTTPS, Parent: edge,
			Attrs: model.Object{"loadBalancer": idEdge, "protocol": "HTTPS", "port": int64(443), "targetGroup": idTGAPI,
				// Compared by digest: the source does not matter.
				"certificate": map[string]any{"certificate": model.NewSecret(pemCert, "file:edge.pem"),
					"privateKey": model.NewSecret(pemKey, "env:KEY"), "chain": model.NewSecret(pemChain, "x")}}},
		idNoRef + "/TCP:5432": {Addr: model.Address{Kind: "listener", Name: idNoRef + "/TCP:5432"},
			Parent: model.Address{Kind: "loadBalancer", Name: idNoRef},
			Attrs:  model.Object{"loadBalancer": idNoRef, "protocol": "TCP", "port": int64(5432), "targetGroup": idTGAPI}},
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("Read did not return %s; got %v", name, slices.Sorted(maps.Keys(got)))
			continue
		}
		if w.ID == "" {
			w.ID = g.ID
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if len(got) != len(want) {
		t.Errorf("touchable listeners %v, want %d", slices.Sorted(maps.Keys(got)), len(want))
	}
	// The engine names declared listeners the same way.
	if n := model.ChildName("edge", []string{"protocol", "port"}, model.Object{"protocol": "HTTPS", "port": int64(443)}); got[n].ID != idHTTPS {
		t.Errorf("declared name %s does not match the live HTTPS listener", n)
	}
	if c := got["edge/HTTPS:443"].Attrs["certificate"].(map[string]any); c["privateKey"].(model.Secret).Source != "api" {
		t.Errorf("live secrets come from %q, want api", c["privateKey"].(model.Secret).Source)
	}
	if len(scheduled) != 1 || scheduled[0].Addr.Name != "edge/HTTP:80" || scheduled[0].Untouchable != "its load balancer is scheduled for deletion at the end of its contract" {
		t.Errorf("untouchable listeners %+v, want the old edge's HTTP:80", scheduled)
	}
	st := e.srv.Stats()
	want2 := map[string]int{rLBList: 2, rLList: 3, rLGet: 1}
	if diff := cmp.Diff(want2, st.ByRoute); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// touchableListeners reads the listeners and indexes the touchable ones by
// name (the old half of a replaced "edge" has listeners of the same names).
func (e *lbEnv) touchableListeners() map[string]model.Resource {
	e.t.Helper()
	list, err := e.ls.Read(e.ctx)
	if err != nil {
		e.t.Fatalf("Read: %v", err)
	}
	out := map[string]model.Resource{}
	for _, r := range list {
		if r.Untouchable != "" {
			continue
		}
		if _, dup := out[r.Addr.Name]; dup {
			e.t.Fatalf("Read returned %s twice", r.Addr.Name)
		}
		out[r.Addr.Name] = r
	}
	return out
}

// lsOp is the op of listener name of edge with desired attributes.
func lsOp(name, id string, after model.Object, changed ...string) providers.Op {
	return providers.Op{Addr: model.Address{Kind: "listener", Name: name}, ID: id, After: after, Changed: changed}
}

func httpsAfter(tg string) model.Object {
	return model.Object{"loadBalancer": idEdge, "protocol": "HTTPS", "port": int64(8443), "targetGroup": tg,
		"certificate": map[string]any{"certificate": model.NewSecret(pemCert, "file:edge.pem"),
			"privateKey": model.NewSecret(pemKey, "env:EDGE_TLS_KEY")}}
}

func TestListenersCreate(t *testing.T) {
	for _, state := range []string{"RUNNING", "CREATING"} {
		t.Run(state, func(t *testing.T) {
			doc := listenerSeed()
			doc.LoadBalancers[0].State = state
			doc.LoadBalancers[0].Listeners = nil
			e := newLBEnv(t, sandbox.Options{Delay: 30 * time.Millisecond}, doc)
			gate, gated := e.recordingGate()

			id, err := e.ls.Create(e.ctx, gate, lsOp("edge/HTTPS:8443", "", httpsAfter(idTGWeb)))
			if err != nil {
				t.Fatalf("Create: %v", err)
			}

			want := []any{map[string]any{"protocol": "HTTPS", "port": float64(8443),
				"defaultRule": map[string]any{"targetGroupId": idTGWeb},
				"certificate": map[string]any{"certificate": pemCert, "privateKey": pemKey}}}
			if diff := cmp.Diff(want, e.bodies(http.MethodPost, "/listeners")); diff != "" {
				t.Errorf("POST body (-want +got):\n%s", diff)
			}
			st := e.srv.Stats()
			if st.ByRoute[rLCreate] != 1 || st.ByStatus[http.StatusBadRequest] != 0 {
				t.Errorf("requests %v statuses %v, want one accepted POST", st.ByRoute, st.ByStatus)
			}
			if state == "RUNNING" && st.ByRoute[rLBGet] != 1 || state == "CREATING" && st.ByRoute[rLBGet] < 2 {
				t.Errorf("%d GETs of the load balancer while %s", st.ByRoute[rLBGet], state)
			}
			t.Logf("create with the load balancer %s: %v", state, st.ByRoute)
			e.checkGated(*gated)
			if r := e.touchableListeners()["edge/HTTPS:8443"]; r.ID != id {
				t.Errorf("Read finds %q, want the created %s", r.ID, id)
			}
		})
	}
	t.Run("lost answer adopted by protocol and port", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, listenerSeed())
		e.setFaults("POST /publicCloud/v1/loadBalancers/*/listeners 500 after-apply x1")
		id, err := e.ls.Create(e.ctx, providers.NoGate, lsOp("edge/HTTPS:8443", "", httpsAfter(idTGWeb)))
		if err != nil || id == "" || id == idHTTPS {
			t.Fatalf("Create = %q, %v; want the new listener adopted", id, err)
		}
		if st := e.srv.Stats(); st.ByRoute[rLCreate] != 1 || st.ByRoute[rLList] != 2 {
			t.Errorf("requests %v, want one POST and two listener lists (before and after it)", st.ByRoute)
		}
	})
	t.Run("stopped load balancer", func(t *testing.T) {
		doc := listenerSeed()
		doc.LoadBalancers[0].State = "STOPPED"
		e := newLBEnv(t, sandbox.Options{Delay: -1}, doc)
		if _, err := e.ls.Create(e.ctx, providers.NoGate, lsOp("edge/HTTPS:8443", "", httpsAfter(idTGWeb))); err == nil {
			t.Fatal("Create on a STOPPED load balancer succeeded")
		}
		if st := e.srv.Stats(); st.ByRoute[rLCreate] != 0 {
			t.Errorf("requests %v, want no POST", st.ByRoute)
		}
	})
}

func TestListenersUpdate(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, listenerSeed())
	live := e.touchableListeners()["edge/HTTPS:443"]
	newKey := "-----BEGIN PRIVATE KEY-----\nMIIEnew\n-----END PRIVATE KEY-----\n"
	after := httpsAfter(idTGWeb)
	after["port"] = int64(443)
	after["certificate"].(map[string]any)["privateKey"] = model.NewSecret(newKey, "env:EDGE_TLS_KEY")
	e.resetCounters()
	gate, gated := e.recordingGate()
	op := lsOp(live.Addr.Name, live.ID, after, "certificate.privateKey", "targetGroup")
	op.Before = live.Attrs

	if err := e.ls.Update(e.ctx, gate, op); err != nil {
		t.Fatalf("Update: %v", err)
	}

	want := []any{map[string]any{"defaultRule": map[string]any{"targetGroupId": idTGWeb},
		"certificate": map[string]any{"certificate": pemCert, "privateKey": newKey}}}
	if diff := cmp.Diff(want, e.bodies(http.MethodPut, "")); diff != "" {
		t.Errorf("PUT body (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{rLPut: 1}, e.srv.Stats().ByRoute); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	e.checkGated(*gated)
	now := e.touchableListeners()["edge/HTTPS:443"]
	if now.Attrs["targetGroup"] != idTGWeb || !cmp.Equal(now.Attrs["certificate"].(map[string]any)["privateKey"], model.NewSecret(newKey, "")) {
		t.Errorf("after Update: %v", model.Format(now.Attrs))
	}
}

func TestListenersDelete(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, listenerSeed())
	before := model.Object{"loadBalancer": idEdge, "protocol": "HTTP", "port": int64(80)}
	gate, gated := e.recordingGate()
	for _, op := range []providers.Op{
		{ID: idHTTP, Before: before},                              // pruned: no After
		{ID: idHTTP, Before: before},                              // already gone
		{ID: idHTTP, After: model.Object{"loadBalancer": idNone}}, // its load balancer is gone
	} {
		if err := e.ls.Delete(e.ctx, gate, op); err != nil {
			t.Errorf("Delete: %v", err)
		}
	}
	st := e.srv.Stats()
	if st.ByRoute[rLDelete] != 3 || st.ByStatus[http.StatusNoContent] != 1 || st.ByStatus[http.StatusNotFound] != 2 {
		t.Errorf("requests %v statuses %v, want a 204 and two 404s", st.ByRoute, st.ByStatus)
	}
	e.checkGated(*gated)
	if _, ok := e.touchableListeners()["edge/HTTP:80"]; ok {
		t.Error("the listener is still there")
	}
}

// TestListenersSchema pins what the diff relies on.
func TestListenersSchema(t *testing.T) {
	want := model.KindSchema{Kind: "listener", Immutable: []string{"loadBalancer", "protocol", "port"},
		Sensitive: []string{"certificate.privateKey", "certificate.certificate", "certificate.chain"}}
	if diff := cmp.Diff(want, (&listeners{}).Schema()); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}
