package contract

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
)

// Middleware checks every request and response passing through next and
// calls report with each violation (report must not be nil; tests usually
// pass a function that calls t.Error). The /_sandbox/ control routes are
// passed through unchecked. A handler that hijacks the connection (a
// dropped-connection fault) has no response to check.
func (v *Validator) Middleware(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			report(err)
			return
		}
		if err := v.CheckRequest(r, body); err != nil {
			report(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.hijacked {
			return
		}
		if err := v.CheckResponse(r, body, rec.status, w.Header(), rec.body.Bytes()); err != nil {
			report(err)
		}
	})
}

// recorder passes a response through while keeping its status and body.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	hijacked    bool
	body        bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Hijack lets a wrapped handler drop the connection.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("contract: the response writer cannot be hijacked")
	}
	r.hijacked = true
	return hj.Hijack()
}

// Transport checks every request sent through next and every response it
// returns, calling report with each violation (report must not be nil).
// Requests to /_sandbox/ are passed through unchecked; transport errors are
// returned as they are.
func (v *Validator) Transport(next http.RoundTripper, report func(error)) http.RoundTripper {
	return roundTripper{v: v, next: next, report: report}
}

type roundTripper struct {
	v      *Validator
	next   http.RoundTripper
	report func(error)
}

// RoundTrip implements http.RoundTripper.
func (t roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if exempt(req.URL.Path) {
		return t.next.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := t.v.CheckRequest(req, body); err != nil {
		t.report(err)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := t.v.CheckResponse(req, body, resp.StatusCode, resp.Header, respBody); err != nil {
		t.report(err)
	}
	return resp, nil
}
