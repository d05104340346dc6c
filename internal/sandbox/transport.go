package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
)

// Transport returns an http.RoundTripper that serves requests in process,
// through the same code as ServeHTTP, without a listener or a port. Point an
// http.Client's Transport at it and send requests to any host
// (e.g. https://api.leaseweb.com/...). A dropped-connection fault makes
// RoundTrip return a *net.OpError wrapping syscall.ECONNRESET.
func (s *Server) Transport() http.RoundTripper {
	return transport{s: s}
}

type transport struct {
	s *Server
}

// sandboxAddr is the remote address transport errors name.
type sandboxAddr struct{}

func (sandboxAddr) Network() string { return "tcp" }
func (sandboxAddr) String() string  { return "sandbox:443" }

// RoundTrip implements http.RoundTripper.
func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("sandbox transport: reading request body: %w", err)
		}
		body = b
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sreq := req.Clone(ctx)
	sreq.Body = io.NopCloser(bytes.NewReader(body))
	sreq.ContentLength = int64(len(body))
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:0"
	resp, drop := t.s.serve(sreq)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if drop {
		return nil, &net.OpError{Op: "read", Net: "tcp", Addr: sandboxAddr{},
			Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", resp.status, http.StatusText(resp.status)),
		StatusCode:    resp.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(resp.body)),
		ContentLength: int64(len(resp.body)),
		Request:       req,
	}, nil
}
