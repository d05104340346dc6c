package config

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// go-yaml leaves some plain scalars that YAML 1.2 reads as numbers as
// strings: integers beyond 64 bits, floats with an exponent but no point
// ("1e5"), and floats beyond float64 ("1e309"). A value the user wrote as a
// number would then be reported as "got string". plainNumber reads them as
// YAML 1.2's core schema does, with go-yaml's underscores.
var (
	intPattern   = regexp.MustCompile(`^[-+]?(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)$`)
	floatPattern = regexp.MustCompile(`^[-+]?(\.[0-9][0-9_]*|[0-9][0-9_]*(\.[0-9_]*)?)[eE][-+]?[0-9]+$`)
)

// errOutOfRange marks a number no float64 holds.
var errOutOfRange = errors.New("out of range")

// plainNumber returns the number a plain scalar go-yaml left as a string
// stands for: ok is false when it is no number, and err is errOutOfRange
// when it is one float64 cannot hold. Integers within 64 bits that go-yaml
// left as strings ("09") stay strings, as go-yaml meant.
func plainNumber(s string) (v float64, ok bool, err error) {
	digits := strings.ReplaceAll(s, "_", "")
	switch {
	case intPattern.MatchString(s):
		n, okInt := new(big.Int).SetString(strings.TrimPrefix(digits, "+"), 0)
		if !okInt || n.IsInt64() || n.IsUint64() {
			return 0, false, nil
		}
		f, _ := new(big.Float).SetInt(n).Float64()
		if math.IsInf(f, 0) {
			return 0, true, errOutOfRange
		}
		return f, true, nil
	case floatPattern.MatchString(s):
		f, err := strconv.ParseFloat(digits, 64)
		mantissa, _, _ := strings.Cut(strings.ToLower(digits), "e")
		if err != nil || (f == 0 && strings.Trim(mantissa, "+-0.") != "") {
			return 0, true, errOutOfRange // beyond float64, or too small to tell from 0
		}
		return f, true, nil
	}
	return 0, false, nil
}

// scalarText returns the text of a scalar node as written (unquoted).
func scalarText(n ast.Node) (string, bool) {
	switch t := n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		if t.Value != nil {
			return t.Value.Value, true
		}
		return "", true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// scalar converts a scalar node to string, int64, float64, bool or nil.
// Integers beyond int64 become float64; infinities and NaN stay strings,
// since neither JSON nor the APIs have them.
func (b *treeBuilder) scalar(n ast.Node, path string) *node {
	out := &node{kind: scalarNode, pos: b.pos(n.GetToken())}
	switch t := n.(type) {
	case *ast.NullNode, *ast.CommentGroupNode:
	case *ast.BoolNode:
		out.value = t.Value
	case *ast.IntegerNode:
		switch v := t.Value.(type) {
		case int64:
			out.value = v
		case uint64:
			if v <= math.MaxInt64 {
				out.value = int64(v)
			} else {
				out.value = float64(v)
			}
		default:
			out.value = t.Token.Value
		}
	case *ast.FloatNode:
		out.value = t.Value
		if math.IsInf(t.Value, 0) || math.IsNaN(t.Value) {
			out.value = t.Token.Value
		}
	case *ast.StringNode:
		out.value = t.Value
		if t.Token != nil && t.Token.Type == token.StringType {
			b.plainNumber(out, t.Value, path)
		}
	default:
		s, ok := scalarText(n)
		if !ok {
			b.errorf(out.pos, path, "unsupported YAML node %s", n.Type())
		}
		out.value = s
	}
	if s, ok := out.value.(string); ok && strings.ContainsRune(s, 0) {
		b.errorf(out.pos, path, "string holds a NUL character (\\0)")
		out.reported = true
	}
	return out
}

// plainNumber gives a plain scalar go-yaml left as a string the number
// YAML reads there, or reports it out of range.
func (b *treeBuilder) plainNumber(out *node, text, path string) {
	v, ok, err := plainNumber(text)
	switch {
	case !ok:
	case err != nil:
		b.errorf(out.pos, path, "number %s is out of range", text)
		out.reported = true
	default:
		out.value = v
	}
}
