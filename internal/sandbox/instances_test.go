package sandbox_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestLaunchLifecycle(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	body := launchBody("web-1")
	body["userData"] = "#cloud-config\n"
	r := e.do("POST", "/publicCloud/v1/instances", body)
	wantStatus(t, r, http.StatusCreated)
	in := r.object(t)
	id := in["id"].(string)
	contract := in["contract"].(map[string]any)
	switch {
	case in["state"] != "CREATING":
		t.Errorf("state %v, want CREATING", in["state"])
	case len(in["ips"].([]any)) != 0:
		t.Errorf("ips %v, want []", in["ips"])
	case in["startedAt"] != nil:
		t.Errorf("startedAt %v, want null", in["startedAt"])
	case contract["state"] != "PENDING":
		t.Errorf("contract.state %v, want PENDING", contract["state"])
	case in["reference"] != "web-1" || in["hasUserData"] != true:
		t.Errorf("reference %v hasUserData %v", in["reference"], in["hasUserData"])
	}

	e.clock.Advance(2*time.Second - time.Nanosecond)
	if got := e.state(id); got != "CREATING" {
		t.Fatalf("just before the delay: state %s, want CREATING", got)
	}
	e.clock.Advance(time.Nanosecond)
	in = e.instance(id)
	if in["state"] != "RUNNING" || in["startedAt"] != "2025-03-14T09:26:55+00:00" {
		t.Errorf("after the delay: state %v startedAt %v", in["state"], in["startedAt"])
	}
	if c := in["contract"].(map[string]any); c["state"] != "ACTIVE" || c["id"] != "" || c["endsAt"] != nil {
		t.Errorf("contract %v, want ACTIVE hourly without id and end", c)
	}
	var public, internal string
	for _, ip := range in["ips"].([]any) {
		m := ip.(map[string]any)
		switch m["networkType"] {
		case "PUBLIC":
			public = m["ip"].(string)
		case "INTERNAL":
			internal = m["ip"].(string)
		}
	}
	if !strings.HasPrefix(public, "203.0.113.") || !strings.HasPrefix(internal, "10.32.") {
		t.Errorf("ips public %q internal %q", public, internal)
	}
	r = e.do("GET", "/publicCloud/v1/instances/"+id+"/userData", nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t)["userData"]; got != sealedForm("#cloud-config\n") {
		t.Errorf("userData %q", got)
	}
}

func TestListItemsAreThinnerThanDetails(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.launchRunning("web-1")
	r := e.do("GET", "/publicCloud/v1/instances", nil)
	wantStatus(t, r, http.StatusOK)
	var list struct {
		Instances []map[string]any `json:"instances"`
	}
	r.decode(t, &list)
	if len(list.Instances) != 1 {
		t.Fatalf("%d instances, want 1", len(list.Instances))
	}
	item := list.Instances[0]
	for _, k := range []string{"iso", "privateNetwork", "targetGroups"} {
		if _, ok := item[k]; ok {
			t.Errorf("list item has %q", k)
		}
	}
	if v, ok := item["autoScalingGroup"]; !ok || v != nil {
		t.Errorf("list item autoScalingGroup = %v, %v; want present and null", v, ok)
	}
	if got := keys(item["contract"].(map[string]any)); !slices.Equal(got, []string{"billingFrequency", "term", "type"}) {
		t.Errorf("list item contract keys %v", got)
	}
	for _, ip := range item["ips"].([]any) {
		if _, ok := ip.(map[string]any)["ddos"]; ok {
			t.Errorf("list item ip has ddos")
		}
	}
}

func TestLaunchMonthly(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	body := launchBody("db")
	body["contractType"], body["contractTerm"], body["billingFrequency"] = "MONTHLY", 12, 3
	r := e.do("POST", "/publicCloud/v1/instances", body)
	wantStatus(t, r, http.StatusCreated)
	c := r.object(t)["contract"].(map[string]any)
	if c["type"] != "MONTHLY" || c["term"] != 12.0 || c["billingFrequency"] != 3.0 || len(c["id"].(string)) != 14 {
		t.Errorf("contract %v", c)
	}
	body = launchBody("hourly")
	body["billingFrequency"] = 3 // only meaningful for MONTHLY: ignored
	r = e.do("POST", "/publicCloud/v1/instances", body)
	wantStatus(t, r, http.StatusCreated)
	if c := r.object(t)["contract"].(map[string]any); c["billingFrequency"] != 1.0 || c["term"] != 0.0 {
		t.Errorf("hourly contract %v, want billingFrequency 1 term 0", c)
	}
}

func TestLaunchValidation(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	with := func(kv ...any) map[string]any {
		b := launchBody("x")
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(b, kv[i].(string))
			} else {
				b[kv[i].(string)] = kv[i+1]
			}
		}
		return b
	}
	const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example"
	tests := []struct {
		name      string
		body      any
		fields    []string // errorDetails keys
		violation string   // the request is off-contract too: what the validator says
	}{
		{"all required missing", map[string]any{}, []string{"contractType", "imageId", "region", "rootDiskSize", "rootDiskStorageType", "type"}, "is missing"},
		{"bad region", with("region", "mars-1"), []string{"region"}, "/region"},
		{"unknown type", with("type", "lsw.x9.huge"), []string{"type"}, "/type"},
		{"type not offered in region", with("region", "ap-northeast-1", "type", "lsw.m3.large"), []string{"type"}, ""},
		{"unknown image", with("imageId", "TEMPLEOS_5"), []string{"imageId"}, ""},
		{"disk too small", with("rootDiskSize", 4), []string{"rootDiskSize"}, "/rootDiskSize"},
		{"disk too large", with("rootDiskSize", 1001), []string{"rootDiskSize"}, "/rootDiskSize"},
		{"disk not an integer", with("rootDiskSize", "50"), []string{"rootDiskSize"}, "/rootDiskSize"},
		{"windows needs 50 GB", with("imageId", "WINDOWS_SERVER_2022_STANDARD_64BIT", "rootDiskSize", 40), []string{"rootDiskSize"}, ""},
		{"image minimum", with("imageId", "ALMALINUX_9_64BIT", "rootDiskSize", 8), []string{"rootDiskSize"}, ""},
		{"type minimum", with("type", "lsw.m5a.8xlarge", "rootDiskSize", 10), []string{"rootDiskSize"}, ""},
		{"storage not supported by type", with("type", "lsw.m3.large", "rootDiskStorageType", "LOCAL"), []string{"rootDiskStorageType"}, ""},
		{"storage not supported by image", with("imageId", "FREEBSD_14_64BIT", "rootDiskStorageType", "LOCAL"), []string{"rootDiskStorageType"}, ""},
		{"bad storage type", with("rootDiskStorageType", "SSD"), []string{"rootDiskStorageType"}, "/rootDiskStorageType"},
		{"sshKey with userData", with("sshKey", key, "userData", "#cloud-config"), []string{"userData"}, ""},
		{"sshKey on windows", with("imageId", "WINDOWS_SERVER_2022_STANDARD_64BIT", "sshKey", key), []string{"sshKey"}, ""},
		{"sshKey malformed", with("sshKey", "not a key"), []string{"sshKey"}, ""},
		{"monthly without term", with("contractType", "MONTHLY"), []string{"contractTerm"}, ""},
		{"monthly with term 0", with("contractType", "MONTHLY", "contractTerm", 0), []string{"contractTerm"}, ""},
		{"hourly with a term", with("contractTerm", 12), []string{"contractTerm"}, ""},
		{"bad term", with("contractType", "MONTHLY", "contractTerm", 5), []string{"contractTerm"}, "/contractTerm"},
		{"bad billing frequency", with("contractType", "MONTHLY", "contractTerm", 1, "billingFrequency", 2), []string{"billingFrequency"}, "/billingFrequency"},
		{"bad contract type", with("contractType", "WEEKLY"), []string{"contractType"}, "/contractType"},
		{"market app not on image", with("marketAppId", "CPANEL_30"), []string{"marketAppId"}, ""},
		{"malformed JSON", `{"region": `, nil, "request body"},
		{"not an object", `["eu-west-3"]`, nil, "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			var r result
			send := func() { r = e.do("POST", "/publicCloud/v1/instances", tt.body) }
			if tt.violation != "" {
				e.expectViolation(tt.violation, send)
			} else {
				send()
			}
			wantStatus(t, r, http.StatusBadRequest)
			got := keys(errorDetails(t, r))
			want := append([]string{}, tt.fields...)
			slices.Sort(want)
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("errorDetails keys %v, want %v; body %s", got, want, r.body)
			}
		})
	}
	e.t = t
	if r := e.do("GET", "/publicCloud/v1/instances", nil); !strings.Contains(string(r.body), `"totalCount":0`) {
		t.Errorf("a rejected launch created an instance: %s", r.body)
	}
}
