package config

import (
	"fmt"
	"unicode/utf8"
)

// How prescan tracks block structure: a stack of open collections, each at
// the column of its first key or "-", for the depth; and, apart from it, a
// stack of key runs per column for the key cost (see run).

// indicator records "- ", "? " or ": " at the start of a node. go-yaml
// takes a ": " at the start of a line as ending a key written on the line
// before, so a ": " that does not follow a "? " counts as a key.
func (s *prescanner) indicator(c byte, col int) {
	n := len(s.levels)
	keyCol := s.keyCol
	s.keyCol = -1
	switch {
	case c == ':' && keyCol >= 0:
		// go-yaml reads a ": " at the start of a line as ending the key
		// the line before ended with; when that was a value, it becomes
		// a mapping nested in it ("0\n: 1\n: 2" is {0: {1: 2}}), which
		// blockLine has prepared with nestNext
		s.keyRun(min(keyCol, col), s.keyRunCol) // the key's column is its text's
	case c == '-':
		s.open(col)
		s.levels[len(s.levels)-1].empty = s.blankRest() || s.commentRest(s.pos+1)
	case c == '?':
		s.key(col)
		s.levels[len(s.levels)-1].explicit = true
	case n > 0 && s.levels[n-1].col == col && s.levels[n-1].explicit:
		s.levels[n-1].explicit = false
	default:
		s.key(col)
	}
}

// open records a block sequence entry ("- ") at col.
func (s *prescanner) open(col int) {
	s.lastDelim = col
	if s.nestNext {
		s.nestNext = false
		s.push(level{col: col})
		return
	}
	s.tokenAt(col)
	s.close(col, false)
	if n := len(s.levels); n > 0 && s.levels[n-1].col == col && !s.levels[n-1].mapping {
		return
	}
	s.push(level{col: col})
}

// key records a block mapping key starting at col. go-yaml reads a key
// in the column of a "-" with nothing after it as that entry's value.
func (s *prescanner) key(col int) { s.keyRun(col, col) }

// keyRun records a key that nests like one at col and whose text, which
// go-yaml takes for the key's column, is at runCol.
func (s *prescanner) keyRun(col, runCol int) {
	s.lastDelim = col
	nested := s.nestNext
	s.nestNext = false
	if !nested {
		s.close(col, true)
	}
	n := len(s.levels)
	if nested || (n > 0 && s.levels[n-1].empty && s.levels[n-1].col == col) {
		s.nest(col)
		n++
	} else if n == 0 || s.levels[n-1].col != col || !s.levels[n-1].mapping {
		s.push(level{col: col, mapping: true})
		n++
	}
	s.levels[n-1].bare = s.commentRest(s.pos + 1)
	if !nested {
		s.tokenAt(runCol)
	}
	r := len(s.runs) - 1
	if r < 0 || s.runs[r].col != runCol {
		s.runs = append(s.runs, run{col: runCol})
		r++
	}
	s.runs[r].keys++
	s.stats.keyCost += 2*s.runs[r].keys - 1 // from (k-1)² to k²
	s.checkKeyCost(col)
}

// tokenAt ends the runs of keys in columns deeper than a token at col.
func (s *prescanner) tokenAt(col int) {
	r := len(s.runs)
	for r > 0 && s.runs[r-1].col > col {
		r--
	}
	s.runs = s.runs[:r]
}

// checkKeyCost fails when the keys so far cost more than the limit.
func (s *prescanner) checkKeyCost(col int) {
	if s.stats.keyCost > s.lim.keys*s.lim.keys && s.issue == nil {
		s.fail(col, fmt.Sprintf("too many keys in this file's block mappings (about %d in one mapping, fewer across several large ones: "+
			"the YAML parser's cost grows with the square of a mapping's size); split the mapping across files", s.lim.keys))
	}
}

// nest opens a mapping at col inside the innermost collection: go-yaml
// nests a key in the value above it in some cases YAML does not.
func (s *prescanner) nest(col int) {
	if n := len(s.levels); n > 0 {
		s.levels[n-1].empty, s.levels[n-1].tagged = false, false
	}
	s.push(level{col: col, mapping: true})
}

// close ends the block collections deeper than col; at a key, a sequence
// at col ends too (its mapping goes on), unless its last entry is empty.
func (s *prescanner) close(col int, atKey bool) {
	for n := len(s.levels); n > 0; n-- {
		top := s.levels[n-1]
		if top.col < col || (top.col == col && (top.mapping || !atKey || top.empty)) {
			return
		}
		s.levels = s.levels[:n-1]
	}
}

func (s *prescanner) push(l level) {
	s.levels = append(s.levels, l)
	s.checkDepth(l.col)
}

// checkDepth records the depth after a collection opened at col.
func (s *prescanner) checkDepth(col int) {
	d := len(s.levels) + len(s.flows)
	s.stats.depth = max(s.stats.depth, d)
	if d > s.lim.depth && s.issue == nil {
		s.fail(col, fmt.Sprintf("nested more than %d levels deep", s.lim.depth))
	}
}

// fail records an issue at a byte column of the current line.
func (s *prescanner) fail(col int, msg string) {
	end := min(s.lineStart+col, len(s.src))
	s.issue = &scanIssue{line: s.line, col: utf8.RuneCount(s.src[s.lineStart:end]) + 1, msg: msg}
}

// nameless refuses an anchor or alias without a name, which YAML does not
// allow: go-yaml takes the next token, wherever it is, as the name (or
// none, before a quote or a bracket), and the node after it as the value,
// in ways prescan cannot follow.
func (s *prescanner) nameless(c byte, col int) {
	what := "anchor"
	if c == '*' {
		what = "alias"
	}
	s.fail(col, fmt.Sprintf("%s %c without a name", what, c))
}
