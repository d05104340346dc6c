package cli

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// checkAddressFlags refuses malformed --target patterns and --replace
// addresses before anything is read or requested, so that a typo costs no
// API call. Whether a pattern matches an object is only known once live
// state is read, and is checked then (plan.CheckPatterns). The pattern
// syntax is plan.Match's: path.Match over "kind.name".
func checkAddressFlags(targets, replaces []string) error {
	kinds := providers.Schemas()
	for _, p := range targets {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("--target %q: malformed pattern: %v (patterns use *, ? and [a-z]; \\ escapes)", p, err)
		}
		kind, _, dotted := strings.Cut(p, ".")
		if strings.ContainsAny(kind, `*?[\`) {
			continue
		}
		if !dotted || kind == "" {
			return fmt.Errorf("--target %q: want KIND.NAME, for example instance.web-1 or 'instance.web-*'", p)
		}
		if err := knownKind("--target", p, kind, kinds); err != nil {
			return err
		}
	}
	for _, r := range replaces {
		a, err := model.ParseAddress(r)
		if err != nil {
			return fmt.Errorf("--replace: %v", err)
		}
		if strings.ContainsAny(r, `*?[\`) {
			return fmt.Errorf("--replace %q: takes one address, not a pattern", r)
		}
		if err := knownKind("--replace", r, a.Kind, kinds); err != nil {
			return err
		}
	}
	return nil
}

func knownKind(flag, value, kind string, kinds map[string]model.KindSchema) error {
	if _, ok := kinds[kind]; ok {
		return nil
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return fmt.Errorf("%s %q: unknown kind %q (kinds: %s)", flag, value, kind, strings.Join(names, ", "))
}

// checkAllowDeletes refuses a negative --allow-deletes, which would
// otherwise read as "no deletes allowed" without saying so.
func checkAllowDeletes(n int) error {
	if n < 0 {
		return fmt.Errorf("--allow-deletes %d: must be 0 or more", n)
	}
	return nil
}
