package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	DefaultMaxInFlight         = 10
	// MaxPages is the most pages a list walk fetches; a list claiming more
	// is refused.
	MaxPages            = 10000
	defaultRetryWaitMin = 500 * time.Millisecond
	defaultRetryWaitMax = 30 * time.Second
	maxResponseBytes    = 16 << 20
	longWait            = time.Second
	maxIdleConnsPerHost = 64 // above any usual number of concurrent callers
	maxFieldErrors      = 20 // fields (and messages per field) an *APIError keeps
)

// errTooLarge marks a body longer than maxResponseBytes.
var errTooLarge = errors.New("answer too large")

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
	// MaxInFlight bounds how many requests the Client has in flight at
	// once, whoever its callers are (every call, list walk, Each pool and
	// owner walk shares the bound: see inFlight), and so how many pages a
	// walk asks for ahead and how many calls Each runs side by side;
	// default 10, Terraform's own default -parallelism.
	MaxInFlight int
	HTTPClient  *http.Client // optional base client (its Transport is reused)
	Log         LogFunc
	// Stop, when set, ends the Client once it is done: every request in
	// flight is aborted, none is started, and no create outlives it by its
	// CancelGrace. For a process that must stop at once (whoever started it
	// is gone); a cancelled request context is not that.
	Stop context.Context
}

// Client talks to the API. It is safe for concurrent use.
type Client struct {
	base         *url.URL
	token        string
	userAgent    string
	pageSize     int
	maxInFlight  int
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
	secrets      secretSet           // see redact.go
	writes       writeClock          // see write_clock.go
	owners       sharedWalk[*Owners] // see owners.go
	reads        objectReaders       // see reads.go
	// inFlight holds a slot for each HTTP exchange in flight: at most
	// MaxInFlight requests at once, whatever runs them (see send).
	inFlight chan struct{}
	stop     context.Context // Config.Stop; nil = never
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
	// User info in the base URL is ignored: the API authenticates with the
	// token alone, and Go's HTTP client would send it as Basic auth on
	// every request without a token (GET /geoip), to whoever answers. It
	// is still registered as a secret, so that no answer quoting it shows
	// it (see URLUserinfo).
	userinfo := URLUserinfo(base)
	base.User = nil
	if err := CheckToken(cfg.Token); err != nil {
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
		// ten callers at once, most requests would open a new
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
		maxInFlight:  cfg.MaxInFlight,
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
	c.reads.init(c)
	c.secrets.add(cfg.Token)
	c.secrets.add(userinfo...)
	if c.pageSize <= 0 {
		c.pageSize = DefaultPageSize
	}
	if c.maxInFlight <= 0 {
		c.maxInFlight = DefaultMaxInFlight
	}
	c.inFlight = make(chan struct{}, c.maxInFlight)
	if c.userAgent == "" {
		c.userAgent = "vpnresellers-go-client"
	}
	return c, nil
}

// CheckToken reports, without quoting the token, why it cannot be sent as a
// bearer token: every character must be visible ASCII, as the API's tokens
// are (a line break left by reading it from a file, a space, a control or
// a non-ASCII character cannot be sent, or are not part of a token).
// An empty token passes: the API then answers 401.
func CheckToken(token string) error {
	for i, r := range []rune(token) {
		if r > 0x20 && r < 0x7f {
			continue
		}
		what := "a non-ASCII character"
		switch {
		case r == '\n' || r == '\r':
			what = "a line break"
		case r == ' ' || r == '\t' || unicode.IsSpace(r):
			what = "white space"
		case unicode.IsControl(r) || !unicode.IsPrint(r):
			what = "a control or invisible character"
		}
		return fmt.Errorf("the token holds %s at character %d of %d, which cannot be sent in an HTTP header "+
			"as a bearer token (API tokens are visible ASCII characters only)", what, i+1, utf8.RuneCountInString(token))
	}
	return nil
}

// ParseBaseURL checks that raw is an absolute http(s) URL and returns it
// without a trailing slash, its user info (if any) kept: New drops it, and
// a caller may want to say so (URLUserinfo). Its errors show raw as
// RedactURL does, without user info.
func ParseBaseURL(raw string) (*url.URL, error) {
	shown := strconv.Quote(RedactURL(raw))
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Parse's error repeats the whole URL: give its reason
		// alone, scrubbed of what may be user info.
		why := err
		var ue *url.Error
		if errors.As(err, &ue) {
			why = ue.Err
		}
		var s secretSet
		s.add(userinfoCandidates(raw)...)
		return nil, fmt.Errorf("base URL %s is not a valid URL: %s", shown, s.scrub(why.Error()))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %s must start with https:// (or http:// for a local test API)", shown)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %s has no host", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %s must not have a query or fragment", shown)
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

// endpoint is the URL a request is sent to. Messages, errors and log lines
// show it through shownURL.
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + path
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String()
}

// shownURL is the URL of path as errors and messages show it (RedactURL).
func (c *Client) shownURL(path string, query url.Values) string {
	return RedactURL(c.endpoint(path, query))
}

// getByID fetches the object at path and checks that it carries id.
func getByID[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, id int64) (*T, error) {
	var out T
	r := request{method: "GET", path: idPath(path, id)}
	if err := c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	if got := out.objectID(); got != id {
		return nil, c.malformed(r, http.StatusOK, fmt.Sprintf("it is the object with id %d, not %d", got, id))
	}
	return &out, nil
}

func idPath(format string, ids ...int64) string {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf(format, args...)
}
