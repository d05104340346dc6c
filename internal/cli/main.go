// Package cli is lswctl's command line: urfave/cli commands that copy flags
// into option structs and call the engine. It is the one place errors are
// printed, and it decides the exit code; it never calls os.Exit, so tests
// can run it in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"

	"github.com/lswctl/lswctl/internal/redact"
	"github.com/lswctl/lswctl/internal/render"
)

// Version is lswctl's version, reported by `lswctl version`, in the
// User-Agent and in plan files.
const Version = "0.1.0"

// Exit codes, exactly Terraform's.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2
)

// Env is the process's surroundings, injected so tests can fake them.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// LookupEnv reads environment variables; nil = os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Getwd returns the working directory; nil = os.Getwd.
	Getwd func() (string, error)
	// IsTerminal reports whether a stream is an interactive terminal;
	// nil = a check of *os.File streams.
	IsTerminal func(stream any) bool
	// WrapTransport, when set, wraps every provider's HTTP transport. Tests
	// use it to record API exchanges for contract validation.
	WrapTransport func(http.RoundTripper) http.RoundTripper

	// redactor scrubs secret values from everything written to Stdout and
	// Stderr; Main sets it up (see protectStreams).
	redactor *redact.Redactor
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}

func (e *Env) defaults() {
	if e.LookupEnv == nil {
		e.LookupEnv = os.LookupEnv
	}
	if e.Getwd == nil {
		e.Getwd = os.Getwd
	}
	if e.IsTerminal == nil {
		e.IsTerminal = isTerminal
	}
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
}

// errAlreadyReported marks an error whose message has been printed.
var errAlreadyReported = errors.New("already reported")

// exitCode carries a non-error exit status (2: changes pending).
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// Main runs lswctl with args (args[0] is the program name) and returns the
// exit code. A panic is a bug: it is reported as an internal error with
// exit 1, never left to the runtime's exit 2, which CI reads as "changes
// pending". (Only panics on Main's goroutine can be caught this way.)
func Main(ctx context.Context, args []string, env Env) (code int) {
	env.defaults()
	flush := protectStreams(&env)
	defer flush()
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(env.Stderr, "Error: internal error: %v\nThis is a bug in lswctl; please report it with the command that caused it.\n%s", v, debug.Stack())
			code = ExitError
		}
	}()
	app := newApp(&env)
	err := app.RunContext(ctx, hoistGlobalFlags(args))
	return report(&env, err)
}

// report prints err once and maps it to an exit code.
func report(env *Env, err error) int {
	var code exitCode
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, errAlreadyReported):
		return ExitError
	}
	cwd, _ := env.Getwd()
	render.Error(env.Stderr, err, cwd) // neutralises what the API or a name put in the message
	return ExitError
}

// globalFlags may come before or after the command name. urfave/cli only
// parses an app's flags before the command, so they are moved there.
var globalFlags = map[string]bool{"--no-color": true, "--debug": true, "--sandbox": true, "--allow-external-files": true}

func hoistGlobalFlags(args []string) []string {
	if len(args) == 0 {
		return args
	}
	head := []string{args[0]}
	var rest []string
	for i, a := range args[1:] {
		if a == "--" {
			rest = append(rest, args[1+i:]...)
			break
		}
		if globalFlags[a] {
			head = append(head, a)
			continue
		}
		rest = append(rest, a)
	}
	return append(head, rest...)
}
