package config

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
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
