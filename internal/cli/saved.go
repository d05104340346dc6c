package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/engine"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/redact"
	"github.com/lswctl/lswctl/internal/render"
)

// formats are the output formats of plan, show and drift.
var formats = map[string]bool{"text": true, "json": true, "markdown": true}

func formatFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: text, json or markdown"}
}

func checkFormat(c *ucli.Context) (string, error) {
	f := c.String("format")
	if !formats[f] {
		return "", fmt.Errorf("--format %q: want text, json or markdown", f)
	}
	return f, nil
}

// renderPlan writes a plan in one of the formats.
func renderPlan(w io.Writer, p *plan.Plan, format string, st render.Style) error {
	switch format {
	case "json":
		return render.JSON(w, p)
	case "markdown":
		return render.Markdown(w, p, render.MarkdownLimit)
	}
	return render.Text(w, p, st)
}

// savePlan writes the plan file atomically. It holds no secret values (only
// digests), but it does describe the infrastructure: it is private. It is
// written through the redactor all the same, like every other output.
func savePlan(path string, p *plan.Plan, r *redact.Redactor) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lswctl-plan-*")
	if err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeScrubbed(tmp, r, func(w io.Writer) error { return render.JSON(w, p) }); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the plan: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	return nil
}

// writeScrubbed runs write against w through r (when set) and flushes.
func writeScrubbed(w io.Writer, r *redact.Redactor, write func(io.Writer) error) error {
	if r == nil {
		return write(w)
	}
	rw := r.Writer(w)
	if err := write(rw); err != nil {
		return err
	}
	return rw.Flush()
}

// maxPlanFile bounds the size of a plan file: a plan of tens of thousands
// of objects is a few tens of megabytes.
const maxPlanFile = 256 << 20

// loadPlan reads a saved plan file: a regular file of at most maxPlanFile
// bytes, decoded and checked for structure (plan.Decode).
func loadPlan(path string) (*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("reading the plan: %s is not a regular file", path)
	} else if st.Size() > maxPlanFile {
		return nil, fmt.Errorf("reading the plan: %s is larger than %d MiB", path, maxPlanFile>>20)
	}
	p, err := decodePlan(io.LimitReader(f, maxPlanFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// decodePlan decodes and checks a plan file's contents, naming the kinds
// this lswctl's providers serve as the kinds it may hold.
func decodePlan(r io.Reader) (*plan.Plan, error) { return plan.Decode(r, engine.KnownKinds()) }

func newShowCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "display a saved plan (even a stale one); contacts nothing",
		UsageText: "lswctl show [--format text|json|markdown] PLANFILE",
		Description: examples("lswctl show plan.json",
			"lswctl show --format markdown plan.json > comment.md"),
		Flags: []ucli.Flag{formatFlag()},
		Action: func(c *ucli.Context) error {
			format, err := checkFormat(c)
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return fmt.Errorf("show needs exactly one PLANFILE, got %d arguments", c.NArg())
			}
			p, err := loadPlan(c.Args().First())
			if err != nil {
				return err
			}
			return renderPlan(env.Stdout, p, format, render.NewStyle(colorOn(env, readGlobals(c), env.Stdout)))
		},
	}
}
