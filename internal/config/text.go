package config

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// utf8BOM is the byte order mark some Windows editors write at the start of
// a UTF-8 file. go-yaml would read it as part of the first key.
var utf8BOM = []byte("\xef\xbb\xbf")

// checkText refuses what YAML does not allow in a stream and go-yaml would
// accept silently: invalid UTF-8 (it would become U+FFFD, so a value would
// differ from the file), NUL and the other non-printable characters (all
// control characters but tab, line feed, carriage return and U+0085,
// U+FFFE and U+FFFF). A leading byte order mark must have been removed.
// Escapes in double-quoted strings still allow any character; the tree
// builder checks those values.
func checkText(src []byte) *scanIssue {
	if bytes.HasPrefix(src, []byte("\xfe\xff")) || bytes.HasPrefix(src, []byte("\xff\xfe")) {
		return &scanIssue{line: 1, col: 1, msg: "file is UTF-16 encoded (lswctl reads UTF-8)"}
	}
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		var msg string
		switch {
		case r == utf8.RuneError && size == 1:
			msg = fmt.Sprintf("invalid UTF-8 (byte 0x%02X)", src[i])
		case r == 0:
			msg = "NUL character (U+0000) is not allowed in YAML"
		case !printable(r):
			msg = fmt.Sprintf("control character %U is not allowed in YAML (write it as an escape in a double-quoted string)", r)
		}
		if msg != "" {
			return &scanIssue{line: line, col: utf8.RuneCount(src[lineStart:i]) + 1, msg: msg}
		}
		i += size
		if r == '\n' || (r == '\r' && (i == len(src) || src[i] != '\n')) {
			line, lineStart = line+1, i
		}
	}
	return nil
}

// printable is YAML 1.2's c-printable, for valid runes.
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return false
	case r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}
