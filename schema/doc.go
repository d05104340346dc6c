// Package schema embeds lswctl.schema.json, the JSON Schema (draft 2020-12)
// of lswctl configuration files.
//
// The schema is the single description of what a configuration may contain:
// editors use it for completion and help (users add
// "# yaml-language-server: $schema=…" on top of their files, or print it with
// "lswctl schema"), and internal/config validates every document against it.
//
// Besides standard keywords it carries annotations that internal/config reads;
// JSON Schema ignores unknown keywords, so editors are unaffected:
//
//   - "x-lswctl-kind": on a top-level map of objects, the singular kind name
//     used in addresses ("instances" holds objects of kind "instance").
//   - "x-lswctl-sensitive": the field's value is a secret even when written as
//     a plain string; it is never shown or saved.
//   - "x-lswctl-secret": the schema of {env: NAME} / {file: PATH} references.
//   - "x-lswctl-ref": the field's string value names an object of the given
//     top-level kind ("targetGroups") in the same configuration. When a
//     oneOf or anyOf offers it beside an object whose only property is id
//     ($defs/idRef), {id: UUID} names a live object the configuration does
//     not declare instead.
//   - "x-lswctl-unique": on a list of objects without names (listeners), the
//     fields that identify an item (["protocol", "port"]); two items with
//     the same values are an error.
//   - "x-lswctl-noun": what a value is called in error messages ("region",
//     "listener").
//   - "x-lswctl-expected": how error messages describe the accepted values.
//   - "x-lswctl-reason": why a "not" rule or a conditional "required" (in a
//     then) exists, appended to its message. Put it inside the "not", or
//     beside the rule in a schema holding that one rule.
//
// Kinds lswctl only adopts (autoScalingGroups) are declared like the others
// but left out of $defs/ownedKind, so settings.prune and settings.watch
// refuse them.
package schema
