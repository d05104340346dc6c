package sandbox_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

func TestParseFaultRules(t *testing.T) {
	spec := "POST /publicCloud/v1/instances 503 x2 retry-after=1; PUT /publicCloud/v1/instances/* 500 body~web-2; " +
		"POST /publicCloud/v1/instances drop after-apply x1;; * /publicCloud/* 429 body~\"a; \\\"b\\\"\";/x/y drop ;" +
		"GET /publicCloud/v1/instances shrink x3; /publicCloud/v1/* shrink=stray-*"
	got, err := sandbox.ParseFaultRules(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []sandbox.FaultRule{
		{Method: "POST", Path: "/publicCloud/v1/instances", Status: 503, Times: 2, RetryAfter: 1},
		{Method: "PUT", Path: "/publicCloud/v1/instances/*", Status: 500, BodyContains: "web-2"},
		{Method: "POST", Path: "/publicCloud/v1/instances", Drop: true, AfterApply: true, Times: 1},
		{Path: "/publicCloud/*", Status: 429, BodyContains: `a; "b"`},
		{Path: "/x/y", Drop: true},
		{Method: "GET", Path: "/publicCloud/v1/instances", Shrink: true, Times: 3},
		{Path: "/publicCloud/v1/*", Shrink: true, ShrinkMatch: "stray-*"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseFaultRules:\n got %+v\nwant %+v", got, want)
	}
	// String formats a rule in the same syntax.
	var parts []string
	for _, r := range got {
		parts = append(parts, r.String())
	}
	again, err := sandbox.ParseFaultRules(strings.Join(parts, "; "))
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("round trip through String %q: %+v, %v", strings.Join(parts, "; "), again, err)
	}
	if got, err := sandbox.ParseFaultRules("  ; "); err != nil || len(got) != 0 {
		t.Errorf("empty spec: %v, %v", got, err)
	}
}

func TestParseFaultRulesErrors(t *testing.T) {
	tests := map[string]string{
		"post /x 500":                  `fault rule 1 ("post /x 500"): "post" is neither an HTTP method nor a path starting with /`,
		"GET":                          `fault rule 1 ("GET"): missing path`,
		"GET /x":                       `fault rule 1 ("GET /x"): missing action: a status (400..599), drop or shrink`,
		"GET /x 200":                   `fault rule 1 ("GET /x 200"): status 200 is not between 400 and 599`,
		"GET /x 600":                   `status 600 is not between 400 and 599`,
		"GET /x boom":                  `action "boom" is neither a status (400..599), drop nor shrink`,
		"POST /x shrink":               `shrink applies to lists, read with GET, not POST`,
		"GET /x shrink retry-after=1":  `shrink answers the request as usual`,
		"GET /x shrink after-apply":    `shrink answers the request as usual`,
		"GET /x shrink body~a":         `shrink answers the request as usual`,
		"GET /x shrink=":               `"shrink=": shrink= needs a glob of references`,
		"GET /x shrink=[":              `shrink match "[" is not a valid glob`,
		"GET /x 500 x0":                `"x0": times needs a whole number ≥ 1 after x`,
		"GET /x 500 xmany":             `"xmany": times needs a whole number ≥ 1 after x`,
		"GET /x 500 retry-after=-1":    `"retry-after=-1": retry-after needs a whole number of seconds ≥ 0`,
		"GET /x drop retry-after=1":    `retry-after makes no sense on a dropped connection`,
		"GET /x 500 body~":             `"body~": body~ needs the text to look for`,
		"GET /x 500 sometimes":         `unknown option "sometimes" (want xN, retry-after=N, body~TEXT, after-apply or echo)`,
		"GET /x[ 500":                  `path "/x[" is not a valid glob`,
		"GET /ok 500; GET /x 500 slow": `fault rule 2 ("GET /x 500 slow"): unknown option "slow"`,
		`GET /x 500 body~"open`:        `unterminated quoted string`,
		"GET x 500":                    `path "x" does not start with /`,
	}
	for spec, want := range tests {
		_, err := sandbox.ParseFaultRules(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFaultRules(%q) = %v, want an error containing %q", spec, err, want)
		}
	}
}
