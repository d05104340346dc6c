package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tamperBase is the live state of the tampering tests: a protected
// instance and two others, under settings.maxDeletes 1.
const tamperBase = `apiVersion: lswctl/v1
settings: {maxDeletes: 1}
instances:
  web-1:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
    protect: true
  web-2:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
  web-3:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
`

// tamperBigger grows the disks of web-1 and web-2: the plan the tests save
// and edit holds their two updates.
var tamperBigger = strings.Replace(strings.Replace(tamperBase, "size: 20", "size: 40", 1), "size: 20", "size: 40", 1)

// savedPlan is a plan file's JSON form, for editing.
type savedPlan map[string]any

func (p savedPlan) step(addr string) map[string]any {
	for _, s := range p["steps"].([]any) {
		if m := s.(map[string]any); m["address"] == addr {
			return m
		}
	}
	panic("no step " + addr)
}

func readSaved(t *testing.T, path string) savedPlan {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p savedPlan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p savedPlan) write(t *testing.T, path string) {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSavedPlanTampering: apply PLANFILE carries out only what the
// configuration and live state plan now. Each edit of a saved plan that
// apply used to carry out as written is refused, naming the step, and
// nothing is written.
func TestSavedPlanTampering(t *testing.T) {
	r := newRun(t)
	writeConfig(t, r, tamperBase)
	if code := r.main("apply", "--sandbox", "--auto-approve"); code != ExitOK {
		t.Fatalf("setup: exit %d\n%s", code, r.stderr.String())
	}
	writeConfig(t, r, strings.ReplaceAll(tamperBase, "size: 20", "size: 40"))
	all := filepath.Join(r.dir, "all.json")
	if code := r.main("plan", "--sandbox", "-o", all); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, r.stderr.String())
	}
	writeConfig(t, r, tamperBigger)
	orig := filepath.Join(r.dir, "plan.json")
	if code := r.main("plan", "--sandbox", "-o", orig); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, r.stderr.String())
	}
	want := r.stdout.String()
	web3 := readSaved(t, all).step("instance.web-3")
	state := filepath.Join(r.dir, ".lswctl", "sandbox.json")
	live, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		edit  func(p savedPlan)
		error string
	}{
		{"an update made a delete of a protected instance", func(p savedPlan) { p.step("instance.web-1")["action"] = "delete" },
			`instance.web-1: the plan file says delete, the configuration and live state say update`},
		{"a wider maxDeletes", func(p savedPlan) { p["maxDeletes"] = 100 },
			`maxDeletes is 100 in the plan file, 1 in the configuration`},
		{"a delete and a wider maxDeletes", func(p savedPlan) {
			p.step("instance.web-2")["action"], p["maxDeletes"] = "delete", 100
		}, `instance.web-2: the plan file says delete, the configuration and live state say update`},
		{"an edited after", func(p savedPlan) {
			p.step("instance.web-2")["after"].(map[string]any)["type"] = "lsw.m5a.4xlarge"
		}, `instance.web-2: after differs (type: "lsw.m5a.4xlarge" in the plan file, "lsw.m5a.large" now)`},
		{"an unknown action", func(p savedPlan) { p.step("instance.web-2")["action"] = "destroy" },
			`steps[1] (instance.web-2): unknown action "destroy"`},
		{"an added step", func(p savedPlan) {
			added := map[string]any{}
			for k, v := range web3 {
				added[k] = v
			}
			added["action"] = "delete"
			delete(added, "changes")
			p["steps"] = append(p["steps"].([]any), added)
		}, `instance.web-3: the plan file holds a step to delete it, which the configuration and live state do not call for`},
		{"a missing step", func(p savedPlan) { p["steps"] = p["steps"].([]any)[:1] },
			`instance.web-2: the configuration and live state call for a step to update it, which the plan file lacks`},
		{"another id", func(p savedPlan) { p.step("instance.web-2")["id"] = web3["id"] },
			`instance.web-2: id is ` + web3["id"].(string) + ` in the plan file, `},
		{"other changes", func(p savedPlan) {
			p.step("instance.web-2")["changes"].([]any)[0].(map[string]any)["after"] = 80
		}, `instance.web-2: changes differ at rootDisk.size`},
		{"another dependsOn", func(p savedPlan) { p.step("instance.web-1")["dependsOn"] = []any{"instance.web-2"} },
			`instance.web-1: dependsOn is [instance.web-2] in the plan file, [] now`},
		{"a replacement of a protected instance", func(p savedPlan) {
			p["replace"] = []any{"instance.web-1"}
			p.step("instance.web-1")["action"] = "delete-then-create"
		}, `instances.web-1: protect: true forbids this plan to replace it`},
		{"a forged fingerprint", func(p savedPlan) { p.step("instance.web-2")["fingerprint"] = "sha256:00" },
			`instance.web-2 (id `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(state, live, 0o600); err != nil { // each case starts from the same live state
				t.Fatal(err)
			}
			p := readSaved(t, orig)
			tt.edit(p)
			file := filepath.Join(r.dir, "tampered.json")
			p.write(t, file)
			if code := r.main("apply", "--sandbox", file); code != ExitError {
				t.Fatalf("exit %d, want 1\n%s%s", code, r.stdout.String(), r.stderr.String())
			}
			if !strings.Contains(r.stderr.String(), tt.error) {
				t.Errorf("stderr = %s\nwant it to contain %q", r.stderr.String(), tt.error)
			}
			if code := r.main("plan", "--sandbox"); code != ExitOK || r.stdout.String() != want {
				t.Errorf("live state changed: the plan is now\n%s", r.stdout.String())
			}
		})
	}

	// test that the untouched plan still applies: nothing above spoilt it
	if code := r.main("apply", "--sandbox", orig); code != ExitOK {
		t.Fatalf("the untouched plan: exit %d\n%s", code, r.stderr.String())
	}
	if !strings.Contains(r.stdout.String(), "Resources: 0 added, 2 changed") {
		t.Errorf("stdout = %s", r.stdout.String())
	}
}

// TestSavedPlanKeepsTargetAndReplace: a plan saved with --target and
// --replace records them, is made again with them, and applies.
func TestSavedPlanKeepsTargetAndReplace(t *testing.T) {
	r := newRun(t)
	writeConfig(t, r, tamperBase)
	if code := r.main("apply", "--sandbox", "--auto-approve"); code != ExitOK {
		t.Fatalf("setup: exit %d\n%s", code, r.stderr.String())
	}
	writeConfig(t, r, tamperBigger)
	file := filepath.Join(r.dir, "plan.json")
	if code := r.main("plan", "--sandbox", "--target", "instance.web-2", "--replace", "instance.web-2", "-o", file); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, r.stderr.String())
	}
	p := readSaved(t, file)
	if got := jsonOf([]any{p["targets"], p["replace"]}); got != `[["instance.web-2"],["instance.web-2"]]` {
		t.Errorf("targets and replace = %s", got)
	}
	if code := r.main("apply", "--sandbox", file); code != ExitOK {
		t.Fatalf("apply: exit %d\n%s", code, r.stderr.String())
	}
	if !strings.Contains(r.stdout.String(), "Resources: 0 added, 0 changed, 1 replaced, 0 destroyed.") {
		t.Errorf("stdout = %s", r.stdout.String())
	}
	if code := r.main("plan", "--sandbox"); code != ExitOK || !strings.Contains(r.stdout.String(), "Plan: 0 to add, 1 to change, 0 to replace") {
		t.Errorf("beyond the target: exit %d\n%s", code, r.stdout.String())
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
