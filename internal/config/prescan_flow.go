package config

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// flowCollection scans from an opening bracket to the bracket that closes
// it, across lines. It reads flow content as go-yaml's scanner does, which
// is laxer than YAML: "[" and "{" always open a collection; "]" and "}"
// close one only while one of their kind is open; a quote starts a quoted
// scalar, a "#" a comment and a ":" an indicator by go-yaml's rules on the
// text before them.
func (s *prescanner) flowCollection() {
	s.text, s.lastColon = false, false
	s.flowContent()
}

// flowContent scans flow content up to the bracket that closes the
// outermost open collection.
func (s *prescanner) flowContent() {
	for s.pos < len(s.src) && s.issue == nil {
		c := s.src[s.pos]
		switch {
		case c == '[' || c == '{':
			s.flowOpen(c)
		case (c == ']' && s.seqs > 0) || (c == '}' && s.maps > 0):
			if s.flowClose(c) {
				s.pos++
				return
			}
		case c == ',':
			if n := len(s.flows); n > 0 && s.flows[n-1] == pairFlow {
				s.flows, s.flowKeys = s.flows[:n-1], s.flowKeys[:n-1]
			} else if n > 0 {
				s.flowKeys[n-1] = 0 // a flow mapping's entry ends
			}
		case (c == '"' || c == '\'') && !s.text:
			s.quotedOrText(0, true)
			s.text, s.lastColon = false, false
			continue
		case c == '#' && (!s.text || isBlank(s.src[s.pos-1]) || s.src[s.pos-1] == '\n'):
			s.skipComment()
			s.text = false
			continue
		case (c == '&' || c == '*') && !s.text:
			s.pos++ // the name that follows is text, but a quote right after starts a scalar
			s.lastColon = false
			continue
		case c == '!' && !s.text:
			// a tag runs to a space, a comma or a line break
			for s.pos < len(s.src) && !strings.ContainsRune(" ,\n\r{}", rune(s.src[s.pos])) {
				s.pos++
			}
			s.lastColon = false
			continue
		case c == ':' && s.flowColon():
			s.flowKey()
			s.pos++
			s.text, s.lastColon = false, true
			continue
		case (c == '-' || c == '?') && !s.text && s.blankAt(s.pos+1):
			// go-yaml reads "- " and "? " in flow context too, as a
			// block sequence or an explicit key: one level more
			s.pushPair()
			s.stats.keyCost++
			s.pos++
			s.lastColon = false
			continue
		case c == '\n':
			s.pos++
			s.newline()
			continue
		case isBlank(c) || c == '\r':
			s.pos++
			continue
		default:
			s.text, s.lastColon = true, false
			s.pos++
			continue
		}
		s.text, s.lastColon = false, false
		s.pos++
	}
}

func (s *prescanner) pushPair() {
	s.flows, s.flowKeys = append(s.flows, pairFlow), append(s.flowKeys, 0)
	s.checkDepth(s.pos - s.lineStart)
}

// flowKey records a ":" indicator in flow context. In a flow sequence,
// "a: b" is a mapping of its own, until the next comma, and so is "b: c" in
// the value of a flow mapping's "a: b: c". More keys before
// that comma, on other lines, go-yaml parses as a block mapping, sometimes
// nested in the value before: each counts as a level more and as a key
// more of one mapping. The keys of a flow mapping cost one each: go-yaml
// parses those in a loop.
func (s *prescanner) flowKey() {
	n := len(s.flows)
	if n == 0 || (s.flows[n-1] == '{' && s.flowKeys[n-1] == 0) {
		if n > 0 {
			s.flowKeys[n-1] = 1 // a second ":" in this entry nests
		}
		s.stats.keyCost++
		return
	}
	var keys int64
	if s.flows[n-1] == pairFlow {
		keys = s.flowKeys[n-1]
	}
	s.pushPair()
	s.flowKeys[n] = keys + 1
	s.stats.keyCost += 2*keys + 1
	s.checkKeyCost(s.pos - s.lineStart)
}

// pairFlow marks, in prescanner.flows, a level that lasts to the next
// comma: the single-pair mapping "a: b" makes in a flow sequence, or what
// "- " and "? " make in go-yaml.
const pairFlow = 'p'

func (s *prescanner) flowOpen(c byte) {
	s.flows, s.flowKeys = append(s.flows, c), append(s.flowKeys, 0)
	if c == '[' {
		s.seqs++
	} else {
		s.maps++
	}
	s.checkDepth(s.pos - s.lineStart)
}

// flowClose closes the innermost open collection of c's kind, with the
// pairs in it, and reports whether none is left open. Other kinds stay
// open even when malformed input nests them inside, as go-yaml counts each
// kind on its own.
func (s *prescanner) flowClose(c byte) bool {
	open := byte('[')
	s.seqs--
	if c == '}' {
		open = '{'
		s.seqs++
		s.maps--
	}
	i := bytes.LastIndexByte(s.flows, open)
	j := i + 1
	for j < len(s.flows) && s.flows[j] == pairFlow {
		j++
	}
	s.flows, s.flowKeys = append(s.flows[:i], s.flows[j:]...), append(s.flowKeys[:i], s.flowKeys[j:]...)
	if s.seqs+s.maps == 0 {
		s.flows, s.flowKeys = s.flows[:0], s.flowKeys[:0]
		return true
	}
	return false
}

// flowColon reports whether go-yaml reads the ":" at pos in flow context as
// an indicator: always inside a flow mapping (unless "://" or right after
// another ":"), and elsewhere when a blank or line break follows.
func (s *prescanner) flowColon() bool {
	if s.maps > 0 {
		return !s.lastColon && (s.pos+1 >= len(s.src) || s.src[s.pos+1] != '/')
	}
	return s.blankAt(s.pos + 1)
}

// quoted skips a quoted scalar, across lines.
func (s *prescanner) quoted(q byte) {
	s.pos++
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		s.pos++
		switch {
		case c == '\n':
			s.newline()
		case c == '\\' && q == '"' && s.pos < len(s.src):
			s.escape()
		case c == q && q == '\'' && s.pos < len(s.src) && s.src[s.pos] == '\'':
			s.pos++
		case c == q:
			return
		}
	}
}

// escape skips what follows a backslash in a double-quoted scalar as
// go-yaml does: \x, \u and \U take the next 2, 4 and 8 characters,
// whatever they are, and a \u of a high surrogate 6 more.
func (s *prescanner) escape() {
	n := 1
	switch s.src[s.pos] {
	case 'x':
		n = 3
	case 'u':
		n = 5
		if h, err := strconv.ParseUint(string(s.src[s.pos+1:min(s.pos+5, len(s.src))]), 16, 16); err == nil && h >= 0xd800 && h <= 0xdbff {
			n = 11
		}
	case 'U':
		n = 9
	}
	for ; n > 0 && s.pos < len(s.src); n-- {
		_, size := utf8.DecodeRune(s.src[s.pos:])
		s.pos += size
		if s.src[s.pos-1] == '\n' {
			s.newline()
		}
	}
}

// quotedOrText skips the quoted scalar at pos and, unless this is already
// a second reading, reads the same bytes again as if the quote were text.
// go-yaml starts a quoted scalar only where its scanner holds no text yet,
// which prescan cannot always tell (on lines that continue a plain scalar,
// after a block scalar without text), and a quote read wrongly would hide
// everything up to the next one. The second reading stops where the quoted
// scalar ends; its depth, key cost and issue count as the first's. Every
// byte is read at most twice, as second readings do not read again.
func (s *prescanner) quotedOrText(col int, flow bool) {
	if s.shadow {
		s.quoted(s.src[s.pos])
		return
	}
	alt := s.fork()
	s.quoted(s.src[s.pos])
	alt.src = s.src[:s.pos]
	if flow {
		alt.text = true
		alt.pos++
		alt.flowContent()
	} else if alt.plain(col) {
		alt.node(true)
	}
	for alt.pos < len(alt.src) && alt.issue == nil {
		alt.blockLine()
	}
	s.stats.depth = max(s.stats.depth, alt.stats.depth)
	s.stats.keyCost += alt.stats.keyCost - alt.forkCost
	if s.issue == nil && alt.issue != nil {
		s.issue = alt.issue
	}
}

// fork returns a copy of the scanner's state for a second reading.
func (s *prescanner) fork() *prescanner {
	alt := *s
	alt.shadow, alt.forkCost = true, s.stats.keyCost
	alt.levels = append([]level(nil), s.levels...)
	alt.runs = append([]run(nil), s.runs...)
	alt.flows = append([]byte(nil), s.flows...)
	alt.flowKeys = append([]int64(nil), s.flowKeys...)
	return &alt
}
