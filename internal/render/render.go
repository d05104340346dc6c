// Package render is the only package that formats for humans or knows about
// terminals. Plans render as text, JSON or (later) markdown from the same
// plan data; apply progress arrives through a Hook implementation.
// Renderers write to an injected io.Writer, never to os.Stdout.
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

func (s Style) paint(attr color.Attribute, text string) string {
	c := color.New(attr)
	if s.on {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return c.Sprint(text)
}

func (s Style) green(t string) string  { return s.paint(color.FgGreen, t) }
func (s Style) yellow(t string) string { return s.paint(color.FgYellow, t) }
func (s Style) red(t string) string    { return s.paint(color.FgRed, t) }
func (s Style) bold(t string) string   { return s.paint(color.Bold, t) }
func (s Style) faint(t string) string  { return s.paint(color.Faint, t) }
