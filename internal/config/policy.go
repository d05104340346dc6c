package config

/*
Which secrets a configuration may read.

The configuration is code from whoever can open a pull request, and in the
documented CI flow it is planned (and, after merge, applied) with the job's
credentials in the environment. A value read through {env:} or {file:} is
sent to the API, where it lands in an instance's userData or a listener's
certificate for anyone with access to that object to read back. So:

  - {env:} refuses the variables lswctl itself reads credentials or
    endpoints from (CredentialVars): a pull request must not be able to copy
    the API key into userData.
  - {file:} reads only inside the repository holding the configuration file:
    the git work tree containing it, or its directory when it is not in a
    git work tree. Symbolic links are resolved before deciding, so a link
    committed to the repository cannot point at /proc/self/environ or
    ~/.ssh. Options.AllowExternalFiles (--allow-external-files, which lives
    in the CI job, not in the configuration) lifts the restriction.

Every secret value that is read is also handed to Options.OnSecret, so the
command line can scrub it from all output (internal/redact).
*/

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// credentialVars are the environment variables lswctl and its providers
// read credentials or endpoints from. A provider that reads a new one adds
// it here.
var credentialVars = []string{
	"LEASEWEB_API_KEY", "LEASEWEB_TOKEN", "LEASEWEB_API_URL",
	"CLOUDSIGMA_USERNAME", "CLOUDSIGMA_PASSWORD", "CLOUDSIGMA_API_URL",
}

// CredentialVars returns the environment variables that hold lswctl's own
// credentials and endpoints; {env:} refuses them.
func CredentialVars() []string { return append([]string(nil), credentialVars...) }

// isCredentialVar reports whether name is one of CredentialVars. Windows
// environment names are case-insensitive, so the comparison is too.
func isCredentialVar(name string) bool {
	for _, v := range credentialVars {
		if strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}

// envRefusal says why {env: name} may not be read, or "".
func envRefusal(name string) string {
	if isCredentialVar(name) {
		return fmt.Sprintf("environment variable %s holds lswctl's own credentials and cannot be read into the configuration", name)
	}
	return ""
}

// fileRefusal says why the secret file at path (absolute), named as written
// in the YAML file yamlFile (absolute), may not be read, or "".
func (l *loader) fileRefusal(yamlFile, path, written string) string {
	if l.opts.AllowExternalFiles {
		return ""
	}
	root, what := repositoryOf(filepath.Dir(yamlFile))
	target := resolve(path)
	if inside(root, target) {
		return ""
	}
	return fmt.Sprintf("secret file %q is outside %s (%s): only --allow-external-files on the command line allows that",
		written, what, filepath.ToSlash(root))
}

// repositoryOf returns the git work tree holding dir (the nearest ancestor
// with a .git entry, a directory or a worktree's file), or dir itself when
// there is none, with symbolic links resolved, and a description of it.
func repositoryOf(dir string) (root, what string) {
	dir = resolve(dir)
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, "the git repository holding the configuration"
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir, "the configuration's directory"
		}
		d = parent
	}
}

// resolve returns p with symbolic links resolved. When that fails (p does
// not exist; the read reports it), the longest existing ancestor is resolved
// and the rest appended, so the decision never rests on a path a link could
// still redirect.
func resolve(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolve(parent), filepath.Base(p))
}

// inside reports whether p is root or below it.
func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// newSecret wraps a secret value and hands it to Options.OnSecret.
func (l *loader) newSecret(plain, source string) model.Secret {
	if l.opts.OnSecret != nil {
		l.opts.OnSecret(plain)
	}
	return model.NewSecret(plain, source)
}
