package engine

import "github.com/lswctl/lswctl/internal/model"

// reportSecrets hands every known secret value in v to Options.OnSecret, so
// the command line can scrub it from output. The configuration reports the
// secrets it reads itself; this covers the fields a kind marks sensitive
// (turned into secrets here) and sensitive values read from the API.
func (e *Engine) reportSecrets(v any) {
	if e.opts.OnSecret == nil {
		return
	}
	switch t := v.(type) {
	case model.Secret:
		if s := t.Reveal(); s != "" {
			e.opts.OnSecret(s)
		}
	case map[string]any:
		for _, x := range t {
			e.reportSecrets(x)
		}
	case []any:
		for _, x := range t {
			e.reportSecrets(x)
		}
	}
}
