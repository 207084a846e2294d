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
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// How one request travels: sending, retrying, waiting, and turning an answer
// into a value or an error.
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
func (b *budget) fail() bool { return b.spend(&b.failures, b.maxFailures) }

// throttled spends one 429 retry; false when none is left.
func (b *budget) throttled() bool { return b.spend(&b.throttles, b.maxThrott) }

// spend counts one more retry in *used, unless limit are spent already.
func (b *budget) spend(used *int, limit int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if *used >= limit {
		return false
	}
	*used++
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
	defer c.writes.begin(writeKeys(r))()
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
		if err := c.takeSlot(ctx); err != nil {
			return nil, err
		}
		sentAt := time.Now()
		status, header, data, err := c.attempt(ctx, r, body)
		<-c.inFlight
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
			ra, _ := parseRetryAfter(header.Get("Retry-After"))
			c.pace.throttled(sentAt, ra, func(rate float64) {
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
			c.pace.answered()
			if isHTML(header, data) {
				return nil, c.malformed(r, status, "an HTML page instead of the API's JSON (a proxy, a sign-in page or a wrong base URL?)")
			}
			return data, nil
		default:
			c.pace.answered() // the API took it: it counts towards the rate it accepts
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

// takeSlot waits for one of the client's MaxInFlight slots for requests in
// flight. send holds it around the HTTP exchange only (attempt: the
// request, and the answer read in full), never while it paces, sleeps
// before a retry or waits for anything else: a slot's holder never waits
// for another slot, so callers that wait on each other (a walk's pages, an
// Each pool, the owner walk a create's settlement asks for) cannot
// deadlock, and a call waiting out a Retry-After leaves its slot to others.
func (c *Client) takeSlot(ctx context.Context) error {
	select {
	case c.inFlight <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
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
			data, err = nil, errTooLarge
		}
	}
	if errors.Is(err, errTooLarge) {
		err = c.malformed(r, resp.StatusCode, fmt.Sprintf("the answer is larger than %d MB, the most the client reads", maxResponseBytes>>20))
	} else if err != nil {
		err = unwrapURLError(err)
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case errors.Is(actx.Err(), context.DeadlineExceeded):
			err = &TimeoutError{Method: r.method, URL: c.shownURL(r.path, nil), RequestTimeout: c.timeout}
		default:
			// Go's HTTP client quotes the bytes of a broken answer in
			// its errors ("malformed HTTP response ..."): scrub them too.
			err = &TransportError{Method: r.method, URL: c.shownURL(r.path, nil), Err: c.secrets.wrap(err)}
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
		return 0, &RetryWaitError{Method: r.method, URL: c.shownURL(r.path, nil), StatusCode: status, Wait: ra, Max: c.maxRetryWait}
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
	return &MalformedAnswerError{Method: r.method, URL: c.shownURL(r.path, nil), StatusCode: status, Reason: c.secrets.apiText(reason)}
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
			reason = "an HTML page instead of the API's JSON (a proxy, a sign-in page or a wrong base URL?)"
		}
		bad := c.malformed(r, status, reason)
		bad.RetryAfter, _ = parseRetryAfter(header.Get("Retry-After"))
		return bad
	}
	e := &APIError{StatusCode: status, Method: r.method, Path: r.path, URL: c.shownURL(r.path, nil),
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
		// Laravel's keys are the request's field names, but a name may
		// quote a value too: a secret in it is no less a secret. Two
		// names that read the same once scrubbed share their messages.
		name = c.secrets.apiText(name)
		merged := append(out[name], scrubbed...)
		out[name] = merged[:min(len(merged), maxFieldErrors+1)]
	}
	return out
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

// maxRetryAfter caps the wait a Retry-After can ask for, however it is
// written: a longer one is taken as this long (still more than any
// MaxRetryWait, so the call fails at once instead of waiting).
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header value: delay-seconds or an
// HTTP-date (RFC 9110, 10.2.3), as a wait from now.
func parseRetryAfter(v string) (time.Duration, bool) {
	return parseRetryAfterAt(v, time.Now())
}

// parseRetryAfterAt is parseRetryAfter at the time now. The wait is never
// negative (a date in the past is no wait) and never above maxRetryAfter.
func parseRetryAfterAt(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		// Digits only: too many for an int64 is still a number of
		// seconds, and a long one.
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}
