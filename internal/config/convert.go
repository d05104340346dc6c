package config

import (
	"fmt"
	"path/filepath"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
)

// Conversion runs on every document that passed its header check, valid or
// not, so that secrets, duplicate names and references are checked in the
// same run as the schema. It therefore never trusts a value's type: anything
// unexpected is skipped, since validation has already reported it.

// convert turns a document into settings and resources.
func (l *loader) convert(root *node) {
	top := l.schema.resolve(l.schema.raw)
	for _, key := range root.keys {
		n := root.fields[key]
		if key == "settings" {
			l.convertSettings(n)
			continue
		}
		kind, ok := l.schema.kinds[key]
		if !ok || n.kind != mapNode {
			continue
		}
		set := l.schema.prop(top, key)
		for _, name := range n.keys {
			l.convertResource(model.Address{Kind: kind, Name: name}, n.fields[name], joinDisplay(key, name), l.schema.prop(set, name))
		}
	}
}

func (l *loader) convertSettings(n *node) {
	p := n.keyPos
	if l.settingsPos.IsValid() {
		first := l.settingsPos
		l.errs.Add(&diag.Error{File: p.File, Line: p.Line, Col: p.Col, Path: "settings",
			Msg:     "settings are declared twice (only one document may declare them)",
			Related: []diag.Related{{File: first.File, Line: first.Line, Col: first.Col, Msg: "first declared here"}}})
		return
	}
	l.settingsPos = p
	if n.kind != mapNode {
		return
	}
	for _, k := range n.keys {
		v := n.fields[k]
		switch k {
		case "prune":
			l.settings.Prune = stringItems(v)
		case "watch":
			l.settings.Watch = stringItems(v)
		case "maxDeletes":
			if i, ok := v.value.(int64); ok && v.kind == scalarNode {
				l.settings.MaxDeletes = int(i)
			}
		default:
			continue
		}
		l.settings.Pos[k] = v.keyPos
	}
}

// stringItems returns the string items of a list node.
func stringItems(n *node) []string {
	out := []string{}
	for _, it := range n.items {
		if s, ok := it.value.(string); ok && it.kind == scalarNode {
			out = append(out, s)
		}
	}
	return out
}

// convertResource converts one declared object. id, ensure and protect are
// resource fields; everything else is an attribute.
func (l *loader) convertResource(addr model.Address, n *node, path string, set []map[string]any) {
	if first, dup := l.declared[addr]; dup {
		p := n.keyPos
		l.errs.Add(&diag.Error{File: p.File, Line: p.Line, Col: p.Col, Path: path,
			Msg:     fmt.Sprintf("%s %q is declared twice", addr.Kind, addr.Name),
			Related: []diag.Related{{File: first.File, Line: first.Line, Col: first.Col, Msg: "first declared here"}}})
		return
	}
	l.declared[addr] = n.keyPos
	r := model.Resource{Addr: addr, Ensure: model.Present, Pos: n.keyPos, Attrs: model.Object{}, Fields: map[string]model.Pos{}}
	c := &converter{l: l, res: &r, file: n.keyPos.File}
	for _, k := range n.keys {
		v := n.fields[k]
		r.Fields[k] = v.pos
		s, _ := v.value.(string)
		switch k {
		case "id":
			r.ID = s
		case "ensure":
			if s != "" {
				r.Ensure = model.Ensure(s)
			}
		case "protect":
			r.Protect, _ = v.value.(bool)
		default:
			r.Attrs[k] = c.value(v, l.schema.prop(set, k), k, joinDisplay(path, k), false)
		}
	}
	l.resources = append(l.resources, r)
}

// converter converts one resource's attributes.
type converter struct {
	l    *loader
	res  *model.Resource
	file string // the YAML file, for {file: PATH} relative to it
}

// value converts a node guided by the schemas that apply to it, recording
// the position of every attribute path.
func (c *converter) value(n *node, set []map[string]any, attr, path string, sensitive bool) any {
	sensitive = sensitive || flag(set, annSensitive)
	switch n.kind {
	case mapNode:
		if flag(set, annSecret) && isSecretRef(n) {
			return c.secret(n, path)
		}
		if id, ok := literalID(n); ok && c.l.schema.idRefAlternative(set) {
			return model.Ref{ID: id}
		}
		m := make(map[string]any, len(n.keys))
		for _, k := range n.keys {
			child := n.fields[k]
			p := model.JoinPath(attr, k)
			c.res.Fields[p] = child.pos
			m[k] = c.value(child, c.l.schema.prop(set, k), p, joinDisplay(path, k), sensitive)
		}
		return m
	case listNode:
		l := make([]any, len(n.items))
		items := c.l.schema.items(set)
		for i, it := range n.items {
			p := model.IndexPath(attr, i)
			c.res.Fields[p] = it.pos
			l[i] = c.value(it, items, p, fmt.Sprintf("%s[%d]", path, i), sensitive)
		}
		c.checkUnique(n, set, path)
		return l
	}
	s, ok := n.value.(string)
	if !ok {
		return n.value
	}
	if sensitive {
		return c.l.newSecret(s, "literal")
	}
	if ref, ok := c.namedRef(s, set, n.pos, path); ok {
		return ref
	}
	return s
}

// isSecretRef reports whether a mapping is exactly {env: NAME} or
// {file: PATH} with a string value.
func isSecretRef(n *node) bool {
	if len(n.keys) != 1 || (n.keys[0] != "env" && n.keys[0] != "file") {
		return false
	}
	v := n.fields[n.keys[0]]
	_, ok := v.value.(string)
	return ok && v.kind == scalarNode
}

// secret reads a secret reference. The value is read now so that a missing
// variable or file is reported with the other configuration errors.
func (c *converter) secret(n *node, path string) any {
	k := n.keys[0]
	v := n.fields[k]
	name := v.value.(string)
	p := v.pos
	if name == "" {
		return nil // reported by reportEmptySecretRefs
	}
	if k == "env" {
		if why := envRefusal(name); why != "" {
			c.l.errs.Addf(p.File, p.Line, p.Col, path, "%s", why)
			return nil
		}
		val, ok := c.l.opts.LookupEnv(name)
		if !ok {
			c.l.errs.Addf(p.File, p.Line, p.Col, path, "environment variable %s is not set", name)
			return nil
		}
		if val == "" {
			// An empty secret is almost always a CI variable that did not
			// reach the job; sending it would fail later and less clearly.
			c.l.errs.Addf(p.File, p.Line, p.Col, path, "environment variable %s is set but empty", name)
			return nil
		}
		return c.l.newSecret(val, "env:"+name)
	}
	file := name
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(c.file), file)
	}
	if why := c.l.fileRefusal(c.l.abs(c.file), c.l.abs(file), name); why != "" {
		c.l.errs.Addf(p.File, p.Line, p.Col, path, "%s", why)
		return nil
	}
	data, err := c.l.readLimit(c.l.abs(file), maxSecretBytes)
	if err != nil {
		c.l.errs.Addf(p.File, p.Line, p.Col, path, "cannot read secret file %q: %s", name, osMessage(err))
		return nil
	}
	return c.l.newSecret(string(data), "file:"+name)
}
