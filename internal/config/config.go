package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
)

// Options are the environment Load reads from. The zero value uses the
// process's working directory, environment, file system and the embedded
// schema.
type Options struct {
	// Cwd resolves relative paths; "" means os.Getwd. Paths in errors and
	// positions stay as given.
	Cwd string
	// LookupEnv resolves {env: NAME} secrets; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// ReadFile reads configuration files and {file: PATH} secrets; nil means
	// the real file system, where only regular files are read (symlinks
	// followed), through a bounded reader (read.go). The size limits apply
	// either way. Directories are always listed from the real file system.
	ReadFile func(string) ([]byte, error)
	// Schema is the JSON Schema to validate against; nil means schema.JSON().
	// Tests pass their own to exercise annotations the real schema does not
	// use yet.
	Schema []byte
	// AllowExternalFiles lets {file: PATH} read outside the repository
	// holding the configuration file (see policy.go).
	AllowExternalFiles bool
	// OnSecret, when set, receives every secret value read (from {env:},
	// {file:} or a sensitive field), so output can be scrubbed of it.
	OnSecret func(value string)
}

// Config is a loaded, valid configuration.
type Config struct {
	Files     []string         // every configuration file read, in order, as given or joined
	Digest    string           // hex SHA-256 over the name and contents of every file, for the plan file
	Settings  Settings         // the settings block, with defaults applied
	Resources []model.Resource // every declared object, sorted by address
}

// Settings is the configuration's settings block.
type Settings struct {
	Prune, Watch []string             // kind keys as written ("instances")
	MaxDeletes   int                  // defaults to 5 when unset
	Pos          map[string]model.Pos // where "prune", "watch" and "maxDeletes" were written
}

// Load reads files and directories (a directory means every *.yaml and *.yml
// file directly in it, sorted by name, not recursive; hidden files are
// skipped), validates every document against the schema and converts it.
//
// On any problem it returns a diag.List holding every problem found in
// every file, sorted and without duplicates: a syntax error in one file does
// not stop the others from being checked. Only an unusable Options.Schema is
// reported as a plain error.
func Load(paths []string, opts Options) (*Config, error) {
	l, err := newLoader(opts)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		l.errs.Addf("", 0, 0, "", "no configuration files given")
	}
	for _, f := range l.expand(paths) {
		l.loadFile(f)
	}
	l.checkRefs()
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(l.resources, func(i, j int) bool { return l.resources[i].Addr.Less(l.resources[j].Addr) })
	return &Config{
		Files:     l.files,
		Digest:    hex.EncodeToString(l.digest.Sum(nil)),
		Settings:  l.settings,
		Resources: l.resources,
	}, nil
}

// loader holds the state of one Load call.
type loader struct {
	opts        Options
	schema      *schemaInfo
	errs        diag.List
	files       []string
	seen        map[string]bool // absolute paths already read
	digest      hash.Hash
	settings    Settings
	settingsPos model.Pos
	resources   []model.Resource
	declared    map[model.Address]model.Pos
	refs        []pendingRef
}

func newLoader(opts Options) (*loader, error) {
	if opts.Cwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("finding the working directory: %w", err)
		}
		opts.Cwd = wd
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	info, err := defaultSchema()
	if opts.Schema != nil {
		info, err = newSchemaInfo(opts.Schema)
	}
	if err != nil {
		return nil, err
	}
	return &loader{
		opts:     opts,
		schema:   info,
		seen:     map[string]bool{},
		digest:   sha256.New(),
		settings: Settings{MaxDeletes: info.maxDeletes, Pos: map[string]model.Pos{}},
		declared: map[model.Address]model.Pos{},
	}, nil
}

// abs resolves p against the working directory.
func (l *loader) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(l.opts.Cwd, p)
}

// expand replaces directories by the YAML files directly in them.
func (l *loader) expand(paths []string) []string {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(l.abs(p))
		if err != nil || !info.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(l.abs(p))
		if err != nil {
			l.errs.Addf(p, 0, 0, "", "%s", osMessage(err))
			continue
		}
		n := len(out)
		for _, e := range entries {
			name := e.Name()
			ext := filepath.Ext(name)
			if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") {
				continue
			}
			out = append(out, filepath.Join(p, name))
		}
		if len(out) == n {
			l.errs.Addf(p, 0, 0, "", "directory has no *.yaml or *.yml files")
		}
	}
	return out
}

// osMessage renders a file system error without repeating the path, which
// the diagnostic already shows.
func osMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// loadFile reads, parses, validates and converts one file.
func (l *loader) loadFile(f string) {
	abs := l.abs(f)
	if l.seen[abs] {
		return
	}
	l.seen[abs] = true
	data, err := l.readLimit(abs, maxConfigBytes)
	if err != nil {
		l.errs.Addf(f, 0, 0, "", "%s", osMessage(err))
		return
	}
	l.files = append(l.files, f)
	fmt.Fprintf(l.digest, "%s\x00%d\x00", filepath.ToSlash(filepath.Clean(f)), len(data))
	l.digest.Write(data)

	data = bytes.TrimPrefix(data, utf8BOM)
	issue := checkText(data)
	if issue == nil {
		issue, _ = prescan(data, defaultLimits)
	}
	if issue != nil {
		l.errs.Addf(f, issue.line, issue.col, "", "%s", issue.msg)
		return
	}
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		l.syntaxError(f, err)
		return
	}
	docs := 0
	for _, doc := range file.Docs {
		if isEmptyDoc(doc) {
			continue
		}
		docs++
		l.loadDoc(f, doc.Body)
	}
	if docs == 0 {
		l.errs.Addf(f, 0, 0, "", "file is empty (expected a document starting with apiVersion: %s)", l.schema.version)
	}
}

// isEmptyDoc reports whether a document holds no value: nothing, only
// comments, or only directives.
func isEmptyDoc(doc *ast.DocumentNode) bool {
	switch doc.Body.(type) {
	case nil, *ast.CommentGroupNode, *ast.DirectiveNode:
		return true
	}
	return false
}

// syntaxError reports a YAML parse error at go-yaml's token position.
func (l *loader) syntaxError(f string, err error) {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		l.errs.Addf(f, 0, 0, "", "syntax error: %v", err)
		return
	}
	line, col := 0, 0
	if tk := ye.GetToken(); tk != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	msg := strings.TrimSuffix(ye.GetMessage(), ".")
	if strings.Contains(msg, "'\t'") {
		msg = "found a tab character (YAML indentation must use spaces)"
	}
	l.errs.Addf(f, line, col, "", "syntax error: %s", msg)
}

// loadDoc checks one document's header, validates it and converts it.
func (l *loader) loadDoc(f string, body ast.Node) {
	root, ok := buildTree(f, body, &l.errs)
	if !ok || !l.checkHeader(root) {
		return
	}
	reportEmptySecretRefs(root, "", &l.errs)
	validate(l.schema, root, &l.errs)
	l.convert(root)
}

// checkHeader requires a mapping with the apiVersion this lswctl reads.
// Documents that fail it are not checked further: their fields may follow
// another format.
func (l *loader) checkHeader(root *node) bool {
	p, want := root.pos, l.schema.version
	if root.kind != mapNode {
		l.errs.Addf(p.File, p.Line, p.Col, "", "expected a mapping starting with apiVersion: %s, got %s", want, describe(root, false))
		return false
	}
	v, ok := root.fields["apiVersion"]
	switch {
	case !ok:
		l.errs.Addf(p.File, p.Line, p.Col, "", "missing required field \"apiVersion\" (expected apiVersion: %s)", want)
		return false
	case v.kind != scalarNode:
		l.errs.Addf(v.pos.File, v.pos.Line, v.pos.Col, "apiVersion", "expected %s, got %s", want, describe(v, false))
		return false
	}
	s, isString := v.value.(string)
	if s == want {
		return true
	}
	if isString {
		l.errs.Addf(v.pos.File, v.pos.Line, v.pos.Col, "apiVersion", "unknown version %q (this lswctl reads %s)", s, want)
	} else {
		l.errs.Addf(v.pos.File, v.pos.Line, v.pos.Col, "apiVersion", "expected %s, got %s", want, describe(v, false))
	}
	return false
}
