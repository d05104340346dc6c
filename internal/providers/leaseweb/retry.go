package leaseweb

/*
Retries and the shared rate limiter.

A call is retried only when repeating it cannot do harm: GET, HEAD, PUT and
DELETE always, POST only when the caller marks it Idempotent (power actions,
registering targets), and any call that was refused with 429 or never
reached the server (neverSent). A plain POST creates something; after an
ambiguous failure the kind looks the object up by its key instead of
sending it again, so a retry never makes a duplicate (DESIGN.md §6).

Transient failures are 429, 500, 502, 503, 504, a per-attempt timeout and
connection errors (refused, reset, dropped mid-answer). A TLS failure that
repeating cannot fix is permanent and fails at once with a hint (https to a
plain-HTTP port, a server that does not speak TLS, a certificate that is not
accepted, a handshake the server refuses), as are refused redirects and
oversized answers.

neverSent tells a request that never reached the server (the connection or
its TLS handshake failed first) from an ambiguous failure (the request may
have arrived and been applied): only the first kind lets a create be sent
again without a lookup. The wait before retry
n (0-based) is "full jitter": a uniform random duration in [0, min(30s,
500ms·2ⁿ)), which spreads a burst of clients better than a fixed schedule.
When the answer carries Retry-After (seconds or an HTTP date) the wait is
exactly that, capped at 60s.

Every attempt first waits for the client's limiter, which is shared by all
goroutines using the client (list pages, parallel apply steps). A 429 or 503
makes the limiter back off for everyone: the rate is halved (at most once a
second, never below 1/16 of the configured rate) and, with Retry-After, no
request starts before that time. Each successful answer then climbs back by
1/20 of the configured rate (additive increase, multiplicative decrease).
The limiter runs on the client's clock and sleeps through the client's Sleep,
so tests drive it without real waiting.
*/

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	retryBaseDelay  = 500 * time.Millisecond // ceiling of the first backoff
	retryMaxDelay   = 30 * time.Second       // ceiling of any computed backoff
	maxRetryAfter   = 60 * time.Second       // cap on an honoured Retry-After
	rateFloorDiv    = 16                     // backoff never goes below limit/16
	rateRecoverDiv  = 20                     // each success adds limit/20
	rateCutInterval = time.Second            // at most one halving per interval
)

// send performs a request with the retry policy described above and returns
// the successful answer or the last error.
func (c *Client) send(ctx context.Context, r *request) (*response, error) {
	retry := r.idempotent || idempotentMethod(r.method)
	for n := 0; ; n++ {
		resp, err := c.attempt(ctx, r, n+1)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctx.Err())
		}
		// 429 means the server refused without acting, and a request that
		// never reached the server did nothing, so even a non-idempotent
		// call (a launch, a deregistration) is safe to send again.
		if !(retry || StatusOf(err) == http.StatusTooManyRequests || neverSent(err)) || !isTransient(err) {
			return nil, err
		}
		if n >= c.maxRetries {
			if n > 0 {
				err = fmt.Errorf("%w (gave up after %d attempts)", err, n+1)
			}
			return nil, err
		}
		var apiErr *APIError
		var retryAfter time.Duration
		if errors.As(err, &apiErr) {
			retryAfter = apiErr.RetryAfter
		}
		if err := c.sleep(ctx, c.backoff(n, retryAfter)); err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
	}
}

// backoff returns the wait before retry n (0-based): retryAfter when the
// server gave one, else a full-jitter exponential delay.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	ceiling := retryMaxDelay
	if n < 16 {
		ceiling = min(ceiling, retryBaseDelay<<n)
	}
	return time.Duration(c.rand() * float64(ceiling))
}

// idempotentMethod reports whether HTTP defines method as idempotent.
func idempotentMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryableStatus reports whether an answer with status may succeed later.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transportError is a failure to get a complete answer: the connection
// could not be made, dropped, or the attempt timed out.
type transportError struct {
	method, path string
	err          error
	transient    bool // worth repeating (for an idempotent call)
	unsent       bool // the request never reached the server (see neverSent)
}

func (e *transportError) Error() string { return fmt.Sprintf("%s %s: %v", e.method, e.path, e.err) }
func (e *transportError) Unwrap() error { return e.err }

// isTransient reports whether err may go away when the call is repeated.
func isTransient(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.Status)
	}
	var te *transportError
	return errors.As(err, &te) && te.transient
}

// neverSent reports whether err, from Do, means the request never reached
// the server: the connection could not be made (refused, unreachable, a
// failed DNS lookup) or its TLS handshake failed, so nothing was applied and
// even a create may be sent again. Any other failure is ambiguous (the
// request may have been applied), and so is an answer: false.
func neverSent(err error) bool {
	var te *transportError
	return errors.As(err, &te) && te.unsent
}

// unsentError reports whether a transport error shows by its type that the
// request was never sent: a failed dial or TLS handshake.
func unsentError(err error) bool {
	var (
		operr  *net.OpError
		dnserr *net.DNSError
	)
	if errors.As(err, &operr) && (operr.Op == "dial" || operr.Op == "proxyconnect") {
		return true
	}
	return errors.As(err, &dnserr) || tlsHint(err) != ""
}

// permanentTransport reports whether a transport error is a configuration
// problem that repeating cannot fix.
func permanentTransport(err error) bool {
	var rderr *redirectError
	return tlsHint(err) != "" || errors.As(err, &rderr)
}

// tlsHint says what a permanent TLS failure means, or "" when err is none.
func tlsHint(err error) string {
	var (
		verr  *tls.CertificateVerificationError
		uaerr x509.UnknownAuthorityError
		herr  x509.HostnameError
		cerr  x509.CertificateInvalidError
		rherr tls.RecordHeaderError
		operr *net.OpError
	)
	switch {
	case errors.Is(err, http.ErrSchemeMismatch):
		return "the server speaks plain HTTP, not HTTPS (http:// is accepted for loopback addresses only)"
	case errors.As(err, &rherr):
		return "the server does not speak TLS"
	case errors.As(err, &verr) || errors.As(err, &uaerr) || errors.As(err, &herr) || errors.As(err, &cerr):
		return "the server's TLS certificate is not accepted"
	case errors.As(err, &operr) && operr.Op == "remote error" && operr.Err != nil &&
		operr.Err.Error() != "tls: internal error":
		// A TLS alert from the server (crypto/tls keeps the alert type
		// unexported; its texts are fixed): the server refused the session
		// before reading any request. Only internal_error may pass.
		return "the server refused the TLS handshake"
	}
	return ""
}

// parseRetryAfter reads a Retry-After value, either delay seconds or an HTTP
// date, as a duration from now, clamped to [0, maxRetryAfter]. Unparsable
// values count as absent.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// sleepTimer waits for d or until ctx is done, whichever comes first.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// limiter is the client-wide token bucket plus the Retry-After pause.
type limiter struct {
	lim *rate.Limiter // safe for concurrent use on its own
	max rate.Limit    // configured rate, the ceiling when recovering
	now func() time.Time

	mu       sync.Mutex
	resumeAt time.Time // no request starts before this (Retry-After)
	lastCut  time.Time // when the rate was last halved
}

func newLimiter(limit rate.Limit, burst int, now func() time.Time) *limiter {
	return &limiter{lim: rate.NewLimiter(limit, burst), max: limit, now: now}
}

// wait blocks, through sleep, until a request may start.
func (l *limiter) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	for {
		l.mu.Lock()
		pause := l.resumeAt.Sub(l.now())
		l.mu.Unlock()
		if pause <= 0 {
			break
		}
		if err := sleep(ctx, pause); err != nil {
			return err
		}
	}
	now := l.now()
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter refuses every request")
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := sleep(ctx, d); err != nil {
			r.CancelAt(l.now())
			return err
		}
	}
	return nil
}

// backOff reacts to a 429 or 503: pause everyone for retryAfter and halve
// the rate.
func (l *limiter) backOff(retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if t := now.Add(retryAfter); retryAfter > 0 && t.After(l.resumeAt) {
		l.resumeAt = t
	}
	if l.max == rate.Inf || now.Sub(l.lastCut) < rateCutInterval {
		return
	}
	l.lastCut = now
	l.lim.SetLimitAt(now, max(l.lim.Limit()/2, l.max/rateFloorDiv))
}

// recover raises a reduced rate one step after a successful answer.
func (l *limiter) recover() {
	if l.max == rate.Inf || l.lim.Limit() >= l.max {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lim.SetLimitAt(l.now(), min(l.max, l.lim.Limit()+l.max/rateRecoverDiv))
}

// limit returns the current rate (for tests and the debug log).
func (l *limiter) limit() rate.Limit { return l.lim.Limit() }
