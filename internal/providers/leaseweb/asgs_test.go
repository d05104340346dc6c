package leaseweb

/*
Tests of the auto scaling group kind against the real emulator, every
exchange checked against the OpenAPI document (see
balancing_helpers_test.go).
*/

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// asgSeed is three target groups and two auto scaling groups: workers,
// linked to web and api (in that order), and batch, linked to none; plus
// one being destroyed and one destroyed.
func asgSeed() sbDoc {
	return sbDoc{
		TargetGroups: []sbTG{{ID: idTGWeb, Name: "web", Region: "eu-west-3"}, {ID: idTGAPI, Name: "api", Region: "eu-west-3"},
			{ID: idTGOld, Name: "old", Region: "eu-west-3"}},
		AutoScalingGroups: []sbScaling{
			{ID: sbASG, Reference: "workers", Region: "eu-west-3", TargetGroupIDs: []string{idTGWeb, idTGAPI}},
			{ID: idASG2, Reference: "batch", Region: "eu-west-3"},
			{Reference: "shrinking", Region: "eu-west-3", State: "DESTROYING"},
			{Reference: "gone", Region: "eu-west-3", State: "DESTROYED"},
		},
	}
}

func TestAutoScalingGroupsRead(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())

	got := readAll(t, e.asgs)

	want := map[string]model.Resource{
		"workers": {Addr: model.Address{Kind: "autoScalingGroup", Name: "workers"}, ID: sbASG,
			Attrs: model.Object{"targetGroups": []any{idTGWeb, idTGAPI}}},
		"batch": {Addr: model.Address{Kind: "autoScalingGroup", Name: "batch"}, ID: idASG2,
			Attrs: model.Object{"targetGroups": []any{}}},
		"shrinking": {Addr: model.Address{Kind: "autoScalingGroup", Name: "shrinking"}, ID: got["shrinking"].ID,
			Attrs: model.Object{"targetGroups": []any{}}, Untouchable: "being destroyed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	// One list, then the details of each group not destroyed: list items
	// have no target groups.
	if diff := cmp.Diff(map[string]int{rASGList: 1, rASGGet: 3}, e.srv.Stats().ByRoute); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}

	e.resetCounters()
	one, err := e.asgs.ReadOne(e.ctx, sbASG)
	if err != nil || one == nil {
		t.Fatalf("ReadOne = %v, %v", one, err)
	}
	if diff := cmp.Diff(got["workers"], *one); diff != "" {
		t.Errorf("ReadOne differs from Read (-Read +ReadOne):\n%s", diff)
	}
	if st := e.srv.Stats(); st.Total != 1 || st.ByRoute[rASGGet] != 1 {
		t.Errorf("ReadOne sent %v, want one GET", st.ByRoute)
	}
	if one, err := e.asgs.ReadOne(e.ctx, idNone); one != nil || err != nil {
		t.Errorf("ReadOne of an unknown id = %v, %v", one, err)
	}
}

// TestAutoScalingGroupsCheck: lswctl adopts groups only; creating or
// deleting one is refused at plan time, and by Create and Delete.
func TestAutoScalingGroupsCheck(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())
	op := providers.Op{Addr: model.Address{Kind: "autoScalingGroup", Name: "wrokers"},
		After: model.Object{"targetGroups": []any{idTGWeb}}}
	create := []string{`auto scaling group "wrokers" does not exist`, "lswctl adopts existing groups",
		"create it in the Leaseweb Customer Portal or fix the name"}

	checkASGError(t, e.asgs.Check(e.ctx, "create", op), create...)
	checkASGError(t, e.asgs.Check(e.ctx, "delete", op), "lswctl does not delete auto scaling groups")
	checkASGError(t, e.asgs.Check(e.ctx, "replace", op), "lswctl does not delete auto scaling groups")
	if err := e.asgs.Check(e.ctx, "update", op); err != nil {
		t.Errorf("Check(update) = %v", err)
	}
	_, err := e.asgs.Create(e.ctx, providers.NoGate, op)
	checkASGError(t, err, create...)
	checkASGError(t, e.asgs.Delete(e.ctx, providers.NoGate, op), "lswctl does not delete auto scaling groups")
	if st := e.srv.Stats(); st.Total != 0 {
		t.Errorf("sent %v, want nothing", st.ByRoute)
	}
}

// checkASGError fails unless err is a FieldError on the whole object
// whose message has every want.
func checkASGError(t *testing.T, err error, want ...string) {
	t.Helper()
	var fe *providers.FieldError
	if !errors.As(err, &fe) || fe.Path != "" {
		t.Fatalf("error %v (%T), want a *providers.FieldError on the whole object", err, err)
	}
	for _, w := range want {
		if !strings.Contains(fe.Msg, w) {
			t.Errorf("message %q does not contain %q", fe.Msg, w)
		}
	}
}

func TestAutoScalingGroupsUpdate(t *testing.T) {
	t.Run("set difference, one call per target group", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())
		gate, gated := e.recordingGate()
		op := providers.Op{Addr: model.Address{Kind: "autoScalingGroup", Name: "workers"}, ID: sbASG,
			Before:  model.Object{"targetGroups": []any{idTGAPI, idTGWeb}},
			After:   model.Object{"targetGroups": []any{idTGOld, idTGAPI}},
			Changed: []string{"targetGroups"}}

		if err := e.asgs.Update(e.ctx, gate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}

		if diff := cmp.Diff([]any{map[string]any{"targetGroupId": idTGOld}}, e.bodies(http.MethodPost, "/registerTargetGroup")); diff != "" {
			t.Errorf("register bodies (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]any{map[string]any{"targetGroupId": idTGWeb}}, e.bodies(http.MethodPost, "/deregisterTargetGroup")); diff != "" {
			t.Errorf("deregister bodies (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]int{rASGGet: 1, rASGReg: 1, rASGDereg: 1}, e.srv.Stats().ByRoute); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		e.checkGated(*gated)
		if r, _ := e.asgs.ReadOne(e.ctx, sbASG); !cmp.Equal(r.Attrs["targetGroups"], idList([]string{idTGOld, idTGAPI})) {
			t.Errorf("target groups after Update: %v", r.Attrs["targetGroups"])
		}
	})

	t.Run("against a fresh read, not the plan", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())
		op := providers.Op{ID: sbASG, Before: model.Object{"targetGroups": []any{}}, // stale
			After: model.Object{"targetGroups": []any{idTGWeb}}, Changed: []string{"targetGroups"}}
		if err := e.asgs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Fatalf("Update: %v", err)
		}
		if diff := cmp.Diff(map[string]int{rASGGet: 1, rASGDereg: 1}, e.srv.Stats().ByRoute); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
	})

	t.Run("a link that landed before its answer was lost", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())
		e.setFaults("POST /publicCloud/v1/autoScalingGroups/*/registerTargetGroup 500 after-apply x1")
		op := providers.Op{ID: idASG2, After: model.Object{"targetGroups": []any{idTGWeb}}, Changed: []string{"targetGroups"}}
		if err := e.asgs.Update(e.ctx, providers.NoGate, op); err != nil {
			t.Errorf("Update failed although the link was made: %v", err)
		}
		if st := e.srv.Stats(); st.ByRoute[rASGReg] != 1 || st.ByRoute[rASGGet] != 2 {
			t.Errorf("requests %v, want one register (not repeated) and a re-read", st.ByRoute)
		}
	})

	t.Run("refused", func(t *testing.T) {
		e := newLBEnv(t, sandbox.Options{Delay: -1}, asgSeed())
		op := providers.Op{ID: idASG2, After: model.Object{"targetGroups": []any{idNone}}, Changed: []string{"targetGroups"}}
		if err := e.asgs.Update(e.ctx, providers.NoGate, op); StatusOf(err) != http.StatusBadRequest {
			t.Errorf("Update = %v, want the 400", err)
		}
	})
}
