// Package client is a typed Go client for the VPNresellers REST API v4.1.
//
// It knows nothing of Terraform: it unwraps the API's `data` envelope, checks
// every answer before handing it on, turns failures into typed errors a
// caller can branch on (*APIError for the API's own error answers,
// *TransportError, *TimeoutError, *MalformedAnswerError, *RetryWaitError,
// *UnknownOutcomeError, *ExistingObjectError), retries what is safe to retry,
// paces requests and walks paginated lists.
//
// # Retries and rate limits
//
// Every call has one retry budget: MaxRetries for failures (5xx answers,
// transport errors, timeouts) and, separately, MaxRateLimitRetries for 429
// answers, so a busy API cannot use up the budget meant for a failing one.
// Waits are exponential with jitter; a Retry-After is honoured with jitter
// added, so concurrent callers do not come back at the same instant. A
// Retry-After longer than MaxRetryWait fails at once with a *RetryWaitError.
//
// The client paces itself adaptively (AIMD): there is no limit until the
// first 429 (unless RequestsPerSecond sets one), then the rate is cut to half
// of what was being sent, cut by half again on each later 429 (at most once
// a second) and raised a little on each success, never above
// RequestsPerSecond when that is set. Every wait longer than a second is
// logged at LevelInfo.
//
// # Exactly-once creates
//
// Accounts and projects are billed, so CreateAccount, CreateCustomer and
// CreateProject create an object exactly once, or fail saying loudly that
// they may have. A create whose answer is lost (a transport error after the
// request was sent, a timeout, a 5xx answer, a 2xx answer that cannot be
// decoded or is not the object asked for) is settled by evidence, never by
// hope:
//
//   - Before the first create of a kind, the Client notes that kind's
//     high-water mark: the largest id that exists (lists are ordered by id, so
//     two one-item pages tell it: the first for the count, the last for the
//     id). It costs two requests per kind per Client, none per create.
//   - The Client remembers every id it created or adopted itself.
//   - Nothing is adopted without proof that this Client made it, because
//     other users of the same API account (another workspace, a person in
//     the web panel) may create an object with the same key at any moment.
//     A project is created carrying a one-time claim as its description, a
//     customer carrying one as its first name; once the project or customer
//     is known to be ours, a PUT sets the real value (one request more per
//     create than the API needs; when only that PUT fails, the object comes
//     back with an *IncompleteCreateError). An account is ours when it
//     accepts the password this create sent (ProveAccount: GET
//     /un/accounts/show with its own credentials and POST
//     /accounts/{id}/validate).
//   - After an ambiguous outcome the client looks for the object: an account
//     by its username with its own credentials, a customer by its email
//     carrying the claim, a project by the claim. A candidate is this
//     request's object only when its id is above the mark and the Client has
//     not claimed it already. A customer with the email but without the
//     claim is someone else's: the create fails with an
//     *ExistingObjectError naming it; it is never adopted. An account whose
//     username is taken is adopted only when it accepts the password; one
//     that refuses it is a *NotOursError. None found means the POST did not
//     act and it is tried again (but not after a timeout, when the server
//     may still act: then the client looks once more a RequestTimeout later,
//     and if it is still not there the outcome is unknown).
//   - The POST attempts and the lookups share one retry budget, so the
//     defaults send at most 1+MaxRetries POSTs per create.
//   - A refusal after an attempt that may have acted (422 "already taken" in
//     particular) is settled by one more lookup, and otherwise reported as an
//     *UnknownOutcomeError, never as a plain validation error.
//   - When the evidence is missing, the create fails with an
//     *UnknownOutcomeError whose Pending field records the mark, the key and
//     the claim. A caller that keeps Pending
//     (for example in private state) can settle the create later with
//     FindPendingCreate, before it ever creates the object again.
//   - A create already sent is not abandoned when ctx is cancelled: the POST
//     and the lookups that settle it run on a context detached from ctx, which
//     is cancelled CancelGrace after ctx is. A create not yet sent is not
//     sent after ctx is cancelled. Config.Stop ends all of it at once.
//
// What the proof cannot rule out: someone else creating an account with the
// same username and the same password, which makes it, for every purpose of
// this Client, the same account.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.vpnresellers.com/v4_1"

// Defaults for Config fields left zero.
const (
	DefaultMaxRetries          = 4
	DefaultMaxRateLimitRetries = 20
	DefaultRequestTimeout      = 30 * time.Second
	DefaultMaxRetryWait        = 60 * time.Second
	DefaultPageSize            = 100
	DefaultPageWorkers         = 4
	// MaxPages is the most pages a list walk fetches; a list claiming more
	// is refused.
	MaxPages            = 10000
	defaultRetryWaitMin = 500 * time.Millisecond
	defaultRetryWaitMax = 30 * time.Second
	maxResponseBytes    = 16 << 20
	longWait            = time.Second
	maxIdleConnsPerHost = 64 // above any usual terraform -parallelism
	maxFieldErrors      = 20 // fields (and messages per field) an *APIError keeps
)

// tooLarge marks a body longer than maxResponseBytes.
var tooLarge = errors.New("answer too large")

// Level is the importance of a log line.
type Level int

// Log levels.
const (
	LevelDebug Level = iota // every request attempt, every retry decision
	LevelInfo               // waits longer than a second, rate changes
)

// LogFunc receives one line per request attempt and per retry decision. The
// fields never hold request bodies or response bodies, and every secret the
// client knows (the token, passwords, private keys) is scrubbed from them.
type LogFunc func(ctx context.Context, level Level, msg string, fields map[string]any)

// Config configures a Client.
type Config struct {
	BaseURL string // default DefaultBaseURL
	Token   string // bearer token
	// MaxRetries is how many times a request that failed (5xx, transport
	// error, timeout) is retried; 0 means DefaultMaxRetries, a negative
	// value disables retries. A create's POSTs and lookups share it.
	MaxRetries int
	// MaxRateLimitRetries is how many 429 answers one call waits out; 0
	// means DefaultMaxRateLimitRetries, a negative value none.
	MaxRateLimitRetries int
	RetryWaitMin        time.Duration // first backoff; default 500ms
	RetryWaitMax        time.Duration // largest backoff; default 30s
	RequestTimeout      time.Duration // per attempt; default 30s
	// MaxRetryWait is the longest Retry-After the client waits; a longer
	// one fails at once (*RetryWaitError). Default 60s.
	MaxRetryWait time.Duration
	// CancelGrace is how long a create already sent goes on after its
	// context is cancelled, to learn and settle its outcome. Default twice
	// RequestTimeout.
	CancelGrace time.Duration
	// RequestsPerSecond caps the client-side rate; 0 means no cap until the
	// API answers 429 (the rate adapts either way).
	RequestsPerSecond float64
	UserAgent         string
	// PageSize is the per_page asked for when walking lists; default 100.
	PageSize int
	// PageWorkers bounds how many pages are fetched side by side; default 4.
	PageWorkers int
	HTTPClient  *http.Client // optional base client (its Transport is reused)
	Log         LogFunc
	// Stop, when set, ends the Client once it is done: every request in
	// flight is aborted, none is started, and no create outlives it by its
	// CancelGrace. For a process that must stop at once (its Terraform is
	// gone); a cancelled request context is not that.
	Stop context.Context
}

// Client talks to the API. It is safe for concurrent use.
type Client struct {
	base         *url.URL
	token        string
	userAgent    string
	pageSize     int
	workers      int
	http         *http.Client
	maxRetries   int
	max429       int
	waitMin      time.Duration
	waitMax      time.Duration
	maxRetryWait time.Duration
	timeout      time.Duration
	grace        time.Duration
	pace         *adaptiveRate
	log          LogFunc
	ledger       ledger
	secrets      secretSet       // see redact.go
	owners       ownerIndex      // see owners.go
	stop         context.Context // Config.Stop; nil = never
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
	if cfg.RequestsPerSecond < 0 {
		return nil, errors.New("requests per second must not be negative")
	}
	orDefault := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	durOr := func(v, def time.Duration) time.Duration {
		if v <= 0 {
			return def
		}
		return v
	}
	var transport http.RoundTripper
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		transport = cfg.HTTPClient.Transport
	} else {
		// http.DefaultTransport keeps only 2 idle connections per host: with
		// Terraform's -parallelism of 10, most requests would open a new
		// connection (and a new TLS handshake) instead of reusing one.
		transport = http.DefaultTransport
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			t := dt.Clone()
			t.MaxIdleConnsPerHost = maxIdleConnsPerHost
			transport = t
		}
	}
	c := &Client{
		base:         base,
		token:        cfg.Token,
		userAgent:    cfg.UserAgent,
		pageSize:     cfg.PageSize,
		workers:      cfg.PageWorkers,
		maxRetries:   orDefault(cfg.MaxRetries, DefaultMaxRetries),
		max429:       orDefault(cfg.MaxRateLimitRetries, DefaultMaxRateLimitRetries),
		waitMin:      durOr(cfg.RetryWaitMin, defaultRetryWaitMin),
		waitMax:      durOr(cfg.RetryWaitMax, defaultRetryWaitMax),
		maxRetryWait: durOr(cfg.MaxRetryWait, DefaultMaxRetryWait),
		timeout:      durOr(cfg.RequestTimeout, DefaultRequestTimeout),
		pace:         newAdaptiveRate(cfg.RequestsPerSecond),
		log:          cfg.Log,
		stop:         cfg.Stop,
		http: &http.Client{
			Transport: transport,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
	c.grace = durOr(cfg.CancelGrace, 2*c.timeout)
	c.secrets.add(cfg.Token)
	if c.pageSize <= 0 {
		c.pageSize = DefaultPageSize
	}
	if c.workers <= 0 {
		c.workers = DefaultPageWorkers
	}
	if c.userAgent == "" {
		c.userAgent = "vpnresellers-go-client"
	}
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

// logf logs one line, its fields scrubbed of every secret the client knows.
func (c *Client) logf(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, level, c.secrets.scrub(msg), c.secrets.scrubFields(fields))
	}
}

// request describes one API call.
type request struct {
	method string
	path   string // below the base URL, starting with "/"
	query  url.Values
	body   any
	basic  *[2]string // username, password for Basic auth instead of the token
	noAuth bool
	budget *budget // shared retry budget; nil gives the call its own
}

func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + path
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String()
}

// budget is the retry budget of one call, or of one create with everything
// it takes to settle it. It is safe for concurrent use (a list walk shares
// one between its workers).
type budget struct {
	mu                     sync.Mutex
	failures, throttles    int
	maxFailures, maxThrott int
}

func (c *Client) newBudget() *budget {
	return &budget{maxFailures: c.maxRetries, maxThrott: c.max429}
}

// fail spends one failure retry; false when none is left.
func (b *budget) fail() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failures >= b.maxFailures {
		return false
	}
	b.failures++
	return true
}

// throttled spends one 429 retry; false when none is left.
func (b *budget) throttled() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.throttles >= b.maxThrott {
		return false
	}
	b.throttles++
	return true
}

// send performs r and returns the raw successful response body. A non-2xx
// JSON answer becomes an *APIError, an HTML or otherwise unexpected answer a
// *MalformedAnswerError, a transport failure a *TransportError or a
// *TimeoutError. Reads are retried on 429, 5xx and transport failures; a
// POST only on 429 and on a connection that was never made (the server
// cannot have acted): settling a POST that may have acted is the caller's
// business.
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	if r.basic != nil {
		c.secrets.addBasic(r.basic[0], r.basic[1])
	}
	if ownershipWrite(r) {
		defer c.ownersChanged()
	}
	ctx, unbind := c.bound(ctx)
	defer unbind()
	var body []byte
	if r.body != nil {
		buf, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("encoding request body: %w", err)
		}
		body = buf
	}
	b := r.budget
	if b == nil {
		b = c.newBudget()
	}
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx, func(d time.Duration) {
			c.logf(ctx, LevelInfo, "pacing API requests after 429 answers", map[string]any{
				"method": r.method, "path": r.path, "wait": d.Round(time.Millisecond).String(), "rate_per_second": c.pace.current(),
			})
		}); err != nil {
			return nil, err
		}
		status, header, data, err := c.attempt(ctx, r, body)
		var wait time.Duration
		switch {
		case errors.As(err, new(*MalformedAnswerError)):
			// An answer too large to read: asking again gets the same.
			return nil, err
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if r.method == http.MethodPost && !notSent(err) || !retryableTransportError(err) || !b.fail() {
				return nil, err
			}
			wait = c.backoff(attempt)
		case status == http.StatusTooManyRequests:
			c.pace.throttled(func(rate float64) {
				c.logf(ctx, LevelInfo, "the API answered 429 Too Many Requests; lowering the request rate", map[string]any{"rate_per_second": rate})
			})
			apiErr := c.answerError(r, status, header, data)
			if !b.throttled() {
				return nil, apiErr
			}
			if wait, err = c.retryWait(r, status, header, attempt); err != nil {
				return nil, err
			}
		case status >= 200 && status <= 299:
			c.pace.succeeded()
			if isHTML(header, data) {
				return nil, c.malformed(r, status, "an HTML page instead of the API's JSON (a proxy, a sign-in page or a wrong base_url?)")
			}
			return data, nil
		default:
			answer := c.answerError(r, status, header, data)
			if r.method == http.MethodPost || status < 500 || status == http.StatusNotImplemented || !b.fail() {
				return nil, answer
			}
			if wait, err = c.retryWait(r, status, header, attempt); err != nil {
				return nil, err
			}
		}
		if err := c.sleep(ctx, r, wait, attempt+2); err != nil {
			return nil, err
		}
	}
}

// attempt performs one HTTP exchange within RequestTimeout.
func (c *Client) attempt(ctx context.Context, r request, body []byte) (int, http.Header, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, c.endpoint(r.path, r.query), rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case r.basic != nil:
		req.SetBasicAuth(r.basic[0], r.basic[1])
	case !r.noAuth && c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	var data []byte
	if err == nil {
		// One byte past the limit tells a body at the limit from a larger
		// one, which is refused, not cut short and then misread.
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
		resp.Body.Close()
		if err == nil && len(data) > maxResponseBytes {
			data, err = nil, tooLarge
		}
	}
	if errors.Is(err, tooLarge) {
		err = c.malformed(r, resp.StatusCode, fmt.Sprintf("the answer is larger than %d MB, the most the client reads", maxResponseBytes>>20))
	} else if err != nil {
		err = unwrapURLError(err)
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case errors.Is(actx.Err(), context.DeadlineExceeded):
			err = &TimeoutError{Method: r.method, URL: c.endpoint(r.path, nil), RequestTimeout: c.timeout}
		default:
			// Go's HTTP client quotes the bytes of a broken answer in
			// its errors ("malformed HTTP response ..."): scrub them too.
			err = &TransportError{Method: r.method, URL: c.endpoint(r.path, nil), Err: c.secrets.wrap(err)}
		}
	}
	// Without a log function (the provider's logs are off) no fields are
	// built at all: this runs for every request.
	if c.log != nil {
		fields := map[string]any{"method": r.method, "path": req.URL.Path, "duration_ms": time.Since(start).Milliseconds()}
		if err != nil {
			fields["error"] = err.Error()
			c.logf(ctx, LevelDebug, "API request failed", fields)
		} else {
			fields["status"] = resp.StatusCode
			c.logf(ctx, LevelDebug, "API request", fields)
		}
	}
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, data, nil
}

// sleep waits d before attempt number next, logging the wait (at INFO when
// it is long).
func (c *Client) sleep(ctx context.Context, r request, d time.Duration, next int) error {
	level := LevelDebug
	if d > longWait {
		level = LevelInfo
	}
	c.logf(ctx, level, "retrying API request", map[string]any{
		"method": r.method, "path": r.path, "attempt": next, "wait": d.Round(time.Millisecond).String(),
	})
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryWait is the wait before retrying an answer of status: the server's
// Retry-After plus jitter when it gave one (failing when it is longer than
// MaxRetryWait), else an exponential backoff.
func (c *Client) retryWait(r request, status int, header http.Header, attempt int) (time.Duration, error) {
	ra, ok := parseRetryAfter(header.Get("Retry-After"))
	if !ok {
		return c.backoff(attempt), nil
	}
	if ra > c.maxRetryWait {
		return 0, &RetryWaitError{Method: r.method, URL: c.endpoint(r.path, nil), StatusCode: status, Wait: ra, Max: c.maxRetryWait}
	}
	return ra + rand.N(max(ra/2, time.Second)), nil
}

// backoff waits exponentially longer with jitter, between the configured
// minimum and maximum.
func (c *Client) backoff(attempt int) time.Duration {
	return backoff(c.waitMin, c.waitMax, attempt)
}

func backoff(minWait, maxWait time.Duration, attempt int) time.Duration {
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

// unwrapURLError drops the *url.Error wrapper, whose text repeats the whole
// URL, in favour of the underlying cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func isHTML(header http.Header, data []byte) bool {
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("<"))
}

// malformed builds a *MalformedAnswerError; its reason, which may quote the
// answer, is scrubbed of secrets and cut short.
func (c *Client) malformed(r request, status int, reason string) *MalformedAnswerError {
	return &MalformedAnswerError{Method: r.method, URL: c.endpoint(r.path, nil), StatusCode: status, Reason: c.secrets.apiText(reason)}
}

// answerError turns a non-2xx answer into an *APIError, or into a
// *MalformedAnswerError when it is not the API's JSON error.
func (c *Client) answerError(r request, status int, header http.Header, data []byte) error {
	var body struct {
		Message string              `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	if isHTML(header, data) || (len(bytes.TrimSpace(data)) > 0 && json.Unmarshal(data, &body) != nil) {
		reason := "an answer that is not the API's JSON"
		if isHTML(header, data) {
			reason = "an HTML page instead of the API's JSON (a proxy, a sign-in page or a wrong base_url?)"
		}
		bad := c.malformed(r, status, reason)
		bad.RetryAfter, _ = parseRetryAfter(header.Get("Retry-After"))
		return bad
	}
	e := &APIError{StatusCode: status, Method: r.method, Path: r.path, URL: c.endpoint(r.path, nil),
		Message: c.secrets.apiText(body.Message), Errors: c.scrubFieldErrors(body.Errors)}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if d, ok := parseRetryAfter(header.Get("Retry-After")); ok {
		e.RetryAfter = d
	}
	return e
}

// do performs r and decodes the `data` member of the envelope into out (when
// out is non-nil), checking that it is an object of the expected shape.
func (c *Client) do(ctx context.Context, r request, out any) error {
	data, err := c.send(ctx, r)
	if err != nil || out == nil {
		return err
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(data, &env); err != nil {
		return c.malformed(r, http.StatusOK, "the JSON cannot be decoded: "+err.Error())
	}
	raw := env["data"]
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return c.malformed(r, http.StatusOK, "it has no data")
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(raw, &inner) == nil && inner["data"] != nil && inner["id"] == nil {
		return c.malformed(r, http.StatusOK, "its data is wrapped a level deeper than documented")
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return c.malformed(r, http.StatusOK, "its data is not what was asked for: "+err.Error())
	}
	c.secrets.learn(out)
	if v, ok := out.(interface{ problem() string }); ok {
		if p := v.problem(); p != "" {
			return c.malformed(r, http.StatusOK, p)
		}
	}
	return nil
}

// fieldName is what a field name in a 422 answer looks like ("email",
// "customer.project_id", "items.0.name").
var fieldName = regexp.MustCompile(`^[A-Za-z0-9_.*-]{1,64}$`)

// scrubFieldErrors scrubs and cuts the per-field messages of a 422
// answer; past maxFieldErrors fields, the rest are summed up.
func (c *Client) scrubFieldErrors(in map[string][]string) map[string][]string {
	if in == nil {
		return nil
	}
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make(map[string][]string, min(len(in), maxFieldErrors+1))
	for i, name := range names {
		if i == maxFieldErrors {
			out["(more)"] = []string{fmt.Sprintf("%d more fields not shown", len(names)-i)}
			break
		}
		msgs := in[name]
		if len(msgs) > maxFieldErrors {
			msgs = append(msgs[:maxFieldErrors:maxFieldErrors], fmt.Sprintf("(%d more messages not shown)", len(msgs)-maxFieldErrors))
		}
		scrubbed := make([]string, len(msgs))
		for j, m := range msgs {
			scrubbed[j] = c.secrets.apiText(m)
		}
		if !fieldName.MatchString(name) {
			// Laravel's keys are the request's field names; anything else
			// may quote a value.
			name = c.secrets.apiText(name)
		}
		out[name] = scrubbed
	}
	return out
}

// getByID fetches the object at path into out and checks that it carries id.
func getByID[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, id int64, out T) error {
	r := request{method: "GET", path: idPath(path, id)}
	if err := c.do(ctx, r, out); err != nil {
		return err
	}
	if got := out.objectID(); got != id {
		return c.malformed(r, http.StatusOK, fmt.Sprintf("it is the object with id %d, not %d", got, id))
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

func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
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
