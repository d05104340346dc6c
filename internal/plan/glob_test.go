package plan

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPatternRules checks every rule of the pattern syntax (Pattern's doc
// comment and the README), each with a match and a near miss.
func TestPatternRules(t *testing.T) {
	cases := []struct {
		pattern, addr string
		want          bool
	}{
		// the first "." splits kind from name; each part matches its own
		{"instance.web-1", "instance.web-1", true},
		{"instance.web-1", "instance.web-10", false},
		{"*.web", "targetGroup.web", true},
		{"*.web", "instance.a.web", false}, // the kind part stops at the first "."
		{"instance.*", "instance.a.web", true},
		{"*.*", "listener.edge/HTTP:80", true},
		{"inst*.db", "instance.db", true},
		{"inst*.db", "loadBalancer.db", false},
		// "*" crosses "/" and "." in names, and matches the empty string
		{"listener.*", "listener.edge/HTTP:80", true},
		{"listener.edge/*", "listener.edge/HTTPS:443", true},
		{"listener.edge/*", "listener.edge2/HTTP:80", false},
		{"listener.*:443", "listener.edge/HTTPS:443", true},
		{"listener.*:443", "listener.edge/HTTP:80", false},
		{"floatingIp.10.*", "floatingIp.10.0.0.1/32", true},
		{"instance.web-*", "instance.web-", true},
		{"instance.*web*", "instance.web", true},
		{"instance.a*b*c", "instance.aXbYbZc", true},
		{"instance.a*b*c", "instance.aXbYcZ", false},
		// "**" is "*"
		{"listener.**", "listener.edge/HTTP:80", true},
		{"listener.e**80", "listener.edge/HTTP:80", true},
		// "?" is exactly one character
		{"instance.web-?", "instance.web-1", true},
		{"instance.web-?", "instance.web-10", false},
		{"instance.web-?", "instance.web-", false},
		{"listener.edge?HTTP:80", "listener.edge/HTTP:80", true},
		// classes, ranges and negation
		{"instance.web-[12]", "instance.web-2", true},
		{"instance.web-[12]", "instance.web-3", false},
		{"instance.web-[1-3]", "instance.web-3", true},
		{"instance.web-[1-3]", "instance.web-4", false},
		{"instance.web-[!1-3]", "instance.web-4", true},
		{"instance.web-[!1-3]", "instance.web-2", false},
		{"instance.web-[^1]", "instance.web-2", true},
		{"instance.web-[^1]", "instance.web-1", false},
		{`instance.x[\]]`, "instance.x]", true},
		// "\" makes the next character literal
		{`instance.a\*`, "instance.a*", true},
		{`instance.a\*`, "instance.ab", false},
		{`instance.a\?`, "instance.ab", false},
		{`instance.a\[1]`, "instance.a[1]", true},
		{`instance.a\\b`, `instance.a\b`, true},
		// case matters
		{"Instance.web-1", "instance.web-1", false},
	}
	for _, c := range cases {
		p, err := ParsePattern(c.pattern)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", c.pattern, err)
			continue
		}
		if got := p.Match(addrOf(c.addr)); got != c.want {
			t.Errorf("%q matches %q = %v, want %v", c.pattern, c.addr, got, c.want)
		}
	}
}

func TestPatternMalformed(t *testing.T) {
	for pat, want := range map[string]string{
		"web-1":          "want KIND.NAME",
		".web":           "want KIND.NAME",
		"instance.":      "want KIND.NAME",
		"instance.[":     "[ without its closing ]",
		"instance.[a-":   "[ without its closing ]",
		"instance.[]":    "[] matches nothing",
		"instance.[!]":   "[] matches nothing",
		"instance.[z-a]": "range z-a runs backwards",
		`instance.a\`:    `\ at the end escapes nothing`,
		`instance.[a\`:   `\ at the end escapes nothing`,
	} {
		if _, err := ParsePattern(pat); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePattern(%q) = %v, want %q", pat, err, want)
		}
	}
}

func TestPatternLiteral(t *testing.T) {
	for pat, want := range map[string]string{
		"instance.web-1":        "instance.web-1",
		`instance.a\*`:          "instance.a*",
		"listener.edge/HTTP:80": "listener.edge/HTTP:80",
		"instance.web-*":        "",
		"*.web":                 "",
		"instance.web-[1]":      "",
	} {
		p, err := ParsePattern(pat)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := p.Literal()
		if ok != (want != "") || (ok && a.String() != want) {
			t.Errorf("%q.Literal() = %v, %v; want %q", pat, a, ok, want)
		}
	}
}

// TestPatternLongStarsStayLinear: many stars against a long name that
// almost matches finish at once (no exponential backtracking).
func TestPatternLongStarsStayLinear(t *testing.T) {
	p, err := ParsePattern("instance." + strings.Repeat("a*", 50) + "b")
	if err != nil {
		t.Fatal(err)
	}
	if p.Match(addrOf("instance." + strings.Repeat("a", 5000))) {
		t.Error("matched without a b")
	}
}

// TestPatternMatchesReference checks the matcher against a plain recursive
// one on many generated patterns and names: the single backtracking point
// of match must never give a different answer.
func TestPatternMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "b", "/", ".", "*", "**", "?", "[ab]", "[!a]", `\*`}
	names := []rune("ab/.*")
	for range 20000 {
		var pat strings.Builder
		for range rng.IntN(6) {
			pat.WriteString(pieces[rng.IntN(len(pieces))])
		}
		name := make([]rune, rng.IntN(7))
		for i := range name {
			name[i] = names[rng.IntN(len(names))]
		}
		es, err := compile(pat.String())
		if err != nil {
			t.Fatalf("compile(%q): %v", pat.String(), err)
		}
		if got, want := match(es, name), reference(es, name); got != want {
			t.Fatalf("%q matches %q = %v, want %v", pat.String(), string(name), got, want)
		}
	}
}

func reference(p []elem, s []rune) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	if p[0].op == '*' {
		for i := 0; i <= len(s); i++ {
			if reference(p[1:], s[i:]) {
				return true
			}
		}
		return false
	}
	return len(s) > 0 && p[0].matches(s[0]) && reference(p[1:], s[1:])
}
