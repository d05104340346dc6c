package leaseweb

import (
	"slices"
	"strings"
	"unicode/utf8"
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
		if d := editDistance(ls, lc); bestD < 0 || d < bestD {
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

// editDistance is the Levenshtein distance between a and b, with adjacent
// transpositions counting one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		older, prev, cur := rows[0], rows[1], rows[2]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], older[j-2]+1)
			}
		}
		rows = [3][]int{prev, cur, older}
	}
	return rows[1][len(rb)]
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
