package config

import (
	"bytes"
	"strings"
)

// goccy/go-yaml's parser needs time and memory that grow with the square of
// a document's nesting depth (40,000 nested "[" in 80 KB take 4.8 GB) and
// with the square of the number of keys in one block mapping (it parses the
// keys after each key recursively and copies them: a mapping of 100,000
// keys allocates 39 GB). prescan bounds both before the parser sees the
// bytes, in one pass and constant memory, and stops at the first place that
// crosses a limit so the error can point at it.
//
// It is a small scanner, not a parser. It follows what decides where
// nesting happens — indentation, block indicators (- ? :), quoted scalars,
// comments, block scalars and flow collections — and, where it cannot
// place something, errs towards counting more nesting, never less: what it
// lets through, the parser must bear. A differential test (prescan_test.go)
// checks on every input the parser accepts that prescan's measures are at
// least the parser's.
//
// The limits are far above any real configuration: lswctl's schema nests
// about 6 levels deep, and 60,000 instances in one mapping (13.6 MB) cost a
// sixth of the key budget.
const (
	maxDepth = 64
	// maxMappingKeys bounds the keys of one block mapping; a file's block
	// mappings together may cost no more than one such mapping, counting
	// a mapping of k keys as k².
	maxMappingKeys = 100000
)

// scanLimits are the bounds prescan enforces; tests use smaller ones.
type scanLimits struct {
	depth int
	keys  int64
}

var defaultLimits = scanLimits{depth: maxDepth, keys: maxMappingKeys}

// scanIssue is where and why prescan refused a file.
type scanIssue struct {
	line, col int // 1-based; col counts characters, as go-yaml's positions do
	msg       string
}

// scanStats are prescan's measures, for the differential test.
type scanStats struct {
	depth   int   // deepest nesting seen
	keyCost int64 // sum of the squares of the block mappings' key counts
}

// level is one open block collection.
type level struct {
	col      int // byte column of its indicator or first key
	mapping  bool
	explicit bool // the last key was "? ": its ": " is not another key
	empty    bool // the last entry ("-") has no value yet
	bare     bool // the last key has no value on its line
	tagged   bool // the last value is only a tag so far
}

// run counts the keys written in one column since the last token in a
// column left of it. go-yaml's block mapping goes on while the next key is
// in the same column, so a run holds at least the keys of any mapping in
// it, however prescan nests the lines.
type run struct {
	col  int
	keys int64
}

// prescanner scans one file.
type prescanner struct {
	src        []byte
	pos        int     // next byte
	line       int     // line of pos, 1-based
	lineStart  int     // offset of that line's first byte
	flows      []byte  // open flow collections, innermost last: '[', '{' or pairFlow
	flowKeys   []int64 // keys seen in each of flows, for pairFlow levels
	seqs       int     // open flow sequences
	maps       int     // open flow mappings
	text       bool    // a plain scalar has begun since the last flow indicator
	lastColon  bool    // the last flow token was a ":" indicator
	lonely     int     // column of a node the line before ended with, not a key; -1 if none
	keyCol     int     // lonely, for a ": " starting this line
	lonelyRun  int     // the column go-yaml gives lonely as a key; keyRunCol for keyCol
	keyRunCol  int
	inner      bool // the node being scanned follows an indicator or key on its line
	lonelyIn   bool // inner, for lonely; keyIn for keyCol
	keyIn      bool
	plainOpen  bool  // the line before ended inside a plain scalar
	nestNext   bool  // the next entry or key nests, whatever its column
	afterEmpty bool  // a block scalar without text ended at this line
	shadow     bool  // this is the second reading of a quoted scalar
	forkCost   int64 // stats.keyCost when that reading began
	lastDelim  int   // column of the last key, "-" or "?"; -1 before the first
	levels     []level
	runs       []run // keys per column, innermost last
	literal    int   // while >= -1, lines indented deeper are block scalar text
	textCol    int   // the block scalar's content indentation, once seen; -1 before
	lim        scanLimits
	stats      scanStats
	issue      *scanIssue
}

const noLiteral = -2

// prescan checks src against the limits, returning the first place that
// crosses one, or nil.
func prescan(src []byte, lim scanLimits) (*scanIssue, scanStats) {
	s := &prescanner{src: loneCRtoLF(src), line: 1, literal: noLiteral, lim: lim, lonely: -1, keyCol: -1, lastDelim: -1}
	for s.pos < len(s.src) && s.issue == nil {
		s.blockLine()
	}
	return s.issue, s.stats
}

// loneCRtoLF returns src with every carriage return that does not start a
// CRLF turned into a line feed: YAML breaks lines at all three, and the
// scanner looks only for line feeds.
func loneCRtoLF(src []byte) []byte {
	i := bytes.IndexByte(src, '\r')
	if i < 0 {
		return src
	}
	out := bytes.Clone(src)
	for ; i < len(out); i++ {
		if out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// blockLine scans one line that starts in block context.
func (s *prescanner) blockLine() {
	indent := 0
	for s.pos < len(s.src) && s.src[s.pos] == ' ' {
		s.pos++
		indent++
	}
	if s.blankRest() {
		s.skipLine()
		return
	}
	if s.docMarker(indent) {
		return
	}
	if s.inLiteral(indent) || s.src[s.pos] == '#' { // a comment closes nothing
		s.plainOpen = false
		s.skipLine()
		return
	}
	// go-yaml may read a "- " or "? " there either as text or as a new
	// node: prescan reads a node (and a quote after it both ways)
	entry := (s.src[s.pos] == '-' || s.src[s.pos] == '?') && s.blankAt(s.pos+1)
	if s.plainOpen && indent > s.lastDelim && !entry {
		// go-yaml goes on with the plain scalar while lines are indented
		// deeper than the last key or entry
		s.plainOpen = false
		s.nestNext = s.lonelyIn // should it become a key, a value nests
		if s.plainRun(s.lonely, s.lonelyRun) {
			s.node(true)
		}
		return
	}
	s.plainOpen = false
	s.keyCol, s.keyRunCol, s.keyIn, s.lonely = s.lonely, s.lonelyRun, s.lonelyIn, -1
	s.nestNext = false
	valueKey := s.keyIn && s.keyCol >= 0 && s.src[s.pos] == ':' && s.blankAt(s.pos+1)
	if n := len(s.levels); n > 0 && s.levels[n-1].tagged {
		// go-yaml gives a pending tag the next line's node, whatever its
		// column: the first entry or key nests, and nothing closes
		s.levels[n-1].tagged = false
		s.nestNext = true
	} else if valueKey {
		s.nestNext = true // a value turned key nests in its parent: nothing closes
	} else if !s.mergeKeyAhead() { // go-yaml places a line with one at the "<<"
		s.close(indent, false)
		if n := len(s.levels); n > 0 && s.levels[n-1].col < indent {
			s.levels[n-1].empty, s.levels[n-1].bare = false, false
		}
	}
	if s.afterEmpty && !strings.ContainsRune("[{-?:#", rune(s.src[s.pos])) {
		// after a block scalar without text, go-yaml reads the next line
		// as plain text even where it starts with a quote, an anchor, a
		// tag or a block scalar indicator
		s.afterEmpty = false
		if s.plain(indent) {
			s.node(true)
		}
		return
	}
	s.afterEmpty = false
	s.node(false)
}

// commentRest reports whether only blanks and a comment follow i on its
// line.
func (s *prescanner) commentRest(i int) bool {
	for ; i < len(s.src) && isBlank(s.src[i]); i++ {
	}
	return i >= len(s.src) || s.src[i] == '\n' || s.src[i] == '\r' || s.src[i] == '#'
}

// blankRest reports whether the rest of the line holds only blanks.
func (s *prescanner) blankRest() bool {
	for i := s.pos; i < len(s.src); i++ {
		switch s.src[i] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// docMarker handles "---" and "..." at the start of a line: every open
// collection and block scalar ends there, and what follows on the line is
// a node. go-yaml needs no blank after "...".
func (s *prescanner) docMarker(indent int) bool {
	rest := s.src[s.pos:]
	start := indent == 0 && len(rest) >= 3 && string(rest[:3]) == "---" && s.blankAt(s.pos+3)
	end := indent == 0 && len(rest) >= 3 && string(rest[:3]) == "..." && (len(rest) == 3 || rest[3] != '.')
	if !start && !end {
		return false
	}
	s.levels, s.runs, s.literal, s.plainOpen = s.levels[:0], s.runs[:0], noLiteral, false
	s.pos += 3
	s.node(false)
	return true
}

// node scans from the start of a node in block context to the end of the
// line, or past a multi-line flow collection or quoted scalar. What follows
// a complete node on its line is scanned as another node, not skipped:
// go-yaml reads more than YAML allows there, so skipping could miss
// nesting.
func (s *prescanner) node(inner bool) {
	start := -1     // where the current node began, with its anchor or tag: a key starts there
	props := false  // the current node has only an anchor or tag so far
	tagged := false // ... and a tag among them
	s.inner = inner
	for s.issue == nil {
		s.skipBlanks()
		if s.pos >= len(s.src) {
			return
		}
		col, c := s.pos-s.lineStart, s.src[s.pos]
		if c == '\n' || c == '\r' || c == '#' {
			if start >= 0 {
				s.scalarEnded(start)
			}
			// a tag, or properties alone on their line, wait for the
			// next line's node, whatever its column
			tagged = tagged || (props && (s.nestNext || !s.inner))
			if n := len(s.levels); props && n > 0 {
				// go-yaml gives the anchor or tag to the next line's
				// node, even in the same column: a key there, or after
				// a tag an entry there too, nests
				s.levels[n-1].empty, s.levels[n-1].tagged = true, tagged
			}
			s.skipLine()
			return
		}
		if start < 0 {
			start = col
		}
		switch {
		case (c == '-' || c == '?' || c == ':') && s.blankAt(s.pos+1):
			s.indicator(c, col)
			if n := len(s.levels); c == '-' && tagged && s.levels[n-1].empty {
				s.levels[n-1].tagged = true // go-yaml nests the next entry in "! -"
			}
			s.pos++
			start, props, tagged, s.inner = -1, false, false, true
			continue
		case (c == '&' || c == '*') && (s.blankAt(s.pos+1) || strings.IndexByte("\"'[{", s.src[s.pos+1]) >= 0):
			s.nameless(c, col)
			return
		case c == '&' || c == '!':
			props, tagged = true, tagged || c == '!'
			s.skipToken()
			if s.src[s.pos-1] == ':' {
				s.key(start) // go-yaml reads "!:" as a key in places
			}
			continue
		case c == '|' || c == '>':
			s.scalarEnded(start)
			s.literal, s.textCol = -1, -1
			if n := len(s.levels); n > 0 {
				s.literal = s.levels[n-1].col
			}
			s.skipLine()
			return
		case c == '[' || c == '{':
			s.flowCollection()
		case c == '"' || c == '\'':
			s.quotedOrText(start, false)
		case c == '*':
			s.skipToken()
		default:
			if !s.plain(start) {
				return
			}
			start, props, tagged, s.inner = -1, false, false, true
			continue
		}
		props, tagged = false, false
		s.skipBlanks()
		if s.pos < len(s.src) && s.src[s.pos] == ':' && s.blankAt(s.pos+1) {
			delim := s.lastDelim
			s.key(start)
			if c != '"' && c != '\'' {
				s.lastDelim = delim // go-yaml keeps it at a flow or alias key
			}
			s.pos++
			start, s.inner = -1, true
		}
	}
}
