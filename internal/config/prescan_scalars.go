package config

// Scalars, merge keys and the skipping helpers of the prescanner
// (prescan.go).

import "bytes"

// scalarEnded records a node at col that ended its line without being a
// key: it fills an empty "-" entry, and a ": " on the next line may make it
// a key yet.
func (s *prescanner) scalarEnded(col int) { s.scalarEndedRun(col, col) }

// scalarEndedRun is scalarEnded for a node go-yaml places at runCol.
func (s *prescanner) scalarEndedRun(col, runCol int) {
	s.tokenAt(runCol)
	s.lonely, s.lonelyRun, s.lonelyIn = col, runCol, s.inner
	if n := len(s.levels); n > 0 {
		// it is the value of that entry, or of the key above it
		top := &s.levels[n-1]
		s.lonelyIn = s.lonelyIn || top.empty || top.bare || col > top.col
		top.empty, top.bare = false, false
	}
}

// plain scans a plain scalar. It reports true when a ": " made it a key,
// leaving pos at the value; false when it ran to the end of the line.
func (s *prescanner) plain(col int) bool { return s.plainRun(col, -1) }

// plainRun scans a plain scalar that began at col, or, with a runCol of
// -1, at col on this line. go-yaml places a scalar that reaches the end of
// its line at the column where its text began plus the blanks that end
// that line, and a key that spans lines there too: keyRun and tokenAt
// need that column.
func (s *prescanner) plainRun(col, runCol int) bool {
	first := runCol < 0
	if first {
		runCol = col
	}
	for s.pos < len(s.src) && s.issue == nil {
		switch c := s.src[s.pos]; {
		case c == '\n', c == '#' && s.pos > s.lineStart && isBlank(s.src[s.pos-1]):
			if first && c == '\n' {
				for i := s.pos - 1; i >= s.lineStart && isBlank(s.src[i]); i-- {
					runCol++
				}
			}
			s.scalarEndedRun(col, runCol)
			s.plainOpen = c == '\n'
			s.skipLine()
			return false
		case c == ':' && s.blankAt(s.pos+1):
			s.keyRun(col, runCol)
			s.pos++
			return true
		case c == '<':
			if colon := s.mergeKey(); colon > 0 {
				// go-yaml reads "<<:" as a merge key wherever it is,
				// dropping the text before it
				at := s.pos - s.lineStart
				s.pos = colon
				s.keyRun(at, at)
				s.pos++
				return true
			}
		}
		s.pos++
	}
	return false
}

// mergeKeyAhead reports whether the rest of the line holds a merge key
// as go-yaml reads them.
func (s *prescanner) mergeKeyAhead() bool {
	end := bytes.IndexByte(s.src[s.pos:], '\n')
	if end < 0 {
		end = len(s.src) - s.pos
	}
	for i := s.pos; i < s.pos+end; i++ {
		if s.src[i] == '<' {
			save := s.pos
			s.pos = i
			found := s.mergeKey() > 0
			s.pos = save
			if found {
				return true
			}
		}
	}
	return false
}

// mergeKey returns the offset of the ":" when pos starts what go-yaml
// reads as a merge key: exactly two "<", blanks, and a ":" that a space
// or a line break follows; otherwise 0.
func (s *prescanner) mergeKey() int {
	i := s.pos
	if i+2 >= len(s.src) || s.src[i+1] != '<' || s.src[i+2] == '<' {
		return 0
	}
	for i += 2; i < len(s.src) && s.src[i] == ' '; i++ {
	}
	if i+1 < len(s.src) && s.src[i] == ':' && (s.src[i+1] == ' ' || s.src[i+1] == '\n' || s.src[i+1] == '\r') {
		return i
	}
	return 0
}

// inLiteral reports whether a line indented by indent is the text of a
// block scalar: more indented than its parent, and at least as indented as
// its first line.
func (s *prescanner) inLiteral(indent int) bool {
	switch {
	case s.literal == noLiteral:
		return false
	case s.textCol < 0 && indent > s.literal:
		s.textCol = indent
		return true
	case s.textCol >= 0 && indent >= s.textCol:
		return true
	}
	s.literal = noLiteral
	s.afterEmpty = s.textCol < 0
	return false
}

func (s *prescanner) newline() {
	s.line++
	s.lineStart = s.pos
}

// skipLine moves past the end of the line.
func (s *prescanner) skipLine() {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		s.pos++
		if c == '\n' {
			s.newline()
			return
		}
	}
}

// skipComment moves to the end of the line, leaving the newline.
func (s *prescanner) skipComment() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

func (s *prescanner) skipBlanks() {
	for s.pos < len(s.src) && isBlank(s.src[s.pos]) {
		s.pos++
	}
}

// skipToken moves past an anchor, tag or alias.
func (s *prescanner) skipToken() {
	for s.pos < len(s.src) && s.src[s.pos] != ' ' && s.src[s.pos] != '\n' && s.src[s.pos] != '\r' {
		s.pos++ // go-yaml ends these at a space, not a tab
	}
}

// blankAt reports whether the byte at i ends an indicator: a blank, a line
// break or the end of the input.
func (s *prescanner) blankAt(i int) bool {
	return i >= len(s.src) || isBlank(s.src[i]) || s.src[i] == '\n' || s.src[i] == '\r'
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }
