package sandbox

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ParseFaultRules parses the textual fault rules used by environment
// variables and flags. Rules are separated by ';' (empty rules are skipped);
// each rule is whitespace-separated words:
//
//	rule    = [METHOD] PATH ACTION {OPTION}
//	METHOD  = GET | POST | PUT | DELETE | PATCH | HEAD | OPTIONS | "*"   (default: any)
//	PATH    = a path.Match glob that starts with "/"
//	ACTION  = STATUS (400..599) | "drop" | "shrink" | "shrink=" GLOB
//	OPTION  = "x" N              fail only the first N matching requests (N ≥ 1);
//	                             with shrink: remove only N objects
//	        | "retry-after=" N   send Retry-After: N (seconds; not with drop)
//	        | "body~" TEXT       only requests whose body contains TEXT; TEXT may
//	                             be a Go-quoted string ("body~\"a b\"")
//	        | "after-apply"      apply the request, then fail it
//	        | "echo"             the error repeats the request, key included
//
// shrink is a collection that shrinks while it is paged, not a failure: the
// list GET is answered as usual and, when it was the first page of several
// (no offset, totalCount above the limit), one object leaves the
// collection before any later page is served, so the objects after it
// slide one place towards the front. It applies to GET
// /publicCloud/v1/instances, /loadBalancers and /targetGroups, and removes
// the oldest listed object that lswctl no longer manages or never managed:
// a DESTROYED instance or load balancer (aging out early), or, with
// shrink=GLOB, also one whose reference (a target group: name, when no
// listener or auto scaling group uses it) matches the path.Match GLOB, as
// if deleted out of band. A rule with nothing to remove is not spent. So
// that a soak never deletes an object it manages, give it stray objects
// under a GLOB none of its references match. shrink takes only xN.
//
// Example:
//
//	POST /publicCloud/v1/instances 503 x2 retry-after=1; PUT /publicCloud/v1/instances/* 500 body~web-2
//	GET /publicCloud/v1/instances shrink=stray-* x3
func ParseFaultRules(spec string) ([]FaultRule, error) {
	rules, err := splitRules(spec)
	if err != nil {
		return nil, err
	}
	var out []FaultRule
	for i, words := range rules {
		r, err := parseRule(words)
		if err != nil {
			return nil, fmt.Errorf("fault rule %d (%q): %w", i+1, strings.Join(words, " "), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// splitRules splits spec into rules of words, honouring double quotes.
func splitRules(spec string) ([][]string, error) {
	var rules [][]string
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		switch {
		case quoted:
			word.WriteByte(c)
			if c == '\\' && i+1 < len(spec) {
				i++
				word.WriteByte(spec[i])
			} else if c == '"' {
				quoted = false
			}
		case c == '"':
			word.WriteByte(c)
			inWord, quoted = true, true
		case c == ';':
			flush()
			if len(words) > 0 {
				rules = append(rules, words)
			}
			words = nil
		case unicode.IsSpace(rune(c)):
			flush()
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("fault rules: unterminated quoted string")
	}
	flush()
	if len(words) > 0 {
		rules = append(rules, words)
	}
	return rules, nil
}

// parseRule parses the words of one rule.
func parseRule(words []string) (FaultRule, error) {
	var r FaultRule
	if len(words) > 0 && !strings.HasPrefix(words[0], "/") {
		m := words[0]
		if m != "*" && !isMethod(m) {
			return r, fmt.Errorf("%q is neither an HTTP method nor a path starting with /", m)
		}
		if m != "*" {
			r.Method = m
		}
		words = words[1:]
	}
	if len(words) == 0 {
		return r, errors.New("missing path")
	}
	r.Path, words = words[0], words[1:]
	if len(words) == 0 {
		return r, errors.New("missing action: a status (400..599), drop or shrink")
	}
	if err := parseAction(&r, words[0]); err != nil {
		return r, err
	}
	for _, w := range words[1:] {
		if err := parseOption(&r, w); err != nil {
			return r, err
		}
	}
	return r, r.validate()
}

func isMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS":
		return true
	}
	return false
}

func parseAction(r *FaultRule, w string) error {
	switch {
	case w == "drop":
		r.Drop = true
		return nil
	case w == "shrink":
		r.Shrink = true
		return nil
	case strings.HasPrefix(w, "shrink="):
		r.Shrink, r.ShrinkMatch = true, strings.TrimPrefix(w, "shrink=")
		if r.ShrinkMatch == "" {
			return fmt.Errorf("%q: shrink= needs a glob of references", w)
		}
		return nil
	}
	n, err := strconv.Atoi(w)
	if err != nil {
		return fmt.Errorf("action %q is neither a status (400..599), drop nor shrink", w)
	}
	r.Status = n
	return nil
}

func parseOption(r *FaultRule, w string) error {
	switch {
	case w == "after-apply":
		r.AfterApply = true
	case w == "echo":
		r.Echo = true
	case strings.HasPrefix(w, "retry-after="):
		n, err := strconv.Atoi(strings.TrimPrefix(w, "retry-after="))
		if err != nil || n < 0 {
			return fmt.Errorf("%q: retry-after needs a whole number of seconds ≥ 0", w)
		}
		r.RetryAfter = n
	case strings.HasPrefix(w, "body~"):
		text := strings.TrimPrefix(w, "body~")
		if strings.HasPrefix(text, `"`) {
			u, err := strconv.Unquote(text)
			if err != nil {
				return fmt.Errorf("%q: bad quoted text: %w", w, err)
			}
			text = u
		}
		if text == "" {
			return fmt.Errorf("%q: body~ needs the text to look for", w)
		}
		r.BodyContains = text
	case len(w) > 1 && w[0] == 'x':
		n, err := strconv.Atoi(w[1:])
		if err != nil || n < 1 {
			return fmt.Errorf("%q: times needs a whole number ≥ 1 after x", w)
		}
		r.Times = n
	default:
		return fmt.Errorf("unknown option %q (want xN, retry-after=N, body~TEXT, after-apply or echo)", w)
	}
	return nil
}

// String formats the rule in ParseFaultRules syntax.
func (r FaultRule) String() string {
	var b strings.Builder
	if r.Method != "" {
		b.WriteString(r.Method + " ")
	}
	b.WriteString(r.Path)
	switch {
	case r.Shrink && r.ShrinkMatch != "":
		b.WriteString(" shrink=" + r.ShrinkMatch)
	case r.Shrink:
		b.WriteString(" shrink")
	case r.Drop:
		b.WriteString(" drop")
	default:
		b.WriteString(" " + strconv.Itoa(r.Status))
	}
	if r.Times > 0 {
		b.WriteString(" x" + strconv.Itoa(r.Times))
	}
	if r.RetryAfter > 0 {
		b.WriteString(" retry-after=" + strconv.Itoa(r.RetryAfter))
	}
	if r.BodyContains != "" {
		text := r.BodyContains
		if strings.ContainsAny(text, " \t\n\";\\") {
			text = strconv.Quote(text)
		}
		b.WriteString(" body~" + text)
	}
	if r.AfterApply {
		b.WriteString(" after-apply")
	}
	if r.Echo {
		b.WriteString(" echo")
	}
	return b.String()
}
