// Package suggest finds what a mistyped name most plausibly meant, for "did
// you mean" hints. It is shared by configuration validation and the
// providers' plan-time catalog checks, so both judge a typo the same way.
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate nearest to s by edit distance, ignoring
// case, when it is near enough to be a plausible typo: at most a third of
// the length of s (and at least one edit) away. Ties go to the earlier
// candidate, so the caller's order decides. An exact match suggests nothing.
func Closest(s string, candidates []string) (string, bool) {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if c == s {
			return "", false
		}
		d := Distance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, utf8.RuneCountInString(s)/3)
	if bestD < 0 || bestD > limit || bestD >= utf8.RuneCountInString(best) {
		return "", false
	}
	return best, true
}

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// characters each cost one ("wbe" is one edit from "web").
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
