package leaseweb

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lswctl/lswctl/internal/suggest"
)

// nearest returns the candidate a mistyped catalog name most plausibly
// meant: the one fewest edits away (ignoring case) when that is at most a
// third of the name's length, otherwise the only candidate the name is a
// prefix of ("UBUNTU_24_04" for "UBUNTU_24_04_64BIT"). Ties go to the first
// in sorted order, so the answer does not depend on the API's ordering.
func nearest(s string, candidates []string) (string, bool) {
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	ls := strings.ToLower(s)
	best, bestD := "", -1
	var prefixed []string
	for _, c := range sorted {
		lc := strings.ToLower(c)
		if d := suggest.Distance(ls, lc); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
		if ls != "" && strings.HasPrefix(lc, ls) {
			prefixed = append(prefixed, c)
		}
	}
	if bestD > 0 && bestD <= max(1, utf8.RuneCountInString(s)/3) {
		return best, true
	}
	if len(prefixed) == 1 {
		return prefixed[0], true
	}
	return "", false
}

// isUUID reports whether s has the 8-4-4-4-12 hexadecimal shape of a UUID,
// as custom image ids do.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
