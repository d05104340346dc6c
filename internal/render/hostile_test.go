package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/apply"
	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/drift"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// evil is a live string written by an attacker: it tries to forge a plan
// line, recolour and clear the terminal, overwrite a line, open a heading,
// a link, an image, HTML and a table cell, escape a code span, reverse the
// text after it and break the line in Unicode ways.
const evil = "web\n+   create  instance.evil \x1b[31mred\x1b[0m\x1b[2J ok\rfine \n# heading " +
	"[click](http://evil.example) ![i](http://evil.example/i.png) <img src=x> a|b `code` ``x`` " +
	"\u202eevil\u202c \u009b31m \u200b line\u2028sep $x$ ~~s~~ *e* _u_ &lt;"

// benign stands where evil does in the twin of each document: the same
// structure, nothing to neutralise.
const benign = "x"

func hostilePlan(s string) *plan.Plan {
	live := model.Address{Kind: "instance", Name: s}
	return &plan.Plan{
		FormatVersion: plan.FormatVersion, Version: "0.1.0", GitCommit: s, ConfigDigest: s,
		Warnings: []string{"instance." + s + " stays billed until its contract ends"},
		Steps: []plan.Step{
			{Addr: a("new"), Action: plan.Create, After: model.Object{"region": s, "tags": []any{s}}},
			{Addr: live, Action: plan.Update, ID: s, Reason: "because " + s,
				Changes: []diff.Change{{Path: "type", Before: s, After: "lsw.m5a.large"}}},
			{Addr: model.Address{Kind: "targetGroup", Name: s}, Action: plan.Delete, ID: s, Reason: s},
		},
		Unmanaged: []plan.Unmanaged{{Addr: live, ID: s}},
		Ignored:   []plan.Ignored{{Addr: live, ID: s, Reason: "owned by auto scaling group " + s}},
	}
}

func hostileDrift(s string) *drift.Report {
	live := model.Address{Kind: "instance", Name: s}
	return &drift.Report{FormatVersion: drift.FormatVersion, Version: "0.1.0", GitCommit: s, Findings: []drift.Finding{
		{Class: drift.Modified, Addr: live, ID: s, Changes: []diff.Change{{Path: "type", Before: s, After: "lsw.m5a.large"}}},
		{Class: drift.Unmanaged, Addr: live, ID: s},
	}}
}

func hostileApply(s string) (*plan.Plan, *apply.Summary) {
	p := hostilePlan(s)
	err := errors.New("POST /publicCloud/v1/instances: 400 Bad Request: " + s)
	sum := &apply.Summary{Results: []apply.StepResult{
		{Addr: p.Steps[0].Addr, Key: p.Steps[0].Key(), Action: plan.Create, Status: apply.Failed, Err: err},
		{Addr: p.Steps[1].Addr, Key: p.Steps[1].Key(), Action: plan.Update, Status: apply.UpstreamFailed, Because: []string{"instance." + s}},
		{Addr: p.Steps[2].Addr, Key: p.Steps[2].Key(), Action: plan.Delete, Status: apply.NotStarted},
	}, Interrupted: true}
	return p, sum
}

// outputs renders every human format of the hostile documents built with s.
func outputs(t *testing.T, s string, st Style) map[string]string {
	t.Helper()
	out := map[string]string{}
	render := func(name string, f func(*bytes.Buffer) error) {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.String()
	}
	render("plan.txt", func(b *bytes.Buffer) error { return Text(b, hostilePlan(s), st) })
	render("plan.md", func(b *bytes.Buffer) error { return Markdown(b, hostilePlan(s), MarkdownLimit) })
	render("drift.txt", func(b *bytes.Buffer) error { return DriftText(b, hostileDrift(s), st) })
	render("drift.md", func(b *bytes.Buffer) error { return DriftMarkdown(b, hostileDrift(s), MarkdownLimit) })
	render("apply.txt", func(b *bytes.Buffer) error {
		p, sum := hostileApply(s)
		pr := NewProgress(b, st)
		pr.PreStep(&p.Steps[1])
		pr.StillRunning(&p.Steps[1], 10*time.Second)
		pr.PostStep(&p.Steps[1], apply.StepResult{ID: s, Elapsed: time.Second})
		pr.PreStep(&p.Steps[0])
		pr.PostStep(&p.Steps[0], sum.Results[0])
		return Summary(b, sum, st)
	})
	render("errors.txt", func(b *bytes.Buffer) error {
		if err := Error(b, fmt.Errorf("reading instances: %w", errors.New(s)), ""); err != nil {
			return err
		}
		var l diag.List
		l.Add(&diag.Error{File: "lswctl.yaml", Line: 3, Col: 5, Path: "instances." + s, Msg: "no such image " + s,
			Related: []diag.Related{{File: "lswctl.yaml", Line: 9, Col: 5, Msg: "first declared as " + s}}})
		l.Addf("lswctl.yaml", 4, 1, "", "unknown field %s", s)
		return Error(b, l.Err(), "")
	})
	return out
}

// TestHostileGolden shows what the operator reads when live strings are
// hostile: every one of them escaped, on the line it belongs to.
func TestHostileGolden(t *testing.T) {
	out := outputs(t, evil, NewStyle(false))
	var all strings.Builder
	for _, name := range []string{"plan.txt", "plan.md", "drift.txt", "drift.md", "apply.txt", "errors.txt"} {
		fmt.Fprintf(&all, "=== %s\n%s", name, out[name])
	}
	golden(t, "hostile.txt", []byte(all.String()))
}

// TestHostileStringsKeepTheShape: with hostile strings every output has
// exactly the lines its benign twin has (nothing forged a line), holds no
// character a terminal would act on, and, in colour, no escape sequence the
// twin does not have.
func TestHostileStringsKeepTheShape(t *testing.T) {
	for _, colour := range []bool{false, true} {
		got, twin := outputs(t, evil, NewStyle(colour)), outputs(t, benign, NewStyle(colour))
		for name, out := range got {
			if g, w := strings.Count(out, "\n"), strings.Count(twin[name], "\n"); g != w {
				t.Errorf("%s (colour %v): %d lines, the benign twin has %d:\n%s", name, colour, g, w, out)
			}
			for _, c := range []string{"\x1b", "\t"} { // colour codes, and the tab before a related position
				if g, w := strings.Count(out, c), strings.Count(twin[name], c); g != w {
					t.Errorf("%s (colour %v): %d %q, the benign twin has %d", name, colour, g, c, w)
				}
			}
			for _, r := range out {
				if r != '\n' && r != '\t' && r != '\x1b' && unsafeRune(r) {
					t.Errorf("%s (colour %v): raw %U in output", name, colour, r)
					break
				}
			}
			for _, forged := range []string{"+   create  instance.evil", "# heading", "fine "} {
				if regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(forged)).MatchString(out) {
					t.Errorf("%s (colour %v): a live string forged the line %q", name, colour, forged)
				}
			}
		}
	}
}

// TestHostileMarkdownStaysInert compares each markdown line, outside code
// blocks and code spans, with its benign twin: hostile text must add no
// character that markdown would act on (a cell boundary, a link or image
// bracket, HTML, emphasis, math, a code fence) and no block marker at the
// start of a line.
func TestHostileMarkdownStaysInert(t *testing.T) {
	got, twin := outputs(t, evil, NewStyle(false)), outputs(t, benign, NewStyle(false))
	for _, name := range []string{"plan.md", "drift.md"} {
		g, w := proseLines(got[name]), proseLines(twin[name])
		if len(g) != len(w) {
			t.Fatalf("%s: %d prose lines, the twin has %d", name, len(g), len(w))
		}
		for i := range g {
			if a, b := active(g[i]), active(w[i]); a != b {
				t.Errorf("%s: line %q acts as %q, its twin as %q", name, g[i], a, b)
			}
		}
	}
}

// proseLines are the lines of md outside fenced code blocks, with code
// spans removed.
func proseLines(md string) []string {
	var out []string
	fenced := false
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out = append(out, dropCodeSpans(line))
		}
	}
	return out
}

// dropCodeSpans replaces `code spans` of any fence length by CODE, as
// CommonMark reads them: an unescaped run of n backticks up to the next run
// of exactly n.
func dropCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] == '\\' && i+1 < len(line) {
			b.WriteString(line[i : i+2])
			i += 2
			continue
		}
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		end := closingRun(line, i+n, n)
		if end < 0 { // no closing run: literal backticks
			b.WriteString(line[i : i+n])
			i += n
			continue
		}
		b.WriteString("CODE")
		i = end + n
	}
	return b.String()
}

func closingRun(line string, from, n int) int {
	for j := from; j < len(line); {
		if line[j] != '`' {
			j++
			continue
		}
		m := 0
		for j+m < len(line) && line[j+m] == '`' {
			m++
		}
		if m == n {
			return j
		}
		j += m
	}
	return -1
}

// active lists the unescaped characters of line that markdown acts on, and
// its first character, which decides the block. A line that opens an HTML
// block (<details>) is raw HTML to its end: only tags act there.
func active(line string) string {
	var b strings.Builder
	specials := "<>[]!`*_~$|#"
	if line != "" {
		b.WriteString(line[:1] + ":")
		if line[0] == '<' {
			specials = "<>"
		}
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && specials != "<>":
			i++ // an escaped character is literal
		case strings.IndexByte(specials, c) >= 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestHostileJSON: JSON escapes what a terminal would act on, and the
// hostile strings decode back unchanged — the data is not altered.
func TestHostileJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, hostilePlan(evil)); err != nil {
		t.Fatal(err)
	}
	if err := DriftJSON(&b, hostileDrift(evil)); err != nil {
		t.Fatal(err)
	}
	for _, r := range b.String() {
		if r != '\n' && unsafeRune(r) {
			t.Errorf("raw %U in JSON output", r)
		}
	}
	dec := json.NewDecoder(&b)
	var p plan.Plan
	var r drift.Report
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if p.Unmanaged[0].ID != evil || p.Steps[1].Addr.Name != evil || r.Findings[0].ID != evil {
		t.Errorf("JSON changed the data: %q", p.Unmanaged[0].ID)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"web-1":              "web-1",
		"a\nb\rc\td":         `a\nb\rc\td`,
		"\x1b[31mred":        `\x1b[31mred`,
		"\x00\x7f":           `\x00\x7f`,
		"\u0085\u009b":       `\u0085\u009b`,
		"\u202eabc\u2066":    `\u202eabc\u2066`,
		"zero\u200bwidth":    `zero\u200bwidth`,
		"\u2028\u2029":       `\u2028\u2029`,
		"bad\xffutf8":        `bad\xffutf8`,
		"tag\U000e0041":      `tag\U000e0041`,
		`back\slash \x1b`:    `back\slash \x1b`,
		"héllo wörld 日本 🙂":   "héllo wörld 日本 🙂",
		"\ufffd replacement": "\ufffd replacement",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
		if Clean(Clean(in)) != Clean(in) {
			t.Errorf("Clean is not idempotent on %q", in)
		}
	}
}

func TestMarkdownEscapers(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{mdCode("plain", true), "`plain`"},
		{mdCode("a`b", false), "``a`b``"},
		{mdCode("`x``", false), "``` `x`` ```"},
		{mdCode("a|b", true), "`a\\|b`"},
		{mdCode("a|b", false), "`a|b`"},
		{mdText("- item"), `\- item`},
		{mdText("1. item"), `1\. item`},
		{mdText("0.1.0"), "0.1.0"},
		{mdText("web-1, rootDisk.size (forces replacement: region)"), "web-1, rootDisk.size (forces replacement: region)"},
		{mdText("[x](y) <b> a|b"), `\[x\](y) \<b\> a\|b`},
		{htmlEscape(`<a href="x">'&`), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestRenderersUseTheSafePrintf keeps fmt's printing functions out of every
// file but safe.go: a renderer that called fmt directly would print live
// strings raw.
func TestRenderersUseTheSafePrintf(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	raw := regexp.MustCompile(`\bfmt\.(Sprint|Sprintf|Sprintln|Fprint|Fprintf|Fprintln|Print|Printf|Println|Appendf)\(`)
	for _, f := range files {
		if f == "safe.go" || f == "json.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := raw.FindIndex(src); loc != nil {
			t.Errorf("%s:%d calls fmt directly; use sprintf/fprintf, which Clean their arguments",
				f, bytes.Count(src[:loc[0]], []byte("\n"))+1)
		}
	}
}

// TestErrorKeepsItsOwnLines: lswctl's own multi-line messages (indented
// continuation lines) print as lines; any other line break is escaped.
func TestErrorKeepsItsOwnLines(t *testing.T) {
	var b bytes.Buffer
	stale := errors.New("the plan is stale: plan again\n  instance.web-1 (id 1): changed\n  instance.web-2 (id 2): deleted")
	if err := Error(&b, stale, ""); err != nil {
		t.Fatal(err)
	}
	if want := "Error: the plan is stale: plan again\n  instance.web-1 (id 1): changed\n  instance.web-2 (id 2): deleted\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := Error(&b, errors.New("400: bad\n+ create instance.evil\n  \x1b[2Jsafe to retry"), ""); err != nil {
		t.Fatal(err)
	}
	if want := "Error: 400: bad\\n+ create instance.evil\n  \\x1b[2Jsafe to retry\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
