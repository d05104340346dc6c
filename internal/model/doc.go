// Package model is the plain data every other lswctl package shares:
// addresses, resources, attribute values, references, secrets and the
// per-kind schema facts (key, immutable, write-only fields) that the diff
// needs.
//
// It does no I/O and imports nothing from lswctl, so configuration,
// providers, diff and plan can all speak it without depending on each other.
//
// Attribute values form a JSON-like tree: nil, bool, int64, float64, string,
// []any, map[string]any, plus three lswctl types — Secret (a sensitive value
// known only by its digest when shown), Ref (a reference to another object in
// the configuration) and Unknown (a value only known after apply).
package model
