package render

// What the operator reads is what is there.
//
// Much of what lswctl prints was written by someone else: the names and
// references of live objects, ids, the messages in API errors, and every
// string in a plan file handed to `show` or `apply`. Printed raw, such a
// string could move the cursor or recolour the terminal (ESC sequences),
// overwrite the line it is on (\r), add lines of its own ("\n+ create
// instance.evil"), reverse what follows it (Unicode bidi overrides), or, in
// a pull-request comment, open a heading, a link, an image, a table row or
// HTML.
//
// So every value this package prints passes through one of two doors:
//
//   - sprintf/fprintf, which every renderer uses instead of fmt: the format
//     is ours and trusted; every argument that can carry text (any string
//     kind, an error, a Stringer) is Cleaned first. Colour comes from
//     Style, whose output is the one argument type let through unchanged,
//     and Style Cleans the text it paints.
//   - the markdown escapers (mdText, mdCode, htmlEscape), which Clean and
//     then escape for their context.
//
// TestRenderersUseTheSafePrintf keeps fmt's printing functions out of every
// other file of the package. Clean never touches printable text, backslashes
// included, so cleaning twice changes nothing.

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with everything a terminal or a reader could mistake for
// something else shown escaped, Go-style: C0 and C1 control characters
// (\n, \r, \t, \x1b — which begins every colour and cursor sequence — and
// the rest), DEL, bytes that are not UTF-8, Unicode format characters
// (bidi overrides and isolates, zero-width characters) and the line and
// paragraph separators. Everything else is unchanged.
func Clean(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || unsafeRune(r) })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < utf8.RuneSelf && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r) && r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports whether r is shown escaped: a control character (C0,
// DEL, C1), a format character (Cf: bidi controls, zero-width characters,
// the BOM) or a line or paragraph separator.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// styled is text this package has already made safe and coloured. It is the
// only argument sprintf passes through without Cleaning it.
type styled string

// sprintf is fmt.Sprintf with every text argument Cleaned.
func sprintf(format string, args ...any) string {
	return fmt.Sprintf(format, cleanArgs(args)...)
}

// fprintf is fmt.Fprintf with every text argument Cleaned. Renderers build
// their output in a strings.Builder and report the one write error at the
// end, so it returns nothing.
func fprintf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, cleanArgs(args)...)
}

func cleanArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = cleanArg(a)
	}
	return out
}

func cleanArg(a any) any {
	switch v := a.(type) {
	case nil:
		return nil
	case styled:
		return string(v)
	case string:
		return Clean(v)
	case error:
		return Clean(v.Error())
	case fmt.Stringer:
		if numeric(a) { // an enum or a Duration: its own words, and %d must still work
			return a
		}
		return Clean(v.String())
	}
	if rv := reflect.ValueOf(a); rv.Kind() == reflect.String {
		return Clean(rv.String())
	}
	return a
}

func numeric(a any) bool {
	switch reflect.ValueOf(a).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}
