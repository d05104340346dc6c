// Package diag holds positioned errors: one Error per problem, printed as
// "./file:line:col: path: message", and List, which collects them, drops
// duplicates and sorts them by position so every problem is reported at
// once, in reading order.
package diag

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Error is one problem at one place in a configuration file.
type Error struct {
	File string // as given; Format makes it relative to the working directory
	Line int
	Col  int
	Path string // the YAML path of the field, "instances.web-1.rootDisk.size"; may be empty
	Msg  string
	// Related lists other positions that contribute to the problem, such as
	// the first declaration of a duplicate name.
	Related []Related
}

// Related is a secondary position of an Error.
type Related struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Error renders the problem without making the file relative.
func (e *Error) Error() string { return e.format("") }

// Format renders the problem with the file relative to cwd, prefixed "./".
func (e *Error) Format(cwd string) string { return e.format(cwd) }

func (e *Error) format(cwd string) string {
	var b strings.Builder
	b.WriteString(location(cwd, e.File, e.Line, e.Col))
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	for _, r := range e.Related {
		b.WriteString("\n\t")
		b.WriteString(strings.TrimSuffix(location(cwd, r.File, r.Line, r.Col), ": "))
		if r.Msg != "" {
			b.WriteString(": " + r.Msg)
		}
	}
	return b.String()
}

func location(cwd, file string, line, col int) string {
	if file == "" {
		return ""
	}
	f := RelPath(cwd, file)
	switch {
	case line <= 0:
		return f + ": "
	case col <= 0:
		return fmt.Sprintf("%s:%d: ", f, line)
	default:
		return fmt.Sprintf("%s:%d:%d: ", f, line, col)
	}
}

// RelPath makes file relative to cwd with a "./" prefix and forward
// slashes, when it lies under cwd; otherwise it is returned cleaned.
func RelPath(cwd, file string) string {
	if cwd == "" {
		return filepath.ToSlash(file)
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(cwd, abs)
	}
	rel, err := filepath.Rel(cwd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	return "./" + filepath.ToSlash(rel)
}

// List is a set of problems. Its zero value is empty and ready to use.
type List []*Error

// Add appends a problem.
func (l *List) Add(e *Error) { *l = append(*l, e) }

// Addf appends a problem at a position.
func (l *List) Addf(file string, line, col int, path, format string, args ...any) {
	l.Add(&Error{File: file, Line: line, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Err returns the list, sorted and without duplicates, or nil when empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l.Sorted()
}

// Sorted returns the problems ordered by file, line, column, path and
// message, with exact duplicates removed.
func (l List) Sorted() List {
	out := make(List, len(l))
	copy(out, l)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	dedup := out[:0]
	for i, e := range out {
		if i > 0 && same(out[i-1], e) {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

func less(a, b *Error) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Msg < b.Msg
}

func same(a, b *Error) bool {
	return a.File == b.File && a.Line == b.Line && a.Col == b.Col && a.Path == b.Path && a.Msg == b.Msg
}

// Error renders every problem, one per line.
func (l List) Error() string { return l.Format("") }

// Format renders every problem relative to cwd, one per line.
func (l List) Format(cwd string) string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Format(cwd)
	}
	return strings.Join(lines, "\n")
}

// AsList extracts a List from err, or returns nil.
func AsList(err error) List {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return nil
}
