package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
)

// nodeKind is the shape of a tree node.
type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	listNode
)

// node is one value of a YAML document with the positions lswctl reports:
// go-yaml's AST with anchors, aliases and merge keys resolved, keys turned
// into strings, and scalars typed as string, int64, float64, bool or nil.
type node struct {
	kind   nodeKind
	pos    model.Pos // where the value starts (a block mapping: its first key)
	keyPos model.Pos // the key that holds the value; pos for list items and roots
	value  any       // scalars only
	keys   []string  // mapping keys in the order written (merged keys last)
	fields map[string]*node
	items  []*node
	// reported: the tree builder has reported this scalar already (a
	// number out of range, a NUL); validation says nothing more about it.
	reported bool
}

// maxAliasNodes bounds the values aliases add to a document, so that a
// small file of nested aliases ("billion laughs") cannot exhaust memory.
// It counts only copies: the document's own values are bounded by the
// file size limit, and a document of 60,000 instances holds about a
// million of them.
const maxAliasNodes = 200000

// treeBuilder turns one document's AST into a node tree.
type treeBuilder struct {
	file      string
	anchors   map[string]ast.Node
	expanding map[string]bool // aliases being expanded, to stop cycles
	outer     model.Pos       // the outermost alias being expanded
	outerName string          // its name
	outerPath string          // its display path
	copies    int             // values added by aliases so far
	depth     int             // nesting of the value being built
	failed    bool            // a limit was crossed: the tree is not usable
	errs      *diag.List
}

// buildTree converts a document body, adding problems (duplicate keys,
// unsupported keys or tags, alias cycles) to errs. It reports false when
// the tree is unusable (aliases add too many values, or it nests too
// deep): its document must not be checked further, as every value cut
// off would be reported again.
func buildTree(file string, body ast.Node, errs *diag.List) (*node, bool) {
	b := &treeBuilder{file: file, anchors: map[string]ast.Node{}, expanding: map[string]bool{}, errs: errs}
	root := b.build(body, "")
	root.keyPos = root.pos
	return root, !b.failed
}

func (b *treeBuilder) pos(tk *token.Token) model.Pos {
	if tk == nil {
		return model.Pos{File: b.file}
	}
	return model.Pos{File: b.file, Line: tk.Position.Line, Col: tk.Position.Column}
}

func (b *treeBuilder) errorf(p model.Pos, path, format string, args ...any) {
	b.errs.Addf(p.File, p.Line, p.Col, path, format, args...)
}

// build converts n; path is the dotted display path, for messages.
func (b *treeBuilder) build(n ast.Node, path string) *node {
	if n == nil {
		return &node{kind: scalarNode, pos: model.Pos{File: b.file}}
	}
	if b.failed {
		return &node{kind: scalarNode, pos: b.pos(n.GetToken())}
	}
	if len(b.expanding) > 0 {
		if b.copies++; b.copies > maxAliasNodes {
			b.fail(b.outer, b.outerPath, fmt.Sprintf("expanding alias *%s, aliases add more than %d values to this document", b.outerName, maxAliasNodes))
			return &node{kind: scalarNode, pos: b.pos(n.GetToken())}
		}
	}
	switch t := n.(type) {
	case *ast.MappingNode:
		return b.mapping(t, path)
	case *ast.MappingValueNode:
		return b.mapping(&ast.MappingNode{Start: t.GetToken(), Values: []*ast.MappingValueNode{t}}, path)
	case *ast.SequenceNode:
		defer b.enter(t.GetToken(), path)()
		out := &node{kind: listNode, pos: b.pos(t.GetToken())}
		for i, v := range t.Values {
			item := b.build(v, path+"["+strconv.Itoa(i)+"]")
			item.keyPos = item.pos
			out.items = append(out.items, item)
		}
		return out
	case *ast.AnchorNode:
		if name, ok := scalarText(t.Name); ok {
			b.anchors[name] = t.Value
		}
		return b.build(t.Value, path)
	case *ast.AliasNode:
		return b.alias(t, path)
	case *ast.TagNode:
		return b.tag(t, path)
	}
	return b.scalar(n, path)
}

// alias expands *name into a fresh copy of the anchored value.
func (b *treeBuilder) alias(t *ast.AliasNode, path string) *node {
	p := b.pos(t.GetToken())
	name, _ := scalarText(t.Value)
	target, ok := b.anchors[name]
	switch {
	case !ok:
		b.errorf(p, path, "unknown alias *%s", name)
		return &node{kind: scalarNode, pos: p}
	case b.expanding[name]:
		b.errorf(p, path, "alias *%s refers to itself", name)
		return &node{kind: scalarNode, pos: p}
	}
	if len(b.expanding) == 0 {
		b.outer, b.outerName, b.outerPath = p, name, path
	}
	b.expanding[name] = true
	defer delete(b.expanding, name)
	out := b.build(target, path)
	if out.kind == scalarNode {
		out.pos = p
	}
	return out
}

// tag handles explicit tags: !!str forces a string, other standard (!!) tags
// are accepted as written, and local tags are refused rather than ignored,
// since lswctl gives them no meaning.
func (b *treeBuilder) tag(t *ast.TagNode, path string) *node {
	name := ""
	if tk := t.GetToken(); tk != nil {
		name = tk.Value
	}
	switch {
	case name == "!!str":
		out := b.build(t.Value, path)
		if out.kind == scalarNode && out.value != nil {
			if text, ok := scalarText(t.Value); ok {
				out.value = text
			}
		}
		return out
	case strings.HasPrefix(name, "!!"):
		return b.build(t.Value, path)
	}
	b.errorf(b.pos(t.GetToken()), path, "unsupported tag %s (secrets are written {env: NAME} or {file: PATH})", name)
	return b.build(t.Value, path)
}

// mapping converts a mapping, reporting duplicate keys and applying merge
// keys (<<) after the explicit keys, which take precedence.
func (b *treeBuilder) mapping(t *ast.MappingNode, path string) *node {
	defer b.enter(t.GetToken(), path)()
	out := &node{kind: mapNode, pos: b.pos(t.GetToken()), fields: map[string]*node{}}
	if !t.IsFlowStyle && len(t.Values) > 0 && t.Values[0].Key != nil {
		out.pos = b.pos(t.Values[0].Key.GetToken())
	}
	var merged []*node
	for _, mv := range t.Values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, b.mergeSources(mv.Value, path)...)
			continue
		}
		kp := b.pos(mv.Key.GetToken())
		key, ok := b.key(mv.Key, path)
		if !ok {
			continue
		}
		childPath := joinDisplay(path, key)
		if prev, dup := out.fields[key]; dup {
			e := &diag.Error{File: kp.File, Line: kp.Line, Col: kp.Col, Path: childPath,
				Msg:     "duplicate key " + strconv.Quote(key),
				Related: []diag.Related{{File: prev.keyPos.File, Line: prev.keyPos.Line, Col: prev.keyPos.Col, Msg: "first defined here"}}}
			b.errs.Add(e)
			continue
		}
		child := b.build(mv.Value, childPath)
		child.keyPos = kp
		if child.kind == scalarNode && child.value == nil {
			child.pos = kp
		}
		out.keys = append(out.keys, key)
		out.fields[key] = child
	}
	for _, src := range merged {
		for _, k := range src.keys {
			if _, ok := out.fields[k]; !ok {
				out.keys = append(out.keys, k)
				out.fields[k] = src.fields[k]
			}
		}
	}
	return out
}

// mergeSources returns the mappings a merge key's value names: one mapping
// or a list of them.
func (b *treeBuilder) mergeSources(v ast.Node, path string) []*node {
	src := b.build(v, path)
	list := []*node{src}
	if src.kind == listNode {
		list = src.items
	}
	var out []*node
	for _, m := range list {
		if m.kind != mapNode {
			b.errorf(m.pos, path, "merge key << expects a mapping or a list of mappings")
			continue
		}
		out = append(out, m)
	}
	return out
}

// key returns a mapping key as a string. Keys must be scalars.
func (b *treeBuilder) key(k ast.MapKeyNode, path string) (string, bool) {
	var n ast.Node = k
	if mk, ok := k.(*ast.MappingKeyNode); ok {
		n = mk.Value
	}
	if tn, ok := n.(*ast.TagNode); ok {
		n = tn.Value
	}
	if s, ok := scalarText(n); ok {
		if strings.ContainsRune(s, 0) {
			b.errorf(b.pos(k.GetToken()), path, "key holds a NUL character (\\0)")
			return "", false
		}
		return s, true
	}
	b.errorf(b.pos(k.GetToken()), path, "mapping keys must be plain strings")
	return "", false
}

// enter counts one level of nesting for a collection at tk and returns
// the function that leaves it. prescan bounds the file's nesting, but
// aliases can nest deeper still.
func (b *treeBuilder) enter(tk *token.Token, path string) func() {
	if b.depth++; b.depth > maxDepth {
		if len(b.expanding) > 0 {
			b.fail(b.outer, b.outerPath, fmt.Sprintf("expanding alias *%s nests the document more than %d levels deep", b.outerName, maxDepth))
		} else {
			b.fail(b.pos(tk), path, fmt.Sprintf("nested more than %d levels deep", maxDepth))
		}
	}
	return func() { b.depth-- }
}

// fail reports a limit crossed at p; the tree is unusable from then on.
func (b *treeBuilder) fail(p model.Pos, path, msg string) {
	if !b.failed {
		b.errorf(p, path, "%s", msg)
	}
	b.failed = true
}

// json returns the node as a plain JSON value for the schema validator.
func (n *node) json() any {
	switch n.kind {
	case mapNode:
		m := make(map[string]any, len(n.fields))
		for k, v := range n.fields {
			m[k] = v.json()
		}
		return m
	case listNode:
		l := make([]any, len(n.items))
		for i, v := range n.items {
			l[i] = v.json()
		}
		return l
	}
	return n.value
}

// lookup follows pointer segments from n, returning the node reached and its
// display path. It stops at the deepest node that exists.
func (n *node) lookup(segs []string) (*node, string) {
	cur, path := n, ""
	for _, seg := range segs {
		var next *node
		switch cur.kind {
		case mapNode:
			next = cur.fields[seg]
			if next != nil {
				path = joinDisplay(path, seg)
			}
		case listNode:
			if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(cur.items) {
				next = cur.items[i]
				path += "[" + seg + "]"
			}
		}
		if next == nil {
			return cur, path
		}
		cur = next
	}
	return cur, path
}

// joinDisplay appends a key to a dotted display path, quoting keys that
// would make the path ambiguous.
func joinDisplay(path, key string) string {
	if key == "" || strings.IndexFunc(key, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}
