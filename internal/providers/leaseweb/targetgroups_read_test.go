package leaseweb

/*
Tests of the target group kind against the real emulator, every exchange
checked against the OpenAPI document (see balancing_helpers_test.go).
Request counts come from the sandbox's Stats.
*/

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// tgSeed is two instances, a group "web" with both as targets and an HTTP
// check, a group "api" with a TCP check and a host, and a bare group "web"
// in another region.
func tgSeed() sbDoc {
	return sbDoc{
		Instances: []sbInstance{sbWebID(idWeb1, "web-1"), sbWebID(idWeb2, "web-2"), sbWebID(idWeb3, "web-3")},
		TargetGroups: []sbTG{
			{ID: idTGWeb, Name: "web", Region: "eu-west-3", Protocol: "HTTP", Port: 80,
				HealthCheck: &sbHC{Protocol: "HTTP", Method: "GET", URI: "/healthz", Port: 80},
				Targets:     []string{idWeb2, idWeb1}},
			{ID: idTGAPI, Name: "api", Region: "eu-west-3", Protocol: "TCP", Port: 443,
				HealthCheck: &sbHC{Protocol: "TCP", URI: "/", Host: "api.example", Port: 443}},
			{ID: idTGOld, Name: "web", Region: "us-east-1", Protocol: "HTTPS", Port: 8443},
		},
	}
}

func TestTargetGroupsRead(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())

	list, err := e.tgs.Read(e.ctx)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}

	byID := map[string]model.Resource{}
	for _, r := range list {
		byID[r.ID] = r
	}
	want := map[string]model.Resource{
		idTGWeb: {Addr: model.Address{Kind: "targetGroup", Name: "web"}, ID: idTGWeb, Attrs: model.Object{
			"region": "eu-west-3", "protocol": "HTTP", "port": int64(80),
			// No host: the API returns it null, and a declaration
			// without one must compare equal.
			"healthCheck": map[string]any{"protocol": "HTTP", "method": "GET", "uri": "/healthz", "port": int64(80)},
			"targets":     []any{idWeb1, idWeb2}, // sorted, whatever the registration order
		}},
		idTGAPI: {Addr: model.Address{Kind: "targetGroup", Name: "api"}, ID: idTGAPI, Attrs: model.Object{
			"region": "eu-west-3", "protocol": "TCP", "port": int64(443),
			"healthCheck": map[string]any{"protocol": "TCP", "uri": "/", "host": "api.example", "port": int64(443)},
			"targets":     []any{},
		}},
		idTGOld: {Addr: model.Address{Kind: "targetGroup", Name: "web"}, ID: idTGOld, Attrs: model.Object{
			"region": "us-east-1", "protocol": "HTTPS", "port": int64(8443), "healthCheck": nil, "targets": []any{},
		}},
	}
	if diff := cmp.Diff(want, byID); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	st := e.srv.Stats()
	if diff := cmp.Diff(map[string]int{rTGList: 1, rTargets: 3}, st.ByRoute); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestTargetGroupsReadPaging: every group once, whatever the pages, and
// the cost: ceil(N/10) list pages plus one target list per group.
func TestTargetGroupsReadPaging(t *testing.T) {
	for _, n := range []int{0, 1, 10, 11, 23} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var doc sbDoc
			for i := range n {
				doc.TargetGroups = append(doc.TargetGroups, sbTG{Name: fmt.Sprintf("tg-%02d", i), Region: "eu-west-3"})
			}
			e := newLBEnv(t, sandbox.Options{Delay: -1}, doc)

			got := readAll(t, e.tgs)

			if len(got) != n {
				t.Errorf("Read returned %d groups, want %d: %v", len(got), n, slices.Sorted(maps.Keys(got)))
			}
			st := e.srv.Stats()
			pages := max(1, (n+9)/10)
			if st.ByRoute[rTGList] != pages || st.ByRoute[rTargets] != n || st.Total != pages+n {
				t.Errorf("requests %v, want %d list pages and %d target lists", st.ByRoute, pages, n)
			}
			if st.MaxInFlight > readLimit+1 {
				t.Errorf("%d requests at once, want at most %d", st.MaxInFlight, readLimit+1)
			}
		})
	}
}

func TestTargetGroupsReadOne(t *testing.T) {
	e := newLBEnv(t, sandbox.Options{Delay: -1}, tgSeed())
	list, err := e.tgs.Read(e.ctx)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var want model.Resource
	for _, r := range list {
		if r.ID == idTGWeb {
			want = r
		}
	}
	e.resetCounters()

	got, err := e.tgs.ReadOne(e.ctx, idTGWeb)
	if err != nil || got == nil {
		t.Fatalf("ReadOne = %v, %v", got, err)
	}
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("ReadOne differs from Read (-Read +ReadOne):\n%s", diff)
	}
	if st := e.srv.Stats(); st.Total != 2 || st.ByRoute[rTGGet] != 1 || st.ByRoute[rTargets] != 1 {
		t.Errorf("ReadOne sent %v, want one GET and one target list", st.ByRoute)
	}
	if got, err := e.tgs.ReadOne(e.ctx, idNone); got != nil || err != nil {
		t.Errorf("ReadOne of an unknown id = %v, %v; want nil, nil", got, err)
	}
	e.setFaults("GET /publicCloud/v1/targetGroups/* 403")
	if got, err := e.tgs.ReadOne(e.ctx, idTGWeb); got != nil || StatusOf(err) != http.StatusForbidden {
		t.Errorf("ReadOne under a 403 = %v, %v; want the 403", got, err)
	}
}

// TestTargetGroupsSchema pins what the diff relies on.
func TestTargetGroupsSchema(t *testing.T) {
	s := (&targetGroups{}).Schema()
	want := model.KindSchema{Kind: "targetGroup", Plural: "targetGroups", KeyAttrs: []string{"region"},
		Immutable: []string{"region", "protocol"}, ReplaceOnRemove: []string{"healthCheck"},
		Sets: []string{"targets"}, CreateBeforeDestroy: true}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}
