// Package config reads lswctl configuration: YAML files (goccy/go-yaml),
// validated against the JSON Schema in package schema
// (santhosh-tekuri/jsonschema) and converted into model.Resource values.
//
// It is the only package that knows YAML. Everything it reports is a
// *diag.Error with the file, line and column of the offending node and the
// dotted YAML path of the field, and Load collects every problem in every
// file before returning them as one sorted diag.List.
//
// How a document travels through Load:
//
//  1. The file is read only if it is a regular file, through a bounded
//     reader (read.go). Its text is checked (text.go: UTF-8, no control
//     characters, a byte order mark dropped) and prescanned (prescan*.go)
//     for what would make go-yaml's parser cost explode: deep nesting and
//     huge block mappings. Then it is parsed into go-yaml's AST. A syntax
//     error, or a refusal before, stops that file only; the other files
//     are still checked.
//  2. Each document's AST becomes a small tree of nodes (tree.go) that
//     resolves anchors, aliases and merge keys (bounding what aliases add,
//     and the depth they reach), reports duplicate keys with both
//     positions, reads numbers go-yaml leaves as strings (scalars.go), and
//     keeps the position of every key and value.
//  3. The tree's plain value is validated against the schema. The validator
//     reports JSON pointers; they are walked back through the tree to the node
//     and its token position, and each failing keyword is translated into a
//     message of our own (validate.go, messages.go) using the schema around the
//     keyword (enum values, bounds, titles and x-lswctl-* annotations).
//     Pointers are resolved on our tree rather than through yaml.PathString
//     because the tree also knows key positions (needed for "missing required
//     field" and "unknown field") and merged keys, and needs no quoting.
//  4. The tree is converted into resources (convert.go), guided by the same
//     schema: secrets are resolved, sensitive strings wrapped, references
//     (names, or {id: UUID} where the schema offers it) converted to
//     model.Ref (refs.go) and names checked once every file has been read,
//     and list items keyed by x-lswctl-unique checked for duplicates
//     (unique.go).
//
// The schema drives everything kind-specific: adding a kind means adding it
// to the schema with its annotations; this package needs no change.
package config
