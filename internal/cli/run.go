package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"

	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/engine"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/render"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// session is what one command run needs: engine options and output styles,
// plus the in-process sandbox when --sandbox is on.
type session struct {
	env    *Env
	opts   engine.Options
	out    render.Style
	sbx    *sandbox.Server
	closed bool
}

// newSession turns global flags and the environment into engine options.
// The caller must Close it.
func newSession(c *ucli.Context, env *Env, paths []string) (*session, error) {
	g := readGlobals(c)
	cwd, err := env.Getwd()
	if err != nil {
		return nil, err
	}
	s := &session{env: env, out: render.NewStyle(colorOn(env, g, env.Stdout))}
	s.opts = engine.Options{
		Paths:     paths,
		Cwd:       cwd,
		LookupEnv: env.LookupEnv,
		Version:   Version,
		Sandbox:   g.sandbox,

		AllowExternalFiles: g.allowExternalFiles,
	}
	if env.redactor != nil {
		s.opts.OnSecret = func(v string) { env.redactor.Add(v) }
	}
	if g.debug {
		s.opts.Debug = env.Stderr
	}
	if g.sandbox {
		srv, err := openSandbox(env, cwd)
		if err != nil {
			return nil, err
		}
		s.sbx = srv
		s.opts.HTTPClient = &http.Client{Transport: srv.Transport()}
	}
	if env.WrapTransport != nil {
		base := http.DefaultTransport
		if s.opts.HTTPClient != nil {
			base = s.opts.HTTPClient.Transport
		}
		s.opts.HTTPClient = &http.Client{Transport: env.WrapTransport(base)}
	}
	return s, nil
}

// Close flushes the sandbox state, if any.
func (s *session) Close() error {
	if s.sbx == nil || s.closed {
		return nil
	}
	s.closed = true
	return s.sbx.Close()
}

// load reads and validates the configuration.
func (s *session) load() (*engine.Engine, error) { return engine.Load(s.opts) }

// plan loads and plans.
func (s *session) plan(ctx context.Context) (*engine.Engine, *plan.Plan, error) {
	e, err := s.load()
	if err != nil {
		return nil, nil, err
	}
	p, err := e.Plan(ctx)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// colorOn decides colour for a stream: off with --no-color, with NO_COLOR
// set to a non-empty value, or when the stream is not a terminal.
func colorOn(env *Env, g globals, w io.Writer) bool {
	if g.noColor {
		return false
	}
	if v, _ := env.LookupEnv("NO_COLOR"); v != "" { // no-color.org: only a non-empty value counts
		return false
	}
	return env.IsTerminal(w)
}

func printf(w io.Writer, format string, args ...any) { fmt.Fprintf(w, format, args...) }
