package leaseweb

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// DefaultBaseURL is the Leaseweb API endpoint used when ClientOptions.BaseURL
// is empty.
const DefaultBaseURL = "https://api.leaseweb.com"

// CheckEndpoint parses and validates a Leaseweb API base URL, as given in
// LEASEWEB_API_URL. It must be an absolute https URL; plain http is accepted
// only for loopback hosts (127.0.0.0/8, ::1, localhost; see isLoopback) so
// the sandbox and test servers work without TLS while the API key never
// crosses a network in clear text. It never resolves a name. Credentials, queries and fragments are refused. The returned
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
		switch host := u.Hostname(); {
		case strings.HasSuffix(host, ".") && isLoopback(strings.TrimSuffix(host, ".")):
			return nil, fail("plain http is only allowed for loopback addresses, and a name with a trailing dot is looked up in DNS: write " +
				strings.TrimSuffix(host, ".") + " without it")
		case !isLoopback(host):
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
// machine, from its text alone: exactly "localhost" (in any case) or a
// loopback IP literal. It never asks a resolver, and a name with a trailing
// dot ("localhost.", "127.0.0.1.") is not loopback: it is a DNS name, and a
// DNS server may answer anything for it.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}

// newHTTPClient returns a copy of hc (or a default client) that refuses
// redirects to another host or from https to http: Go forwards custom
// headers such as X-LSW-Auth on every redirect. The default client, for a
// plain-http endpoint (loopback only, see CheckEndpoint), also refuses to
// connect to any address that is not loopback, whatever "localhost"
// resolves to, so the API key never crosses a network in clear text.
func newHTTPClient(hc *http.Client, plain bool) *http.Client {
	var out http.Client
	if hc != nil {
		out = *hc
	} else {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if plain {
			d.Control = loopbackOnly
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = d.DialContext
		t.TLSHandshakeTimeout = 10 * time.Second
		t.MaxIdleConnsPerHost = 16
		out.Transport = t
	}
	next := out.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		switch {
		case len(via) >= 10:
			return &redirectError{"stopped after 10 redirects"}
		case req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https"):
			return &redirectError{fmt.Sprintf("refusing redirect to %s://%s: it would carry the API key to another host", req.URL.Scheme, req.URL.Host)}
		case next != nil:
			return next(req, via)
		}
		return nil
	}
	return &out
}

// loopbackOnly is a net.Dialer Control that refuses a connection to an
// address that is not loopback.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err == nil {
		var addr netip.Addr
		if addr, err = netip.ParseAddr(host); err == nil && addr.Unmap().IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("refusing plain http to %s: not a loopback address", address)
}

// tracesConns reports whether hc sends through the standard transport,
// which reports through httptrace when it gets a connection; other
// transports (the sandbox's, tests') report nothing.
func tracesConns(hc *http.Client) bool {
	if hc == nil || hc.Transport == nil {
		return true
	}
	_, ok := hc.Transport.(*http.Transport)
	return ok
}

// redirectError is a redirect the client refuses to follow.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }
