package leaseweb

/*
Tests of transport failures over real sockets: which TLS failures are
permanent (one attempt, a hint), and which failures prove that a request
never reached the server (neverSent).
*/

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// rawServer accepts connections on loopback and hands each to serve.
func rawServer(t *testing.T, serve func(net.Conn)) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := cl.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return cl
}

// quietTLS returns an unstarted TLS test server that does not log handshake
// errors, with its connections counted.
func quietTLS(t *testing.T) (*httptest.Server, *countingListener) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	cl := &countingListener{Listener: srv.Listener}
	srv.Listener = cl
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, cl
}

// dialClient returns a client of base over the default HTTP client.
func dialClient(t *testing.T, base string, mod func(*ClientOptions)) (*Client, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	o := ClientOptions{APIKey: testKey, BaseURL: base, Sleep: clock.Sleep, RateLimit: 1000}
	if mod != nil {
		mod(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, clock
}

func TestPermanentTLSErrors(t *testing.T) {
	plain := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	plain.Config.ErrorLog = log.New(io.Discard, "", 0)
	plainConns := &countingListener{Listener: plain.Listener}
	plain.Listener = plainConns
	plain.Start()
	defer plain.Close()
	ssh := rawServer(t, func(c net.Conn) { _, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n") })
	untrusted, untrustedConns := quietTLS(t)
	// Trusted, but asked for another name: x509.HostnameError.
	misnamed, misnamedConns := quietTLS(t)
	pool := x509.NewCertPool()
	pool.AddCert(misnamed.Certificate())
	otherName := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "other.example"}}}
	// Trusted, but it demands a client certificate: a TLS alert.
	demanding := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	demanding.Config.ErrorLog = log.New(io.Discard, "", 0)
	demandingConns := &countingListener{Listener: demanding.Listener}
	demanding.Listener = demandingConns
	demanding.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	demanding.StartTLS()
	defer demanding.Close()
	pool.AddCert(demanding.Certificate())
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	tests := []struct {
		name  string
		base  string
		hc    *http.Client
		conns *countingListener
		want  string
	}{
		{"https to a plain HTTP port", "https://" + plain.Listener.Addr().String(), nil, plainConns,
			"the server speaks plain HTTP, not HTTPS (http:// is accepted for loopback addresses only): http: server gave HTTP response to HTTPS client"},
		{"a port that does not speak TLS", "https://" + ssh.Addr().String(), nil, ssh,
			"the server does not speak TLS: tls: first record does not look like a TLS handshake"},
		{"an untrusted certificate", untrusted.URL, nil, untrustedConns,
			"the server's TLS certificate is not accepted: tls: failed to verify certificate: x509: certificate signed by unknown authority"},
		{"a certificate for another name", misnamed.URL, otherName, misnamedConns,
			"the server's TLS certificate is not accepted: tls: failed to verify certificate: x509: certificate is valid for example.com, *.example.com, not other.example"},
		{"a refused handshake (alert)", demanding.URL, trusting, demandingConns,
			"the server refused the TLS handshake: remote error: tls: certificate required"},
		// Through a transport that wraps the standard one, the error alone
		// must tell that nothing was sent.
		{"https to a plain HTTP port, wrapped", "https://" + plain.Listener.Addr().String(),
			&http.Client{Transport: wrapped{http.DefaultTransport}}, plainConns,
			"the server speaks plain HTTP, not HTTPS (http:// is accepted for loopback addresses only): http: server gave HTTP response to HTTPS client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.conns.n.Store(0)
			c, clock := dialClient(t, tt.base, func(o *ClientOptions) { o.HTTPClient = tt.hc })
			err := c.Do(context.Background(), "GET", "/publicCloud/v1/instances", nil, nil, nil)
			if want := "GET /publicCloud/v1/instances: " + tt.want; errString(err) != want {
				t.Errorf("err = %v\nwant %s", err, want)
			}
			if n := tt.conns.n.Load(); n != 1 || len(clock.Sleeps()) != 0 {
				t.Errorf("%d connections, %d waits: want one attempt", n, len(clock.Sleeps()))
			}
			if !neverSent(err) {
				t.Errorf("neverSent(%v) = false: a failed handshake sends nothing", err)
			}
		})
	}
}

// TestNeverSent: only a failure before the request could leave (no
// connection, or no TLS session) counts as never sent.
func TestNeverSent(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String()
	closed.Close()
	// The server hangs up before the TLS handshake ends: io.EOF, which
	// only the connection trace tells from a lost answer.
	hangUp := rawServer(t, func(net.Conn) {})
	// The server reads the request, then hangs up: it may have acted.
	midway := rawServer(t, func(c net.Conn) { _, _ = c.Read(make([]byte, 4096)) })
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that a client hanging up cancels r.Context()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hung.Close()
	defer close(release)
	noDNS := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Resolver: &net.Resolver{PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("no DNS in tests") }}}).DialContext}}
	dropping, err := sandbox.New(sandbox.Options{Faults: sandbox.Faults{Rules: []sandbox.FaultRule{{Path: "/publicCloud/v1/instances", Drop: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	answering, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		base string
		mod  func(*ClientOptions)
		want bool
	}{
		{"connection refused", refused, nil, true},
		{"connection refused, wrapped", refused, func(o *ClientOptions) {
			o.HTTPClient = &http.Client{Transport: wrapped{http.DefaultTransport}}
		}, true},
		{"DNS lookup failed", "https://lswctl-never-sent.invalid", func(o *ClientOptions) { o.HTTPClient = noDNS }, true},
		{"hung up during the TLS handshake", "https://" + hangUp.Addr().String(), nil, true},
		{"hung up after reading the request", "http://" + midway.Addr().String(), nil, false},
		{"no answer in time", hung.URL, func(o *ClientOptions) { o.Timeout = 50 * time.Millisecond }, false},
		{"dropped by a custom transport", sandboxURL, func(o *ClientOptions) { o.HTTPClient = &http.Client{Transport: dropping.Transport()} }, false},
		{"an answer (400)", sandboxURL, func(o *ClientOptions) { o.HTTPClient = &http.Client{Transport: answering.Transport()} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := dialClient(t, tt.base, tt.mod)
			err := c.Do(context.Background(), "POST", "/publicCloud/v1/instances", nil, map[string]string{"reference": "web-1"}, nil)
			if err == nil {
				t.Fatal("the call succeeded")
			}
			if got := neverSent(err); got != tt.want {
				t.Errorf("neverSent(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
}

// wrapped is a RoundTripper around another, as test recorders are: the
// client cannot rely on connection traces through it.
type wrapped struct{ next http.RoundTripper }

func (w wrapped) RoundTrip(r *http.Request) (*http.Response, error) { return w.next.RoundTrip(r) }

// TestPlainHTTPDialsLoopbackOnly: for a plain-http endpoint the default
// client refuses to connect anywhere but loopback, whatever a name
// resolved to, so the API key never leaves the machine in clear text.
func TestPlainHTTPDialsLoopbackOnly(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{{"127.0.0.1:80", true}, {"127.9.9.9:8080", true}, {"[::1]:80", true}, {"[::ffff:127.0.0.1]:80", true},
		{"192.0.2.1:80", false}, {"10.0.0.1:8080", false}, {"[2001:db8::1]:80", false}, {"nonsense", false}} {
		if err := loopbackOnly("tcp", tt.addr, nil); (err == nil) != tt.ok {
			t.Errorf("loopbackOnly(%s) = %v, want ok %v", tt.addr, err, tt.ok)
		}
	}
	tr := newHTTPClient(nil, true).Transport.(*http.Transport)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := tr.DialContext(ctx, "tcp", "192.0.2.1:80") // TEST-NET-1: never reached
	if !strings.Contains(errString(err), "refusing plain http to 192.0.2.1:80: not a loopback address") {
		t.Errorf("dial of a non-loopback address for plain http: %v", err)
	}
}
