package sandbox_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestUpdate(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	id := e.launchRunning("web-1")
	path := "/publicCloud/v1/instances/" + id
	r := e.do("PUT", path, map[string]any{"reference": "web-2", "type": "lsw.m5a.xlarge", "rootDiskSize": 60})
	wantStatus(t, r, http.StatusOK)
	in := r.object(t)
	mem := in["resources"].(map[string]any)["memory"].(map[string]any)["value"]
	if in["reference"] != "web-2" || in["type"] != "lsw.m5a.xlarge" || in["rootDiskSize"] != 60.0 || mem != 16.0 {
		t.Errorf("after update: %v %v %v memory %v", in["reference"], in["type"], in["rootDiskSize"], mem)
	}
	r = e.do("PUT", path, map[string]any{"contractType": "MONTHLY", "contractTerm": 1, "billingFrequency": 3})
	wantStatus(t, r, http.StatusOK)
	c := r.object(t)["contract"].(map[string]any)
	if c["type"] != "MONTHLY" || c["term"] != 1.0 || c["billingFrequency"] != 3.0 || c["id"] == "" || c["state"] != "ACTIVE" {
		t.Errorf("contract after HOURLY→MONTHLY: %v", c)
	}
	if got := e.instance(id)["reference"]; got != "web-2" {
		t.Errorf("GET after PUT: reference %v", got)
	}
	// The current type is accepted as a no-op although instanceTypesUpdate leaves it out.
	wantStatus(t, e.do("PUT", path, map[string]any{"type": "lsw.m5a.xlarge"}), http.StatusOK)
}

func TestUpdateValidation(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	id := e.launchRunning("web-1")
	path := "/publicCloud/v1/instances/" + id
	body := map[string]any{"type": "lsw.m5a.xlarge", "rootDiskSize": 60, "contractType": "MONTHLY", "contractTerm": 1}
	wantStatus(t, e.do("PUT", path, body), http.StatusOK)

	tests := []struct {
		name      string
		body      any
		field     string
		violation string
	}{
		{"type not eligible (less memory)", map[string]any{"type": "lsw.c5.large"}, "type", ""},
		{"type not offered in region", map[string]any{"type": "lsw.g6.xlarge"}, "type", ""},
		{"disk shrinks", map[string]any{"rootDiskSize": 55}, "rootDiskSize", ""},
		{"disk out of range", map[string]any{"rootDiskSize": 2000}, "rootDiskSize", "/rootDiskSize"},
		{"monthly to hourly", map[string]any{"contractType": "HOURLY"}, "contractType", ""},
		{"monthly term 0", map[string]any{"contractTerm": 0}, "contractTerm", ""},
		{"bad billing frequency", map[string]any{"billingFrequency": 5}, "billingFrequency", "/billingFrequency"},
		{"malformed", `{"reference":`, "", "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("PUT", path, tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantStatus(t, r, http.StatusBadRequest)
			d := errorDetails(t, r)
			if tt.field != "" && d[tt.field] == nil {
				t.Errorf("errorDetails %v lacks %s", d, tt.field)
			}
		})
	}
	e.t = t

	hourly := e.launchRunning("h")
	r := e.do("PUT", "/publicCloud/v1/instances/"+hourly, map[string]any{"contractType": "MONTHLY"})
	wantStatus(t, r, http.StatusBadRequest)
	if d := errorDetails(t, r); d["contractTerm"] == nil {
		t.Errorf("HOURLY→MONTHLY without a term: %s", r.body)
	}
	r = e.do("PUT", "/publicCloud/v1/instances/"+hourly, map[string]any{"contractTerm": 12})
	wantStatus(t, r, http.StatusBadRequest)

	creating := e.launch(launchBody("new"))
	r = e.do("PUT", "/publicCloud/v1/instances/"+creating, map[string]any{"reference": "x"})
	wantStatus(t, r, http.StatusBadRequest)
	if got := e.instance(creating)["reference"]; got != "new" {
		t.Errorf("a refused update changed the reference to %v", got)
	}
}

func TestInstanceTypesUpdate(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var all typesPage
	e.do("GET", "/publicCloud/v1/instanceTypes?region=eu-west-3", nil).decode(t, &all)
	memory := map[string]float64{}
	storage := map[string][]string{}
	for _, it := range all.InstanceTypes {
		memory[it.Name], storage[it.Name] = it.Resources.Memory.Value, it.StorageTypes
	}
	for _, st := range []string{"CENTRAL", "LOCAL"} {
		body := launchBody("x")
		body["rootDiskStorageType"] = st
		id := e.launch(body)
		var p typesPage
		r := e.do("GET", "/publicCloud/v1/instances/"+id+"/instanceTypesUpdate", nil)
		wantStatus(t, r, http.StatusOK)
		r.decode(t, &p)
		var want []string
		for _, it := range all.InstanceTypes {
			if it.Name != "lsw.m5a.large" && memory[it.Name] >= memory["lsw.m5a.large"] && slices.Contains(storage[it.Name], st) {
				want = append(want, it.Name)
			}
		}
		if !slices.Equal(p.names(), want) || p.Meta.Limit != 50 || p.Meta.TotalCount != len(want) {
			t.Errorf("%s: %v %+v, want %v", st, p.names(), p.Meta, want)
		}
		if st == "CENTRAL" && !slices.Contains(p.names(), "lsw.m3.xlarge") || st == "LOCAL" && slices.Contains(p.names(), "lsw.m3.xlarge") {
			t.Errorf("%s: m3 (CENTRAL only) wrongly handled: %v", st, p.names())
		}
	}
}

func TestPowerActions(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	id := e.launch(launchBody("web"))
	act := func(action string, status int) {
		t.Helper()
		r := e.do("POST", "/publicCloud/v1/instances/"+id+"/"+action, nil)
		wantStatus(t, r, status)
		if status == http.StatusAccepted && len(r.body) != 0 {
			t.Errorf("%s: 202 with a body %q", action, r.body)
		}
		if status == http.StatusBadRequest && errorDetails(t, r)["instanceId"] == nil {
			t.Errorf("%s: %s", action, r.body)
		}
	}
	wantState := func(want string) {
		t.Helper()
		if got := e.state(id); got != want {
			t.Fatalf("state %s, want %s", got, want)
		}
	}
	for _, a := range []string{"start", "stop", "reboot"} {
		act(a, http.StatusBadRequest) // CREATING
	}
	e.clock.Advance(2 * time.Second)
	act("start", http.StatusBadRequest) // RUNNING
	act("stop", http.StatusAccepted)
	wantState("STOPPING")
	act("stop", http.StatusBadRequest)
	e.clock.Advance(2 * time.Second)
	wantState("STOPPED")
	act("stop", http.StatusBadRequest)
	act("reboot", http.StatusBadRequest)
	act("start", http.StatusAccepted)
	wantState("STARTING")
	e.clock.Advance(2 * time.Second)
	wantState("RUNNING")
	act("reboot", http.StatusAccepted)
	wantState("STARTING")
	e.clock.Advance(2 * time.Second)
	wantState("RUNNING")
}

func TestTerminateHourly(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	id := e.launch(launchBody("web"))
	path := "/publicCloud/v1/instances/" + id
	wantStatus(t, e.do("DELETE", path, nil), http.StatusBadRequest) // CREATING
	e.clock.Advance(2 * time.Second)
	r := e.do("DELETE", path, nil)
	wantStatus(t, r, http.StatusOK)
	if len(r.body) != 0 {
		t.Errorf("DELETE answered a body: %s", r.body)
	}
	if got := e.state(id); got != "DESTROYING" {
		t.Errorf("state %s, want DESTROYING", got)
	}
	wantStatus(t, e.do("DELETE", path, nil), http.StatusBadRequest) // DESTROYING
	e.clock.Advance(2 * time.Second)
	in := e.instance(id)
	if in["state"] != "DESTROYED" || len(in["ips"].([]any)) != 0 || in["contract"].(map[string]any)["state"] != "INACTIVE" {
		t.Errorf("destroyed instance: state %v ips %v contract %v", in["state"], in["ips"], in["contract"])
	}
	if p := e.list("?state=DESTROYED"); len(p.Instances) != 1 {
		t.Errorf("the DESTROYED instance is not listed")
	}
	wantStatus(t, e.do("DELETE", path, nil), http.StatusBadRequest) // DESTROYED
	e.clock.Advance(20*time.Second - time.Nanosecond)
	wantStatus(t, e.do("GET", path, nil), http.StatusOK)
	e.clock.Advance(time.Nanosecond)
	wantStatus(t, e.do("GET", path, nil), http.StatusNotFound)
	if p := e.list(""); p.Meta.TotalCount != 0 {
		t.Errorf("an expired instance is still listed")
	}
	// An HOURLY instance may give a reason, but it must be a known one.
	other := e.launchRunning("other")
	wantStatus(t, e.do("DELETE", "/publicCloud/v1/instances/"+other, map[string]any{"reasonCode": "BORED"}), http.StatusBadRequest)
	wantStatus(t, e.do("DELETE", "/publicCloud/v1/instances/"+other, map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}), http.StatusOK)
}

func TestTerminateMonthly(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	body := launchBody("db")
	body["contractType"], body["contractTerm"] = "MONTHLY", 12
	id := e.launch(body)
	e.clock.Advance(2 * time.Second)
	path := "/publicCloud/v1/instances/" + id
	for _, tc := range []struct {
		body  any
		field string
	}{
		{nil, "reasonCode"},
		{map[string]any{"reason": "because"}, "reasonCode"},
		{map[string]any{"reasonCode": "CANCEL_OTHER"}, "reason"},
		{map[string]any{"reasonCode": "NOPE"}, "reasonCode"},
	} {
		r := e.do("DELETE", path, tc.body)
		wantStatus(t, r, http.StatusBadRequest)
		if d := errorDetails(t, r); d[tc.field] == nil {
			t.Errorf("DELETE %v: errorDetails %v lacks %s", tc.body, d, tc.field)
		}
	}
	wantStatus(t, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_OTHER", "reason": "moving"}), http.StatusOK)
	in := e.instance(id)
	c := in["contract"].(map[string]any)
	if in["state"] != "RUNNING" || c["state"] != "DELETE_SCHEDULED" || c["endsAt"] != "2026-03-14T09:26:53+00:00" {
		t.Errorf("scheduled: state %v contract %v", in["state"], c)
	}
	if p := e.list("?contractState=DELETE_SCHEDULED"); len(p.Instances) != 1 {
		t.Errorf("contractState filter misses the scheduled instance")
	}
	wantStatus(t, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}), http.StatusBadRequest)
	r := e.do("POST", path+"/cancelTermination", nil)
	wantStatus(t, r, http.StatusNoContent)
	if c := e.instance(id)["contract"].(map[string]any); c["state"] != "ACTIVE" || c["endsAt"] != nil {
		t.Errorf("after cancelTermination: %v", c)
	}
	wantStatus(t, e.do("POST", path+"/cancelTermination", nil), http.StatusBadRequest)

	// Scheduled again, the instance is destroyed when the contract ends.
	wantStatus(t, e.do("DELETE", path, map[string]any{"reasonCode": "CANCEL_HIGH_PRICE"}), http.StatusOK)
	ends := t0.AddDate(1, 0, 0)
	e.clock.Advance(ends.Sub(t0) - 2*time.Second - time.Nanosecond) // just before the end
	if got := e.state(id); got != "RUNNING" {
		t.Errorf("before the contract ends: state %s, want RUNNING", got)
	}
	e.clock.Advance(time.Nanosecond)
	if got := e.state(id); got != "DESTROYING" {
		t.Errorf("when the contract ends: state %s, want DESTROYING", got)
	}
	wantStatus(t, e.do("POST", path+"/cancelTermination", nil), http.StatusBadRequest)
	e.clock.Advance(2 * time.Second)
	if got := e.state(id); got != "DESTROYED" {
		t.Errorf("after the delay: state %s, want DESTROYED", got)
	}
	hourly := e.launchRunning("h")
	wantStatus(t, e.do("POST", "/publicCloud/v1/instances/"+hourly+"/cancelTermination", nil), http.StatusBadRequest)
}
