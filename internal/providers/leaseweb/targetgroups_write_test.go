package leaseweb

/*
Tests of target group writes against the real emulator, every exchange
checked against the OpenAPI document (see balancing_helpers_test.go).
*/

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// tgOp is the op of the target group called name with desired attributes.
func tgOp(name, id string, after model.Object, changed ...string) providers.Op {
	return providers.Op{Addr: model.Address{Kind: "targetGroup", Name: name}, ID: id, After: after, Changed: changed}
}

// tgAfter is a group on HTTP port 80 in eu-west-3, with extra merged in.
func tgAfter(extra model.Object) model.Object {
	a := model.Object{"region": "eu-west-3", "protocol": "HTTP", "port": int64(80)}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// targetsOf reads a group's targets, bypassing the kind's conversion.
func (e *lbEnv) targetsOf(id string) []string {
	e.t.Helper()
	ids, err := e.tgs.targets(e.ctx, id)
	if err != nil {
		e.t.Fatalf("targets of %s: %v", id, err)
	}
	slices.Sort(ids)
	return ids
}

func TestTargetGroupsCreate(t *testing.T) {
	hc := map[string]any{"protocol": "HTTP", "method": "GET", "uri": "/healthz", "port": int64(8080)}
	tests := []struct {
		name      string
		after     model.Object
		wantBody  map[string]any
		wantRoute map[string]int
		wantReg   []any
	}{
		{
			name:  "bare",
			after: tgAfter(nil),
			wantBody: map[string]any{"name": "bare", "region": "eu-west-3", "protocol": "HTTP",
				"port": float64(80)},
			wantRoute: map[string]int{rTGList: 2, rTGCreate: 1, rTargets: 1},
		},
		{
			name:  "health check and targets",
			after: tgAfter(model.Object{"healthCheck": hc, "targets": []any{idWeb1, idWeb2}}),
			wantBody: map[string]any{"name": "health check and targets", "region": "eu-west-3", "protocol": "HTTP",
				"port": float64(80), "healthCheck": map[string]any{"protocol": "HTTP", "method": "GET",
					"uri": "/healthz", "port": float64(8080)}},
			wantRoute: map[string]int{rTGList: 2, rTGCreate: 1, rTargets: 1, rRegister: 1},
			wantReg:   []any{idWeb1, idWeb2},
		},
		{
			name:  "tcp check without method, empty targets",
			after: model.Object{"region": "eu-west-3", "protocol": "TCP", "port": int64(443), "targets": []any{}, "healthCheck": map[string]any{"protocol": "TCP", "uri": "/", "port": int64(443), "host": "db.example"}},
			wantBody: map[string]any{"name": "tcp check without method, empty targets", "region": "eu-west-3",
				"protocol": "TCP", "port": float64(443), "healthCheck": map[string]any{"protocol": "TCP",
					"uri": "/", "host": "db.example", "port": float64(443)}},
			wantRoute: map[string]int{rTGList: 2, rTGCreate: 1, rTargets: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLBEnv(t, sandbox.Options{Delay: 200 * time.Millisecond}, tgSeed())
			gate, gated := e.recordingGate()

			id, err := e.tgs.Create(e.ctx, gate, tgOp(tt.name, "", tt.after))
			if err != nil {
				t.Fatalf("Create: %v", err)
			}

			if diff := cmp.Diff([]any{tt.wantBody}, e.bodies(http.MethodPost, targetGroupsPath)); diff != "" {
				t.Errorf("POST body (-want +got):\n%s", diff)
			}
			if tt.wantReg != nil {
				if diff := cmp.Diff([]any{tt.wantReg}, e.bodies(http.MethodPost, "/registerTargets")); diff != "" {
					t.Errorf("registerTargets body (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.wantRoute, e.srv.Stats().ByRoute); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			e.checkGated(*gated)
			r, err := e.tgs.ReadOne(e.ctx, id)
			if err != nil || r == nil || r.Addr.Name != tt.name {
				t.Fatalf("ReadOne after Create = %v, %v", r, err)
			}
			if got := r.Attrs["targets"]; !cmp.Equal(got, idList(attrs(tt.after).strs("targets"))) {
				t.Errorf("targets after Create = %v", got)
			}
		})
	}
}

// TestTargetGroupsCreateAdoptsLostCreate: a POST that landed but whose
// answer was lost is adopted by name and region (never a group of that
// name in another region), a POST refused before it did anything is
// repeated, and a replacement that creates before it destroys never adopts
// the old group, which has the same key.
func TestTargetGroupsCreateAdoptsLostCreate(t *testing.T) {
	doc := tgSeed()
	doc.TargetGroups = append(doc.TargetGroups, sbTG{Name: "fresh", Region: "us-east-1"})
	tests := []struct {
		name, group        string
		replace            bool // op.Before set: the old group exists with this key
		fault              string
		wantPosts, wantGet int
	}{
		{name: "create", group: "fresh", fault: "500 after-apply x1", wantPosts: 1, wantGet: 3},
		{name: "create, connection dropped", group: "fresh", fault: "drop after-apply x1", wantPosts: 1, wantGet: 3},
		{name: "create before destroy", group: "web", replace: true, fault: "500 after-apply x1", wantPosts: 1, wantGet: 3},
		{name: "create refused", group: "fresh", fault: "500 x1", wantPosts: 2, wantGet: 4},
		{name: "create before destroy refused", group: "web", replace: true, fault: "500 x1", wantPosts: 2, wantGet: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLBEnv(t, sandbox.Options{Delay: -1}, doc)
			e.setFaults("POST /publicCloud/v1/targetGroups " + tt.fault)
			op := tgOp(tt.group, "", tgAfter(model.Object{"targets": []any{idWeb3}}))
			if tt.replace {
				op.Before = tgAfter(model.Object{"targets": []any{idWeb1, idWeb2}})
			}

			id, err := e.tgs.Create(e.ctx, providers.NoGate, op)

			st := e.srv.Stats()
			if st.ByRoute[rTGCreate] != tt.wantPosts || st.ByRoute[rTGList] != tt.wantGet {
				t.Errorf("requests %v: want %d POSTs and %d name lookups", st.ByRoute, tt.wantPosts, tt.wantGet)
			}
			for _, q := range e.rec.matching(http.MethodGet, targetGroupsPath) {
				if q.Query.Get("name") != tt.group || q.Query.Get("region") != "eu-west-3" {
					t.Errorf("lookup query %v, want name=%s and region=eu-west-3", q.Query, tt.group)
				}
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if id == "" || id == idTGWeb || id == idTGOld {
				t.Fatalf("Create adopted %q, want the group the POST made", id)
			}
			r, _ := e.tgs.ReadOne(e.ctx, id)
			if r == nil || r.Addr.Name != tt.group || r.Attrs["region"] != "eu-west-3" {
				t.Errorf("adopted %v, want %s in eu-west-3", r, tt.group)
			}
			if got := e.targetsOf(id); !slices.Equal(got, []string{idWeb3}) {
				t.Errorf("targets of the adopted group = %v, want web-3", got)
			}
		})
	}
}

func TestTargetGroupsUpdate(t *testing.T) {
	live := tgAfter(model.Object{"healthCheck": map[string]any{"protocol": "TCP", "uri": "/", "host": "api.example", "port": int64(443)}})
	t.Run("port and health check in one PUT, live host kept", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
		gate, gated := e.recordingGate()
		op := tgOp("api", idTGAPI, model.Object{"region": "eu-west-3", "protocol": "TCP", "port": int64(8443),
			"healthCheck": map[string]any{"protocol": "TCP", "uri": "/ping", "port": int64(8443)}},
			"port", "healthCheck.uri", "healthCheck.port")
		op.Before = live

		if err := e.tgs.Update(e.ctx, gate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}

		want := []any{map[string]any{"port": float64(8443), "healthCheck": map[string]any{"protocol": "TCP",
			"uri": "/ping", "host": "api.example", "port": float64(8443)}}}
		if diff := cmp.Diff(want, e.bodies(http.MethodPut, "")); diff != "" {
			t.Errorf("PUT body (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]int{rTGPut: 1}, e.srv.Stats().ByRoute); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		e.checkGated(*gated)
	})

	t.Run("targets as a set, retried while locked", func(t *testing.T) {
		// Delay 200ms: each change locks the group for 100ms, so the
		// deregister right after the register is answered 423 first.
		e := newLBEnv(t, sandbox.Options{Delay: 200 * time.Millisecond}, tgSeed())
		gate, gated := e.recordingGate()
		op := tgOp("web", idTGWeb, tgAfter(model.Object{"targets": []any{idWeb3, idWeb2}}), "targets")
		op.Before = tgAfter(model.Object{"targets": []any{idWeb1, idWeb2}})

		if err := e.tgs.Update(e.ctx, gate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}

		st := e.srv.Stats()
		if got := e.targetsOf(idTGWeb); !slices.Equal(got, []string{idWeb2, idWeb3}) {
			t.Errorf("targets = %v, want web-2 and web-3", got)
		}
		regs, deregs := e.bodies(http.MethodPost, "/registerTargets"), e.bodies(http.MethodPost, "/deregisterTargets")
		if len(regs) != 1 || !cmp.Equal(regs[0], []any{idWeb3}) {
			t.Errorf("registerTargets bodies %v, want one [web-3]", regs)
		}
		if len(deregs) < 2 || !cmp.Equal(deregs[len(deregs)-1], []any{idWeb1}) {
			t.Errorf("deregisterTargets bodies %v, want [web-1] after at least one 423", deregs)
		}
		if st.ByStatus[http.StatusLocked] != len(deregs)-1 || st.ByRoute[rTargets] != 1 || st.ByRoute[rTGPut] != 0 {
			t.Errorf("requests %v statuses %v: want one target read, 423s only before the last deregister", st.ByRoute, st.ByStatus)
		}
		t.Logf("targets update requests: %v statuses %v", st.ByRoute, st.ByStatus)
		e.checkGated(*gated)
	})

	t.Run("a replaced instance that already left the group", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: 20 * time.Millisecond}, tgSeed())
		// web-1 is replaced: the old instance is destroyed (and leaves
		// the group) before the group's update runs.
		if err := e.kind.Delete(e.ctx, providers.NoGate, providers.Op{ID: idWeb1, Before: sbAfter(nil)}); err != nil {
			t.Fatalf("destroying web-1: %v", err)
		}
		e.resetCounters()
		op := tgOp("web", idTGWeb, tgAfter(model.Object{"targets": []any{idWeb3, idWeb2}}), "targets")
		op.Before = tgAfter(model.Object{"targets": []any{idWeb1, idWeb2}}) // as planned

		if err := e.tgs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}

		st := e.srv.Stats()
		if diff := cmp.Diff(map[string]int{rTargets: 1, rRegister: 1}, st.ByRoute); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		if got := e.targetsOf(idTGWeb); !slices.Equal(got, []string{idWeb2, idWeb3}) {
			t.Errorf("targets = %v, want web-2 and web-3", got)
		}
	})

	t.Run("a deregister that landed before its answer was lost", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
		e.setFaults("POST /publicCloud/v1/targetGroups/*/deregisterTargets 500 after-apply x1")
		op := tgOp("web", idTGWeb, tgAfter(model.Object{"targets": []any{idWeb2}}), "targets")

		if err := e.tgs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Errorf("Update failed although web-1 was deregistered: %v", err)
		}
		if st := e.srv.Stats(); st.ByRoute[rDeregister] != 1 || st.ByRoute[rTargets] != 2 {
			t.Errorf("requests %v: want one deregister (not repeated) and a re-read", st.ByRoute)
		}
	})

	t.Run("a deregister that failed before it landed is sent again", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
		e.setFaults("POST /publicCloud/v1/targetGroups/*/deregisterTargets drop x1")
		op := tgOp("web", idTGWeb, tgAfter(model.Object{"targets": []any{idWeb2}}), "targets")

		if err := e.tgs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Errorf("Update failed on a dropped deregister that a re-read shows did not land: %v", err)
		}
		if st := e.srv.Stats(); st.ByRoute[rDeregister] != 2 {
			t.Errorf("requests %v: want the deregister sent again after the re-read", st.ByRoute)
		}
		if got := e.targetsOf(idTGWeb); !slices.Equal(got, []string{idWeb2}) {
			t.Errorf("targets = %v, want web-2 only", got)
		}
	})

	t.Run("locked for good", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
		e.setFaults("POST /publicCloud/v1/targetGroups/*/registerTargets 423")
		op := tgOp("web", idTGWeb, tgAfter(model.Object{"targets": []any{idWeb1, idWeb2, idWeb3}}), "targets")

		err := e.tgs.Update(e.ctx, providers.NoGate, op)

		if StatusOf(err) != http.StatusLocked || !strings.Contains(err.Error(), "still locked after 10 attempts") {
			t.Errorf("Update error %v, want the 423 after 10 attempts", err)
		}
		if n := e.srv.Stats().ByRoute[rRegister]; n != lockTries {
			t.Errorf("%d register attempts, want %d", n, lockTries)
		}
	})
}

func TestTargetGroupsDelete(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
	gate, gated := e.recordingGate()

	if err := e.tgs.Delete(e.ctx, gate, tgOp("web", idTGWeb, nil)); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := e.tgs.Delete(e.ctx, gate, tgOp("web", idTGWeb, nil)); err != nil {
		t.Fatalf("Delete of a group already gone: %v", err)
	}

	st := e.srv.Stats()
	if st.ByRoute[rTGDelete] != 2 || st.ByStatus[http.StatusNoContent] != 1 || st.ByStatus[http.StatusNotFound] != 1 {
		t.Errorf("requests %v statuses %v, want a 204 then a 404", st.ByRoute, st.ByStatus)
	}
	e.checkGated(*gated)
	if r, err := e.tgs.ReadOne(e.ctx, idTGWeb); r != nil || err != nil {
		t.Errorf("ReadOne after Delete = %v, %v", r, err)
	}
}
