package leaseweb

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// DefaultBaseURL is the Leaseweb API endpoint used when ClientOptions.BaseURL
// is empty.
const DefaultBaseURL = "https://api.leaseweb.com"

// CheckEndpoint parses and validates a Leaseweb API base URL, as given in
// LEASEWEB_API_URL. It must be an absolute https URL; plain http is accepted
// only for loopback hosts (127.0.0.0/8, ::1, localhost) so the sandbox and
// test servers work without TLS while the API key never crosses a network in
// clear text. Credentials, queries and fragments are refused. The returned
// URL has no trailing slash in its path; a path prefix is kept and every
// request path is appended to it.
func CheckEndpoint(raw string) (*url.URL, error) {
	fail := func(msg string) error {
		return fmt.Errorf("LEASEWEB_API_URL %q: %s", raw, msg)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fail(err.Error())
	}
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return nil, fail("not an absolute URL, want https://host")
	}
	if u.User != nil {
		return nil, fail("credentials in the URL are not allowed, set LEASEWEB_API_KEY instead")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fail("a query or fragment is not allowed")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fail("plain http is only allowed for loopback addresses")
		}
	default:
		return nil, fail(fmt.Sprintf("unsupported scheme %q, want https", u.Scheme))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host (without port or brackets) names the local
// machine: "localhost" or a loopback IP address.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(host, ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}
