package plan

import (
	"fmt"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Pattern is a --target or --replace pattern, compiled: KIND.NAME where
// either part may hold wildcards. The syntax is defined here only (the
// README repeats it):
//
//   - The pattern is split at its first "." into a kind part and a name
//     part, as an address is; each part matches its part of the address.
//   - "*" matches any run of characters, empty included, "/" and "." too:
//     names hold them (listener.edge/HTTP:80), so "listener.*" matches every
//     listener and "listener.edge/*" those of loadBalancer.edge. "**" means
//     the same as "*".
//   - "?" matches exactly one character.
//   - "[abc]", "[a-z]" match one character of the set; "[!a-z]" or "[^a-z]"
//     one character outside it.
//   - "\" makes the next character literal ("\*", "\[", "\\").
//
// Everything else matches itself, case-sensitively.
type Pattern struct {
	text       string
	kind, name []elem
}

// elem is one compiled element: a literal rune, "?", "*" or a class.
type elem struct {
	op     byte // 'c' literal, '?', '*', '['
	r      rune
	neg    bool
	ranges [][2]rune
}

// ParsePattern compiles a pattern, refusing a malformed one with the reason.
func ParsePattern(s string) (Pattern, error) {
	kind, name, ok := strings.Cut(s, ".")
	if !ok || kind == "" || name == "" {
		return Pattern{}, fmt.Errorf("want KIND.NAME, for example instance.web-1 or 'instance.web-*'")
	}
	p := Pattern{text: s}
	var err error
	if p.kind, err = compile(kind); err != nil {
		return Pattern{}, err
	}
	if p.name, err = compile(name); err != nil {
		return Pattern{}, err
	}
	return p, nil
}

// String returns the pattern as written.
func (p Pattern) String() string { return p.text }

// Match reports whether the address matches the pattern.
func (p Pattern) Match(a model.Address) bool {
	return match(p.kind, []rune(a.Kind)) && match(p.name, []rune(a.Name))
}

// MatchKind reports whether the kind part matches a kind.
func (p Pattern) MatchKind(kind string) bool { return match(p.kind, []rune(kind)) }

// Literal returns the address a pattern without wildcards names.
func (p Pattern) Literal() (model.Address, bool) {
	kind, ok1 := literal(p.kind)
	name, ok2 := literal(p.name)
	return model.Address{Kind: kind, Name: name}, ok1 && ok2
}

// KindLiteral returns the kind a kind part without wildcards names.
func (p Pattern) KindLiteral() (string, bool) { return literal(p.kind) }

func literal(es []elem) (string, bool) {
	var b strings.Builder
	for _, e := range es {
		if e.op != 'c' {
			return "", false
		}
		b.WriteRune(e.r)
	}
	return b.String(), true
}

// compile turns one part of a pattern into elements.
func compile(s string) ([]elem, error) {
	rs := []rune(s)
	var out []elem
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\\':
			if i+1 == len(rs) {
				return nil, fmt.Errorf("malformed pattern: \\ at the end escapes nothing")
			}
			i++
			out = append(out, elem{op: 'c', r: rs[i]})
		case '*':
			if len(out) == 0 || out[len(out)-1].op != '*' {
				out = append(out, elem{op: '*'})
			}
		case '?':
			out = append(out, elem{op: '?'})
		case '[':
			e, end, err := class(rs, i)
			if err != nil {
				return nil, err
			}
			out, i = append(out, e), end
		default:
			out = append(out, elem{op: 'c', r: rs[i]})
		}
	}
	return out, nil
}

// class compiles the class opening at rs[start], returning it and the
// index of its closing "]".
func class(rs []rune, start int) (elem, int, error) {
	e := elem{op: '['}
	i := start + 1
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		e.neg, i = true, i+1
	}
	for ; i < len(rs) && rs[i] != ']'; i++ {
		lo, err := classRune(rs, &i)
		if err != nil {
			return e, 0, err
		}
		hi := lo
		if i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] != ']' {
			i += 2
			if hi, err = classRune(rs, &i); err != nil {
				return e, 0, err
			}
			if hi < lo {
				return e, 0, fmt.Errorf("malformed pattern: range %c-%c runs backwards", lo, hi)
			}
		}
		e.ranges = append(e.ranges, [2]rune{lo, hi})
	}
	if i == len(rs) {
		return e, 0, fmt.Errorf("malformed pattern: [ without its closing ]")
	}
	if len(e.ranges) == 0 {
		return e, 0, fmt.Errorf("malformed pattern: [] matches nothing (write \\[ for a literal [)")
	}
	return e, i, nil
}

func classRune(rs []rune, i *int) (rune, error) {
	if rs[*i] != '\\' {
		return rs[*i], nil
	}
	if *i+1 == len(rs) {
		return 0, fmt.Errorf("malformed pattern: \\ at the end escapes nothing")
	}
	*i++
	return rs[*i], nil
}

func (e elem) matches(r rune) bool {
	switch e.op {
	case 'c':
		return e.r == r
	case '?':
		return true
	}
	in := false
	for _, rg := range e.ranges {
		if rg[0] <= r && r <= rg[1] {
			in = true
			break
		}
	}
	return in != e.neg
}

// match matches elements against a whole string. On a mismatch it backs up
// to the last "*" only, which is enough (an earlier star could only take
// less) and keeps the work to len(p)*len(s).
func match(p []elem, s []rune) bool {
	pi, si := 0, 0
	star, starS := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi].op == '*':
			star, starS = pi, si
			pi++
		case pi < len(p) && p[pi].matches(s[si]):
			pi++
			si++
		case star >= 0:
			starS++
			pi, si = star+1, starS
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].op == '*' {
		pi++
	}
	return pi == len(p)
}
