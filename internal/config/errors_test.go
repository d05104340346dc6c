package config

import (
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/diag"
)

// errorCase is a configuration and the exact lines the CLI would print for
// it, positions included.
type errorCase struct {
	name  string
	files map[string]string // written to a temporary directory
	paths []string          // default: a.yaml
	env   map[string]string
	want  []string
}

// runErrorCases loads each case and compares every rendered error.
func runErrorCases(t *testing.T, tests []errorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			paths := tt.paths
			if paths == nil {
				paths = []string{"a.yaml"}
			}
			cfg, err := Load(paths, Options{Cwd: dir, LookupEnv: envFrom(tt.env)})
			if err == nil {
				t.Fatalf("Load succeeded with %d resources, want errors", len(cfg.Resources))
			}
			list := diag.AsList(err)
			if list == nil {
				t.Fatalf("Load error is %T, want a diag.List: %v", err, err)
			}
			if got, want := list.Format(dir), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestSchemaErrors covers what the schema rejects, translated from the
// failing keyword.
func TestSchemaErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{
			name:  "unknown field with suggestion",
			files: map[string]string{"a.yaml": edit(t, "rootDisk:", "rootdisk:")},
			want:  []string{`./a.yaml:7:5: instances.web-1.rootdisk: unknown field "rootdisk" (did you mean "rootDisk"?)`},
		},
		{
			name:  "unknown field without suggestion",
			files: map[string]string{"a.yaml": edit(t, "    state: RUNNING\n", "    flavour: ubuntu\n")},
			want:  []string{`./a.yaml:10:5: instances.web-1.flavour: unknown field "flavour"`},
		},
		{
			name:  "unknown top-level kind",
			files: map[string]string{"a.yaml": edit(t, "instances:", "instance:")},
			want:  []string{`./a.yaml:2:1: instance: unknown field "instance" (did you mean "instances"?)`},
		},
		{
			name:  "wrong type",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: fifty")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: expected integer, got string "fifty"`},
		},
		{
			name:  "wrong type of a whole object",
			files: map[string]string{"a.yaml": edit(t, "contract: {type: HOURLY}", "contract: HOURLY")},
			want:  []string{`./a.yaml:8:15: instances.web-1.contract: expected mapping, got string "HOURLY"`},
		},
		{
			name:  "out of range",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: 2")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: must be between 5 and 1000, got 2`},
		},
		{
			name:  "enum with suggestion",
			files: map[string]string{"a.yaml": edit(t, "eu-west-3", "eu-west-9")},
			want:  []string{`./a.yaml:4:13: instances.web-1.region: unknown region "eu-west-9" (did you mean "eu-west-3"?)`},
		},
		{
			name:  "long enum suggests but does not list",
			files: map[string]string{"a.yaml": edit(t, "lsw.m5a.large", "lsw.m5a.larg")},
			want:  []string{`./a.yaml:5:11: instances.web-1.type: unknown instance type "lsw.m5a.larg" (did you mean "lsw.m5a.large"?)`},
		},
		{
			name:  "long enum without a close value",
			files: map[string]string{"a.yaml": edit(t, "lsw.m5a.large", "huge")},
			want:  []string{`./a.yaml:5:11: instances.web-1.type: unknown instance type "huge"`},
		},
		{
			name:  "short enum lists its values",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY", "type: DAILY")},
			want:  []string{`./a.yaml:8:22: instances.web-1.contract.type: unknown contract type "DAILY" (expected one of HOURLY, MONTHLY)`},
		},
		{
			name:  "short enum suggests across case",
			files: map[string]string{"a.yaml": edit(t, "storageType: CENTRAL", "storageType: local")},
			want:  []string{`./a.yaml:7:39: instances.web-1.rootDisk.storageType: unknown storage type "local" (did you mean "LOCAL"?)`},
		},
		{
			name:  "integer enum",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: MONTHLY, term: 2}")},
			want:  []string{`./a.yaml:8:37: instances.web-1.contract.term: must be one of 0, 1, 3, 6, 12, 24, 36, got 2`},
		},
		{
			name:  "missing required field",
			files: map[string]string{"a.yaml": edit(t, "    image: UBUNTU_24_04_64BIT\n", "")},
			want:  []string{`./a.yaml:3:3: instances.web-1: missing required field "image"`},
		},
		{
			name:  "missing nested required field",
			files: map[string]string{"a.yaml": edit(t, "{size: 50, storageType: CENTRAL}", "{size: 50}")},
			want:  []string{`./a.yaml:7:5: instances.web-1.rootDisk: missing required field "storageType"`},
		},
		{
			name:  "cancellation text required with CANCEL_OTHER",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: MONTHLY, term: 1, cancelReason: CANCEL_OTHER}")},
			want:  []string{`./a.yaml:8:5: instances.web-1.contract: missing required field "cancelReasonText" (CANCEL_OTHER needs a text)`},
		},
		{
			name:  "sshKey with userData",
			files: map[string]string{"a.yaml": web1 + "    userData: \"#cloud-config\"\n"},
			want:  []string{`./a.yaml:11:5: instances.web-1: sshKey and userData cannot be used together (the API accepts one or the other)`},
		},
		{
			name:  "userData with sshKey is reported at sshKey, written second",
			files: map[string]string{"a.yaml": edit(t, "    sshKey:", "    userData: x\n    sshKey:")},
			want:  []string{`./a.yaml:10:5: instances.web-1: sshKey and userData cannot be used together (the API accepts one or the other)`},
		},
		{
			name:  "secret of the wrong type hides a sensitive value",
			files: map[string]string{"a.yaml": edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, `    userData: 1234`)},
			want:  []string{`./a.yaml:9:15: instances.web-1.userData: expected a string or {env: NAME} / {file: PATH}, got integer`},
		},
		{
			name:  "secret of the wrong type",
			files: map[string]string{"a.yaml": edit(t, `"ssh-ed25519 AAAA ops@example"`, `[a, b]`)},
			want:  []string{`./a.yaml:9:13: instances.web-1.sshKey: expected a string or {env: NAME} / {file: PATH}, got list`},
		},
		{
			name:  "secret reference with a misspelled key",
			files: map[string]string{"a.yaml": edit(t, `"ssh-ed25519 AAAA ops@example"`, `{evn: SSH_KEY}`)},
			want:  []string{`./a.yaml:9:14: instances.web-1.sshKey.evn: unknown field "evn" (did you mean "env"?)`},
		},
		{
			name:  "secret reference with both keys",
			files: map[string]string{"a.yaml": edit(t, `"ssh-ed25519 AAAA ops@example"`, `{env: K, file: k.pub}`)},
			env:   map[string]string{"K": "x"},
			want:  []string{`./a.yaml:9:13: instances.web-1.sshKey: expected {env: NAME} or {file: PATH}, got a mapping with 2 fields`},
		},
		{
			name:  "name breaking the pattern",
			files: map[string]string{"a.yaml": edit(t, "  web-1:", `  "web 1":`)},
			want:  []string{`./a.yaml:3:3: instances."web 1": invalid name "web 1" (expected 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit)`},
		},
		{
			name:  "invalid id",
			files: map[string]string{"a.yaml": edit(t, "    region:", "    id: abc\n    region:")},
			want:  []string{`./a.yaml:4:9: instances.web-1.id: invalid id "abc" (expected a UUID)`},
		},
		{
			name:  "unknown kind in settings",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings:\n  prune: [instance]\n"},
			want:  []string{`./a.yaml:3:11: settings.prune[0]: unknown kind "instance" (did you mean "instances"?)`},
		},
		{
			name:  "negative maxDeletes",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings:\n  maxDeletes: -1\n"},
			want:  []string{`./a.yaml:3:15: settings.maxDeletes: must be at least 0, got -1`},
		},
		{
			name: "every problem of a document, in order",
			files: map[string]string{"a.yaml": `apiVersion: lswctl/v1
instances:
  web-1:
    region: eu-west-9
    type: lsw.m5a.large
    rootDisk: {size: 1001, storageType: CENTRAL}
    contract: {type: HOURLY}
    state: PAUSED
  web-2:
    ensure: gone
`},
			want: []string{
				`./a.yaml:3:3: instances.web-1: missing required field "image"`,
				`./a.yaml:4:13: instances.web-1.region: unknown region "eu-west-9" (did you mean "eu-west-3"?)`,
				`./a.yaml:6:22: instances.web-1.rootDisk.size: must be between 5 and 1000, got 1001`,
				`./a.yaml:8:12: instances.web-1.state: unknown state "PAUSED" (expected one of RUNNING, STOPPED)`,
				`./a.yaml:9:3: instances.web-2: missing required field "contract"`,
				`./a.yaml:9:3: instances.web-2: missing required field "image"`,
				`./a.yaml:9:3: instances.web-2: missing required field "region"`,
				`./a.yaml:9:3: instances.web-2: missing required field "rootDisk"`,
				`./a.yaml:9:3: instances.web-2: missing required field "type"`,
				`./a.yaml:10:13: instances.web-2.ensure: unknown ensure value "gone" (expected one of present, absent)`,
			},
		},
	})
}

// TestDocumentErrors covers problems with a file or document as a whole:
// syntax, apiVersion, emptiness, YAML features lswctl refuses.
func TestDocumentErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{
			name:  "unknown apiVersion",
			files: map[string]string{"a.yaml": edit(t, "lswctl/v1", "lswctl/v2")},
			want:  []string{`./a.yaml:1:13: apiVersion: unknown version "lswctl/v2" (this lswctl reads lswctl/v1)`},
		},
		{
			name:  "apiVersion of the wrong type",
			files: map[string]string{"a.yaml": "apiVersion: 1\n"},
			want:  []string{`./a.yaml:1:13: apiVersion: expected lswctl/v1, got integer 1`},
		},
		{
			name:  "missing apiVersion",
			files: map[string]string{"a.yaml": "instances: {}\n"},
			want:  []string{`./a.yaml:1:1: missing required field "apiVersion" (expected apiVersion: lswctl/v1)`},
		},
		{
			name:  "every document needs apiVersion",
			files: map[string]string{"a.yaml": web1 + "---\ninstances: {}\n"},
			want:  []string{`./a.yaml:12:1: missing required field "apiVersion" (expected apiVersion: lswctl/v1)`},
		},
		{
			name:  "empty file",
			files: map[string]string{"empty.yaml": ""},
			paths: []string{"empty.yaml"},
			want:  []string{`./empty.yaml: file is empty (expected a document starting with apiVersion: lswctl/v1)`},
		},
		{
			name:  "file with only comments and separators",
			files: map[string]string{"a.yaml": "# nothing yet\n---\n# still nothing\n"},
			want:  []string{`./a.yaml: file is empty (expected a document starting with apiVersion: lswctl/v1)`},
		},
		{
			name:  "top level is a list",
			files: map[string]string{"a.yaml": "- apiVersion: lswctl/v1\n"},
			want:  []string{`./a.yaml:1:1: expected a mapping starting with apiVersion: lswctl/v1, got list`},
		},
		{
			name:  "top level is a string",
			files: map[string]string{"a.yaml": "hello\n"},
			want:  []string{`./a.yaml:1:1: expected a mapping starting with apiVersion: lswctl/v1, got string "hello"`},
		},
		{
			name:  "syntax error",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\ninstances: [a, b\n"},
			want:  []string{`./a.yaml:2:12: syntax error: sequence end token ']' not found`},
		},
		{
			name:  "tab indentation",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\ninstances:\n\tweb-1: {}\n"},
			want:  []string{`./a.yaml:3:1: syntax error: found a tab character (YAML indentation must use spaces)`},
		},
		{
			name:  "duplicate key",
			files: map[string]string{"a.yaml": edit(t, "    image:", "    region: eu-west-2\n    image:")},
			want:  []string{"./a.yaml:6:5: instances.web-1.region: duplicate key \"region\"\n\t./a.yaml:4:5: first defined here"},
		},
		{
			name:  "unsupported tag",
			files: map[string]string{"a.yaml": edit(t, "image: UBUNTU_24_04_64BIT", "image: !env IMAGE")},
			want:  []string{`./a.yaml:6:12: instances.web-1.image: unsupported tag !env (secrets are written {env: NAME} or {file: PATH})`},
		},
		{
			name:  "alias cycle",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings:\n  prune: &p [*p]\n"},
			want: []string{
				`./a.yaml:3:13: settings.prune[0]: expected string, got list`,
				`./a.yaml:3:14: settings.prune[0][0]: alias *p refers to itself`,
			},
		},
	})
}

// TestLoadErrors covers problems found while loading several files and
// resolving secrets.
func TestLoadErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{
			name:  "unset environment variable",
			files: map[string]string{"a.yaml": edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, `    userData: {env: CLOUD_INIT}`)},
			want:  []string{`./a.yaml:9:21: instances.web-1.userData: environment variable CLOUD_INIT is not set`},
		},
		{
			name:  "empty environment variable",
			files: map[string]string{"a.yaml": edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, `    userData: {env: CLOUD_INIT}`)},
			env:   map[string]string{"CLOUD_INIT": ""},
			want:  []string{`./a.yaml:9:21: instances.web-1.userData: environment variable CLOUD_INIT is set but empty`},
		},
		{
			name:  "unreadable secret file",
			files: map[string]string{"a.yaml": edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, `    userData: {file: missing.txt}`)},
			want:  []string{`./a.yaml:9:22: instances.web-1.userData: cannot read secret file "missing.txt": no such file or directory`},
		},
		{
			name:  "settings declared twice",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings: {}\n", "b.yaml": "apiVersion: lswctl/v1\nsettings: {maxDeletes: 1}\n"},
			paths: []string{"a.yaml", "b.yaml"},
			want: []string{
				"./b.yaml:2:1: settings: settings are declared twice (only one document may declare them)\n\t./a.yaml:2:1: first declared here",
			},
		},
		{
			name:  "missing path",
			paths: []string{"nope.yaml"},
			want:  []string{`./nope.yaml: no such file or directory`},
		},
		{
			name:  "directory without YAML files",
			files: map[string]string{"conf/README.md": "hi"},
			paths: []string{"conf"},
			want:  []string{`./conf: directory has no *.yaml or *.yml files`},
		},
		{
			name:  "same name in two documents",
			files: map[string]string{"a.yaml": web1 + "---\n" + web1},
			want:  []string{"./a.yaml:14:3: instances.web-1: instance \"web-1\" is declared twice\n\t./a.yaml:3:3: first declared here"},
		},
		{
			name:  "same name in two files",
			files: map[string]string{"a.yaml": web1, "b.yaml": web1},
			paths: []string{"a.yaml", "b.yaml"},
			want:  []string{"./b.yaml:3:3: instances.web-1: instance \"web-1\" is declared twice\n\t./a.yaml:3:3: first declared here"},
		},
		{
			name: "a syntax error does not stop other files",
			files: map[string]string{
				"a.yaml": "apiVersion: lswctl/v1\nsettings: {prune: [instances]\n",
				"b.yaml": edit(t, "eu-west-3", "eu-west-9"),
			},
			paths: []string{"."},
			want: []string{
				`./a.yaml:2:11: syntax error: could not find flow mapping end token '}'`,
				`./b.yaml:4:13: instances.web-1.region: unknown region "eu-west-9" (did you mean "eu-west-3"?)`,
			},
		},
	})
}
