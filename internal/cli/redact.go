package cli

import (
	"net/url"
	"strings"

	lswconfig "github.com/lswctl/lswctl/internal/config"
	"github.com/lswctl/lswctl/internal/redact"
)

// proxyVars may carry credentials in their URL's userinfo.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// protectStreams puts a redactor between lswctl and everything it writes:
// stdout, stderr and, through stderr, the --debug log. It starts with the
// credentials from the environment; the session adds every secret value the
// engine learns (see newSession). Terminal checks still see the original
// streams, and reading stdin first flushes what the writers hold back, so a
// prompt is never stuck in a buffer. The returned function flushes both
// writers; Main calls it after the last message.
func protectStreams(env *Env) (flush func()) {
	r := redact.New()
	r.Add(credentials(env.LookupEnv)...)
	stdin, stdout, stderr, isTerminal := env.Stdin, env.Stdout, env.Stderr, env.IsTerminal
	out, errw := r.Writer(stdout), r.Writer(stderr)
	in := &redact.FlushingReader{R: stdin, Writers: []*redact.Writer{out, errw}}
	env.Stdin, env.Stdout, env.Stderr, env.redactor = in, out, errw, r
	env.IsTerminal = func(s any) bool {
		switch s {
		case any(out):
			s = stdout
		case any(errw):
			s = stderr
		case any(in):
			s = stdin
		}
		return isTerminal(s)
	}
	return func() {
		_ = out.Flush() // nowhere left to report a failing stream
		_ = errw.Flush()
	}
}

// credentials are the secret values in lswctl's environment: the values of
// the credential variables, and the password (or token-style user name) in
// the userinfo of endpoint and proxy URLs.
func credentials(lookup func(string) (string, bool)) []string {
	var out []string
	for _, name := range lswconfig.CredentialVars() {
		v, ok := lookup(name)
		if !ok || v == "" {
			continue
		}
		if strings.HasSuffix(name, "_URL") {
			out = append(out, userinfoSecrets(v)...)
		} else {
			out = append(out, v)
		}
	}
	for _, name := range proxyVars {
		if v, ok := lookup(name); ok {
			out = append(out, userinfoSecrets(v)...)
		}
	}
	return out
}

// userinfoSecrets returns the password of a URL's userinfo as written and
// decoded, or the user name when there is no password (a token). It parses
// by hand: the URL may be malformed, and its error message would still
// quote it.
func userinfoSecrets(raw string) []string {
	rest := raw
	if i := strings.Index(rest, "//"); i >= 0 {
		rest = rest[i+2:]
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return nil
	}
	secret := rest[:at]
	if _, pass, ok := strings.Cut(secret, ":"); ok {
		secret = pass
	}
	out := []string{secret}
	if dec, err := url.PathUnescape(secret); err == nil && dec != secret {
		out = append(out, dec)
	}
	return out
}
