package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// defaultSandboxState is where --sandbox keeps its state, under the working
// directory (gitignored).
const defaultSandboxState = ".lswctl/sandbox.json"

// sandboxStatePath resolves LSWCTL_SANDBOX_STATE or the default.
func sandboxStatePath(env *Env, cwd string) string {
	p, ok := env.LookupEnv("LSWCTL_SANDBOX_STATE")
	if !ok || p == "" {
		p = defaultSandboxState
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	return p
}

// sandboxOptions reads the sandbox's tuning from the environment:
// LSWCTL_SANDBOX_DELAY (how long transitional states last),
// LSWCTL_SANDBOX_LATENCY, LSWCTL_SANDBOX_ERROR_RATE and
// LSWCTL_SANDBOX_FAULTS (deterministic fault rules).
func sandboxOptions(env *Env, statePath string) (sandbox.Options, error) {
	o := sandbox.Options{StatePath: statePath}
	var err error
	if v, ok := env.LookupEnv("LSWCTL_SANDBOX_DELAY"); ok && v != "" {
		if o.Delay, err = time.ParseDuration(v); err != nil {
			return o, fmt.Errorf("LSWCTL_SANDBOX_DELAY %q: %w", v, err)
		}
		if o.Delay == 0 {
			o.Delay = -1 // immediate
		}
	}
	if v, ok := env.LookupEnv("LSWCTL_SANDBOX_LATENCY"); ok && v != "" {
		if o.Faults.Latency, err = time.ParseDuration(v); err != nil {
			return o, fmt.Errorf("LSWCTL_SANDBOX_LATENCY %q: %w", v, err)
		}
	}
	if v, ok := env.LookupEnv("LSWCTL_SANDBOX_ERROR_RATE"); ok && v != "" {
		if o.Faults.ErrorRate, err = parseRate(v); err != nil {
			return o, fmt.Errorf("LSWCTL_SANDBOX_ERROR_RATE: %w", err)
		}
	}
	if v, ok := env.LookupEnv("LSWCTL_SANDBOX_FAULTS"); ok && v != "" {
		if o.Faults.Rules, err = sandbox.ParseFaultRules(v); err != nil {
			return o, fmt.Errorf("LSWCTL_SANDBOX_FAULTS: %w", err)
		}
	}
	return o, nil
}

func parseRate(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1 {
		return 0, fmt.Errorf("%q: want a fraction between 0 and 1", v)
	}
	return f, nil
}

// openSandbox starts the in-process emulator behind --sandbox.
func openSandbox(env *Env, cwd string) (*sandbox.Server, error) {
	path := sandboxStatePath(env, cwd)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sandbox state: %w", err)
	}
	o, err := sandboxOptions(env, path)
	if err != nil {
		return nil, err
	}
	return sandbox.New(o)
}

func newSandboxCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "sandbox",
		Usage: "run or reset the built-in Leaseweb emulator",
		Subcommands: []*ucli.Command{
			newSandboxServeCmd(env),
			{
				Name:        "reset",
				Usage:       "forget everything --sandbox created (deletes its state file)",
				Description: examples("lswctl sandbox reset"),
				Action: func(c *ucli.Context) error {
					cwd, err := env.Getwd()
					if err != nil {
						return err
					}
					path := sandboxStatePath(env, cwd)
					if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
						return err
					}
					printf(env.Stdout, "Sandbox reset: %s removed.\n", path)
					return nil
				},
			},
		},
	}
}

func newSandboxServeCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "serve",
		Usage: "serve the emulator over HTTP on a loopback address",
		Description: "Point lswctl or any Leaseweb client at it with LEASEWEB_API_URL=http://ADDR and any\n" +
			"LEASEWEB_API_KEY. Control routes: POST /_sandbox/reset, GET /_sandbox/stats, PUT /_sandbox/faults.\n\n" +
			examples("lswctl sandbox serve --addr 127.0.0.1:8080 --state /tmp/sandbox.json",
				"lswctl sandbox serve --latency 50ms --error-rate 0.05"),
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen address (loopback)"},
			&ucli.StringFlag{Name: "state", Usage: "persist state to this JSON file"},
			&ucli.DurationFlag{Name: "latency", Usage: "add this latency to every request"},
			&ucli.Float64Flag{Name: "error-rate", Usage: "answer this fraction of requests with 503"},
			&ucli.DurationFlag{Name: "delay", Usage: "how long transitional states (CREATING, STOPPING…) last"},
			&ucli.StringFlag{Name: "faults", Usage: "deterministic fault rules, as LSWCTL_SANDBOX_FAULTS"},
		},
		Action: func(c *ucli.Context) error {
			o, err := sandboxOptions(env, c.String("state"))
			if err != nil {
				return err
			}
			if err := serveFlags(c, &o); err != nil {
				return err
			}
			srv, err := sandbox.New(o)
			if err != nil {
				return err
			}
			defer srv.Close()
			return srv.ListenAndServe(c.Context, c.String("addr"), func(addr string) {
				printf(env.Stdout, "Sandbox listening on http://%s (Ctrl-C to stop)\n", addr)
			})
		},
	}
}

func serveFlags(c *ucli.Context, o *sandbox.Options) error {
	if c.IsSet("latency") {
		o.Faults.Latency = c.Duration("latency")
	}
	if c.IsSet("error-rate") {
		r := c.Float64("error-rate")
		if r < 0 || r > 1 {
			return fmt.Errorf("--error-rate %v: want a fraction between 0 and 1", r)
		}
		o.Faults.ErrorRate = r
	}
	if c.IsSet("delay") {
		o.Delay = c.Duration("delay")
	}
	if c.IsSet("faults") {
		rules, err := sandbox.ParseFaultRules(c.String("faults"))
		if err != nil {
			return fmt.Errorf("--faults: %w", err)
		}
		o.Faults.Rules = rules
	}
	return nil
}
