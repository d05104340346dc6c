package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
)

// checkAddressFlags refuses malformed --target and --replace patterns
// before anything is read or requested, so that a typo costs no API call.
// Whether a pattern matches an object is only known once live state is
// read, and is checked then (plan.Target, plan.Replacements). The pattern
// syntax is plan.Pattern's, the one implementation of it.
func checkAddressFlags(targets, replaces []string) error {
	kinds := providers.Schemas()
	for _, f := range []struct {
		flag     string
		patterns []string
	}{{"--target", targets}, {"--replace", replaces}} {
		pats, err := plan.ParsePatterns(f.flag, f.patterns)
		if err != nil {
			return fmt.Errorf("%v (patterns: * any run of characters, ? one, [a-z] a set, \\ escapes; see the README)", err)
		}
		for _, p := range pats {
			if err := knownKind(f.flag, p, kinds); err != nil {
				return err
			}
		}
	}
	return nil
}

// knownKind refuses a pattern whose kind part names no kind, or, with
// wildcards, matches none.
func knownKind(flag string, p plan.Pattern, kinds map[string]model.KindSchema) error {
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		if p.MatchKind(k) {
			return nil
		}
		names = append(names, k)
	}
	sort.Strings(names)
	kind, _, _ := strings.Cut(p.String(), ".")
	return fmt.Errorf("%s %q: unknown kind %q (kinds: %s)", flag, p, kind, strings.Join(names, ", "))
}

// checkAllowDeletes refuses a negative --allow-deletes, which would
// otherwise read as "no deletes allowed" without saying so.
func checkAllowDeletes(n int) error {
	if n < 0 {
		return fmt.Errorf("--allow-deletes %d: must be 0 or more", n)
	}
	return nil
}
