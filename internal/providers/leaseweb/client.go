package leaseweb

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Defaults applied by NewClient to zero ClientOptions fields.
const (
	// DefaultTimeout bounds each attempt of a call.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRetries is how often a retryable call is repeated.
	DefaultMaxRetries = 5
	// DefaultConcurrency bounds the pages ListAll fetches at once.
	DefaultConcurrency = 8
	// DefaultRateLimit is the client-wide request rate, per second.
	DefaultRateLimit = rate.Limit(40)
	// DefaultBurst is how many requests may start at once before the rate
	// applies; it is used with any RateLimit.
	DefaultBurst = 40
	// DefaultUserAgent is sent when ClientOptions.UserAgent is empty.
	DefaultUserAgent = "lswctl"
)

// maxResponseBody bounds how much of an answer is read into memory.
const maxResponseBody = 64 << 20

// ClientOptions configures a Client. The zero value of every field but
// APIKey selects a default.
type ClientOptions struct {
	// BaseURL is the API endpoint, DefaultBaseURL when empty; see CheckEndpoint.
	BaseURL string
	// APIKey is sent as X-LSW-Auth with every request. Required.
	APIKey string
	// UserAgent is sent as User-Agent, for example "lswctl/0.1.0".
	UserAgent string
	// HTTPClient sends the requests; nil selects a client with dial and TLS
	// handshake timeouts. Tests and the sandbox pass one with a custom
	// Transport. Redirects to another host are refused either way, because
	// they would carry the API key along.
	HTTPClient *http.Client
	// Timeout bounds each attempt (connect, send, read the whole answer).
	Timeout time.Duration
	// MaxRetries is how often a retryable call is repeated: 0 selects
	// DefaultMaxRetries (so up to 6 attempts), a negative value disables retries.
	MaxRetries int
	// PageSize is sent as limit on the first page of ListAll; 0 leaves the
	// page size to the server.
	PageSize int
	// Concurrency bounds the pages ListAll fetches at once.
	Concurrency int
	// RateLimit is requests per second for the whole client (burst
	// DefaultBurst); rate.Inf disables limiting but keeps Retry-After pauses.
	RateLimit rate.Limit
	// Debug, when set, receives every request and answer with credentials
	// and secret fields redacted.
	Debug io.Writer
	// Sleep waits for d or until ctx is done; nil uses a timer. Tests inject
	// one that returns at once and records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for backoff jitter; nil uses math/rand/v2.
	Rand func() float64
}

// Client talks to the Leaseweb API. It is safe for concurrent use; all calls
// share one rate limiter.
type Client struct {
	base        *url.URL
	apiKey      string
	userAgent   string
	hc          *http.Client
	timeout     time.Duration
	maxRetries  int
	pageSize    int
	concurrency int
	limiter     *limiter
	debug       *debugLog // nil when off
	sleep       func(context.Context, time.Duration) error
	rand        func() float64
	now         func() time.Time
	tracesConns bool          // hc reports connections through httptrace (see roundTrip)
	seq         atomic.Uint64 // request numbers for the debug log
	pageCap     atomic.Int64  // a limit the server was seen to lower (0: none); see paging.go
}

// NewClient validates o, fills in defaults and returns a Client.
func NewClient(o ClientOptions) (*Client, error) {
	if o.APIKey == "" {
		return nil, errors.New("LEASEWEB_API_KEY is not set")
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	base, err := CheckEndpoint(o.BaseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Timeout < 0:
		return nil, fmt.Errorf("client timeout %s is negative", o.Timeout)
	case o.PageSize < 0:
		return nil, fmt.Errorf("page size %d is negative", o.PageSize)
	case o.Concurrency < 0:
		return nil, fmt.Errorf("page concurrency %d is negative", o.Concurrency)
	case o.RateLimit < 0:
		return nil, fmt.Errorf("rate limit %v is negative", o.RateLimit)
	}
	c := &Client{
		tracesConns: tracesConns(o.HTTPClient),
		base:        base,
		apiKey:      o.APIKey,
		userAgent:   cmp.Or(o.UserAgent, DefaultUserAgent),
		hc:          newHTTPClient(o.HTTPClient, base.Scheme == "http"),
		timeout:     cmp.Or(o.Timeout, DefaultTimeout),
		maxRetries:  max(cmp.Or(o.MaxRetries, DefaultMaxRetries), 0),
		pageSize:    o.PageSize,
		concurrency: cmp.Or(o.Concurrency, DefaultConcurrency),
		sleep:       o.Sleep,
		rand:        o.Rand,
		now:         time.Now,
	}
	if c.sleep == nil {
		c.sleep = sleepTimer
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	c.limiter = newLimiter(cmp.Or(o.RateLimit, DefaultRateLimit), DefaultBurst, func() time.Time { return c.now() })
	if o.Debug != nil {
		c.debug = newDebugLog(o.Debug, o.APIKey)
	}
	return c, nil
}

// CallOption adjusts one call of Client.Do.
type CallOption func(*request)

// Idempotent marks a POST as safe to repeat (power actions, registering
// targets), so Do retries it like a GET. Never use it for creates.
func Idempotent() CallOption {
	return func(r *request) { r.idempotent = true }
}

// Expect makes exactly the given statuses count as success, instead of any
// 2xx. A listed non-2xx status (say 404 for a delete) returns nil without
// decoding the body; an unlisted 2xx status returns an APIError.
func Expect(statuses ...int) CallOption {
	return func(r *request) { r.expect = append(r.expect, statuses...) }
}

// request is one call of Do, shared by its attempts.
type request struct {
	id           uint64
	method, path string
	url          string
	body         []byte // nil when there is no body
	idempotent   bool
	expect       []int
}

// response is a complete answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// Do sends one request to path with query. path starts with "/", is appended
// to the base URL, and is taken as escaped: build it with url.PathEscape for
// each id. A non-nil body is JSON-encoded; a json.RawMessage or
// []byte is sent as is. A non-nil out is JSON-decoded from a successful 2xx
// answer; an empty answer leaves it untouched. Idempotent calls are retried
// as described in retry.go. Every unsuccessful answer is an *APIError;
// cancelling ctx aborts waits and the request in flight and returns an error
// wrapping ctx.Err().
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...CallOption) error {
	r, err := c.newRequest(method, path, query, body, opts)
	if err != nil {
		return err
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil || resp.status/100 != 2 || len(bytes.TrimSpace(resp.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s %s: decoding %d answer: %w", r.method, r.path, resp.status, err)
	}
	return nil
}

// newRequest checks and encodes the parts of a call.
func (c *Client) newRequest(method, path string, query url.Values, body any, opts []CallOption) (*request, error) {
	method = strings.ToUpper(method)
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%s %s: path must start with / and have no query", method, path)
	}
	r := &request{id: c.seq.Add(1), method: method, path: path}
	for _, o := range opts {
		o(r)
	}
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	u := *c.base
	u.Path, u.RawPath = c.base.Path+unescaped, c.base.EscapedPath()+path
	u.RawQuery = query.Encode()
	r.url = u.String()
	switch b := body.(type) {
	case nil:
	case json.RawMessage:
		r.body = b
	case []byte:
		r.body = b
	default:
		enc, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding request body: %w", method, path, err)
		}
		r.body = enc
	}
	if body != nil && r.body == nil {
		r.body = []byte{} // a non-nil empty body still gets a Content-Type
	}
	return r, nil
}

// attempt waits for the limiter, sends r once and classifies the answer.
func (c *Client) attempt(ctx context.Context, r *request, n int) (*response, error) {
	if err := c.limiter.wait(ctx, c.sleep); err != nil {
		return nil, fmt.Errorf("%s %s: waiting for the rate limiter: %w", r.method, r.path, err)
	}
	resp, err := c.roundTrip(ctx, r, n)
	if err != nil {
		return nil, err
	}
	if c.succeeded(r, resp.status) {
		c.limiter.recover()
		return resp, nil
	}
	apiErr := newAPIError(r.method, r.path, resp.status, resp.body)
	if resp.status/100 == 2 {
		apiErr.ErrorMessage = fmt.Sprintf("unexpected status, want %v", r.expect)
	}
	apiErr.RetryAfter = parseRetryAfter(resp.header.Get("Retry-After"), c.now())
	if resp.status == http.StatusTooManyRequests || resp.status == http.StatusServiceUnavailable {
		c.limiter.backOff(apiErr.RetryAfter)
	}
	return nil, apiErr
}

// succeeded reports whether status counts as success for r.
func (c *Client) succeeded(r *request, status int) bool {
	if len(r.expect) > 0 {
		return slices.Contains(r.expect, status)
	}
	return status/100 == 2
}

// roundTrip sends r once, bounded by the per-attempt timeout, and reads the
// whole answer.
func (c *Client) roundTrip(ctx context.Context, r *request, n int) (*response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, r.url, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	req.Header.Set("X-LSW-Auth", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.debug.request(r, n, req.Header)
	var connected atomic.Bool // the standard transport got a connection (TLS included)
	req = req.WithContext(httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	}))
	start := time.Now()
	resp, body, err := c.exchange(req)
	if err != nil {
		err = c.transportFailure(ctx, actx, r, err, c.tracesConns && !connected.Load())
		c.debug.failure(r, time.Since(start), err)
		return nil, err
	}
	c.debug.response(r, resp.StatusCode, time.Since(start), resp.Header, body)
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// exchange performs req and reads its body, closing it.
func (c *Client) exchange(req *http.Request) (*http.Response, []byte, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading answer: %w", err)
	}
	if len(body) > maxResponseBody {
		return nil, nil, &tooLargeError{}
	}
	return resp, body, nil
}

// tooLargeError is an answer bigger than maxResponseBody.
type tooLargeError struct{}

func (*tooLargeError) Error() string {
	return fmt.Sprintf("answer is larger than %d MiB", maxResponseBody>>20)
}

// transportFailure turns an error from sending or reading into the error Do
// returns: ctx's own error when the caller gave up, else a transportError
// marked transient unless it is a configuration problem, and unsent when
// the request cannot have reached the server: its error says so, or
// noConn, the standard transport never got a connection for it.
func (c *Client) transportFailure(ctx, actx context.Context, r *request, err error, noConn bool) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, ctx.Err())
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	unsent := noConn || unsentError(err)
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return &transportError{method: r.method, path: r.path, err: fmt.Errorf("no complete answer within %s", c.timeout),
			transient: true, unsent: unsent}
	}
	var big *tooLargeError
	transient := !permanentTransport(err) && !errors.As(err, &big)
	if hint := tlsHint(err); hint != "" {
		err = fmt.Errorf("%s: %w", hint, err)
	}
	return &transportError{method: r.method, path: r.path, err: err, transient: transient, unsent: unsent}
}
