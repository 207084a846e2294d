// Package client is a typed Go client for the VPNresellers REST API v4.1.
//
// It knows nothing of Terraform: it unwraps the API's `data` envelope, turns
// error answers into *APIError values a caller can branch on with errors.Is,
// retries what is safe to retry, paces requests and walks paginated lists.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.vpnresellers.com/v4_1"

// Defaults for Config fields left zero.
const (
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultPageSize       = 100
	DefaultPageWorkers    = 4
	defaultRetryWaitMin   = 500 * time.Millisecond
	defaultRetryWaitMax   = 30 * time.Second
	maxResponseBytes      = 16 << 20
	maxIdleConnsPerHost   = 64 // above any usual terraform -parallelism
)

// LogFunc receives one line per request attempt and per retry decision. The
// fields never hold the token, credentials, request bodies or response bodies.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Config configures a Client.
type Config struct {
	BaseURL string // default DefaultBaseURL
	Token   string // bearer token
	// MaxRetries is how many times a failed request is retried; 0 means
	// DefaultMaxRetries, a negative value disables retries.
	MaxRetries     int
	RetryWaitMin   time.Duration // first backoff; default 500ms
	RetryWaitMax   time.Duration // largest backoff; default 30s
	RequestTimeout time.Duration // per attempt; default 30s
	// RequestsPerSecond paces requests on the client side; 0 means unlimited.
	RequestsPerSecond float64
	UserAgent         string
	// PageSize is the per_page asked for when walking lists; default 100.
	PageSize int
	// PageWorkers bounds how many pages are fetched side by side; default 4.
	PageWorkers int
	HTTPClient  *http.Client // optional base client (its Transport is reused)
	Log         LogFunc
}

// Client talks to the API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	token     string
	userAgent string
	pageSize  int
	workers   int
	http      *retryablehttp.Client
	log       LogFunc
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = defaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = defaultRetryWaitMax
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.PageWorkers <= 0 {
		cfg.PageWorkers = DefaultPageWorkers
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-vpnresellers-client"
	}
	if cfg.RequestsPerSecond < 0 {
		return nil, errors.New("requests per second must not be negative")
	}

	var transport http.RoundTripper
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		transport = cfg.HTTPClient.Transport
	} else {
		// http.DefaultTransport keeps only 2 idle connections per host: with
		// Terraform's -parallelism of 10, most requests would open a new
		// connection (and a new TLS handshake) instead of reusing one.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		transport = t
	}
	var limiter *rate.Limiter
	if cfg.RequestsPerSecond > 0 {
		burst := int(cfg.RequestsPerSecond)
		if burst < 1 {
			burst = 1
		}
		limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), burst)
	}
	c := &Client{
		base:      base,
		token:     cfg.Token,
		userAgent: cfg.UserAgent,
		pageSize:  cfg.PageSize,
		workers:   cfg.PageWorkers,
		log:       cfg.Log,
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport: &pacedTransport{next: transport, limiter: limiter, log: cfg.Log},
		Timeout:   cfg.RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	rc.Logger = nil
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	if cfg.Log != nil {
		rc.RequestLogHook = func(_ retryablehttp.Logger, r *http.Request, attempt int) {
			if attempt > 0 {
				c.logf(r.Context(), "retrying API request", map[string]any{
					"method": r.Method, "path": r.URL.Path, "attempt": attempt + 1,
				})
			}
		}
	}
	c.http = rc
	return c, nil
}

// ParseBaseURL checks that raw is an absolute http(s) URL and returns it
// without a trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q must start with https:// (or http:// for a local test API)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func (c *Client) logf(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, msg, fields)
	}
}

// request describes one API call.
type request struct {
	method string
	path   string // below the base URL, starting with "/"
	query  url.Values
	body   any
	accept string
	basic  *[2]string // username, password for Basic auth instead of the token
	noAuth bool
}

func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + path
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String()
}

// send performs r and returns the raw successful response body. A non-2xx
// answer becomes an *APIError; a transport failure is returned as is.
func (c *Client) send(ctx context.Context, r request) ([]byte, http.Header, error) {
	var body any
	if r.body != nil {
		buf, err := json.Marshal(r.body)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding request body: %w", err)
		}
		body = buf
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, c.endpoint(r.path, r.query), body)
	if err != nil {
		return nil, nil, err
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case r.basic != nil:
		req.SetBasicAuth(r.basic[0], r.basic[1])
	case !r.noAuth && c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, nil, ctxErr
		}
		return nil, nil, fmt.Errorf("%s %s: %w", r.method, r.path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: reading response: %w", r.method, r.path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, resp.Header, decodeError(r.method, r.path, resp, data)
	}
	return data, resp.Header, nil
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the whole
// URL, in favour of the underlying cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func decodeError(method, path string, resp *http.Response, data []byte) error {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path}
	var body struct {
		Message string              `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	if json.Unmarshal(data, &body) == nil {
		e.Message = body.Message
		e.Errors = body.Errors
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
		e.RetryAfter = d
	}
	return e
}

// do performs r and decodes the `data` member of the envelope into out (when
// out is non-nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	data, _, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("%s %s: the API answered with malformed JSON: %w", r.method, r.path, err)
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		return fmt.Errorf("%s %s: the API answer has no data", r.method, r.path)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("%s %s: unexpected answer: %w", r.method, r.path, err)
	}
	return nil
}

func idPath(format string, ids ...int64) string {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf(format, args...)
}

// checkRetry decides whether an attempt is retried. Creates (POST) are
// retried only when the server cannot have acted on them: a 429 answer, or a
// connection that was never made.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	method := ""
	if resp != nil && resp.Request != nil {
		method = resp.Request.Method
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			method = ue.Op
		}
		if method == "Post" || method == http.MethodPost {
			return notSent(err), nil
		}
		return retryableTransportError(err), nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return true, nil
	}
	if method == http.MethodPost {
		return false, nil
	}
	return resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
}

// notSent reports whether a transport error happened before the request
// could reach the server (so a retry cannot duplicate anything).
func notSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsTemporary
}

func retryableTransportError(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	msg := err.Error()
	for _, permanent := range []string{"unsupported protocol scheme", "certificate", "x509:", "stopped after"} {
		if strings.Contains(msg, permanent) {
			return false
		}
	}
	return true
}

// backoff honours Retry-After on 429 and 503 answers and otherwise waits
// exponentially longer with jitter, between min and max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			return d
		}
	}
	wait := minWait << uint(min(attempt, 16))
	if wait <= 0 || wait > maxWait {
		wait = maxWait
	}
	// Full jitter on the upper half keeps concurrent clients apart.
	half := wait / 2
	if half > 0 {
		wait = half + rand.N(half)
	}
	return wait
}

func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// pacedTransport applies the client-side rate limit to every attempt and
// logs it (when there is a log function: without one it builds no fields).
type pacedTransport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
	log     LogFunc
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.limiter != nil {
		if err := t.limiter.Wait(req.Context()); err != nil {
			return nil, err
		}
	}
	if t.log == nil {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = unwrapURLError(err).Error()
		t.log(req.Context(), "API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	t.log(req.Context(), "API request", fields)
	return resp, nil
}
