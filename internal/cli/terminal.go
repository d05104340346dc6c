package cli

import (
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether stream is an *os.File attached to a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
