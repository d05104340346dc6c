// Package render is the only package that formats for humans or knows about
// terminals. Plans render as text, JSON or markdown from the same plan data;
// apply progress arrives through a Hook implementation, and the CLI prints
// its errors through Error. Renderers write to an injected io.Writer, never
// to os.Stdout, and print every live string neutralised (safe.go).
package render

import (
	"github.com/fatih/color"
)

// Style holds the colours of one output stream. The zero value is plain.
type Style struct {
	on bool
}

// NewStyle returns colours on or off. The caller decides from --no-color,
// NO_COLOR and whether the stream is a terminal.
func NewStyle(colored bool) Style { return Style{on: colored} }

// paint colours text after Cleaning it: whatever is painted may be live.
func (s Style) paint(text string, attrs ...color.Attribute) styled {
	c := color.New(attrs...)
	if s.on {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return styled(c.Sprint(Clean(text)))
}

func (s Style) green(t string) styled  { return s.paint(t, color.FgGreen) }
func (s Style) yellow(t string) styled { return s.paint(t, color.FgYellow) }
func (s Style) red(t string) styled    { return s.paint(t, color.FgRed) }
func (s Style) bold(t string) styled   { return s.paint(t, color.Bold) }
func (s Style) faint(t string) styled  { return s.paint(t, color.Faint) }

// The headings: bold in a colour.
func (s Style) boldGreen(t string) styled  { return s.paint(t, color.FgGreen, color.Bold) }
func (s Style) boldYellow(t string) styled { return s.paint(t, color.FgYellow, color.Bold) }
func (s Style) boldRed(t string) styled    { return s.paint(t, color.FgRed, color.Bold) }
