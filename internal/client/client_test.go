package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// fixture is a mock API and a client talking to it, with fast retries and a
// log recorder.
type fixture struct {
	mock   *mockapi.Server
	client *client.Client
	url    string
	log    *logRecorder
}

type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) record(_ context.Context, level client.Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tag := "DEBUG"
	if level == client.LevelInfo {
		tag = "INFO"
	}
	l.lines = append(l.lines, fmt.Sprintf("%s %s %v", tag, msg, fields))
}

func (l *logRecorder) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func newFixture(t *testing.T, tweak ...func(*client.Config)) *fixture {
	t.Helper()
	m := mockapi.New(mockapi.Options{})
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	f := &fixture{mock: m, url: srv.URL + "/v4_1", log: &logRecorder{}}
	cfg := client.Config{
		BaseURL: f.url, Token: m.Token(), UserAgent: "test-agent/1.0",
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Log: f.log.record,
	}
	for _, fn := range tweak {
		fn(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

// another returns a second client of the same mock, as a later process
// would have: it knows nothing of what the first one created.
func (f *fixture) another(t *testing.T, tweak ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		BaseURL: f.url, Token: f.mock.Token(),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Log: f.log.record,
	}
	for _, fn := range tweak {
		fn(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestNew_rejectsBadBaseURL(t *testing.T) {
	for _, raw := range []string{"ftp://x", "not a url", "https://", "https://h/v4_1?x=1", "://"} {
		if _, err := client.New(client.Config{BaseURL: raw}); err == nil {
			t.Errorf("base URL %q: no error", raw)
		}
	}
	if _, err := client.New(client.Config{RequestsPerSecond: -1}); err == nil {
		t.Error("negative requests per second accepted")
	}
}

func TestErrors_mapping(t *testing.T) {
	f := newFixture(t)
	bad, err := client.New(client.Config{BaseURL: f.url, Token: "wrong", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.GetProfile(ctx(t))
	var apiErr *client.APIError
	if !errors.Is(err, client.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error echoes the token: %v", err)
	}

	_, err = f.client.GetAccount(ctx(t), 999)
	if !client.IsNotFound(err) || !strings.Contains(err.Error(), "Account not found.") {
		t.Errorf("missing account: %v", err)
	}
	_, err = f.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "x", Password: "123"})
	if !errors.Is(err, client.ErrValidation) || len(client.FieldErrors(err)["password"]) == 0 {
		t.Errorf("short password: %v", err)
	}
	if strings.Contains(err.Error(), `"123"`) {
		t.Errorf("error echoes the password: %v", err)
	}

	f.mock.SetAccountPrice("10.00")
	f.mock.SetBalance("1.00")
	_, err = f.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "x", Password: "secret-1"})
	if !errors.Is(err, client.ErrInsufficientBalance) {
		t.Errorf("no balance: %v", err)
	}
	if _, _, n := f.mock.Len(); n != 0 {
		t.Errorf("%d accounts after a 402", n)
	}
}

func TestRetries_transientFailuresOnReads(t *testing.T) {
	f := newFixture(t)
	f.mock.FailNext("GET /servers", 2, mockapi.FailBefore)
	servers, err := f.client.ListServers(ctx(t))
	if err != nil || len(servers) == 0 {
		t.Fatalf("servers: %v %v", servers, err)
	}
	if got := f.mock.Count("GET /servers"); got != 3 {
		t.Errorf("GET /servers called %d times, want 3", got)
	}
	if !strings.Contains(f.log.all(), "retrying API request") {
		t.Errorf("no retry logged:\n%s", f.log.all())
	}
}

func TestRetries_after429(t *testing.T) {
	f := newFixture(t)
	f.mock.FailNext("GET /profile", 1, mockapi.FailRateLimited)
	if _, err := f.client.GetProfile(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := f.mock.Count("GET /profile"); got != 2 {
		t.Errorf("GET /profile called %d times, want 2", got)
	}
}

func TestRetries_areBounded(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.MaxRetries = 2 })
	f.mock.SetFailureRate(1)
	_, err := f.client.GetProfile(ctx(t))
	if !errors.Is(err, client.ErrServer) {
		t.Fatalf("want a server error, got %v", err)
	}
	if got := f.mock.Count("GET /profile"); got != 3 {
		t.Errorf("GET /profile called %d times, want 1 + 2 retries", got)
	}
}

func TestRetries_rateLimitedAfterThemCarriesRetryAfter(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.MaxRetries = -1; c.MaxRateLimitRetries = -1 })
	f.mock.FailNext("GET /ports", 1, mockapi.FailRateLimited)
	_, err := f.client.ListPorts(ctx(t))
	var apiErr *client.APIError
	if !errors.Is(err, client.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Second {
		t.Fatalf("want 429 with Retry-After 1s, got %v", err)
	}
}

func TestCreate_isNotRetriedBlindly(t *testing.T) {
	f := newFixture(t)
	// The server acted, then failed: the account is found by username, not
	// created twice.
	f.mock.FailNext("POST /accounts", 1, mockapi.FailAfter)
	acc, err := f.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Username != "alice" || f.mock.Count("POST /accounts") != 1 || f.mock.Count("GET /un/accounts/show") != 1 {
		t.Errorf("account %v, calls %v", acc, f.mock.Counts())
	}
	// The server failed before acting: the lookup finds nothing and the
	// create is sent again.
	f.mock.ResetCounts()
	f.mock.FailNext("POST /accounts", 1, mockapi.FailBefore)
	if _, err := f.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "bob", Password: "secret-1"}); err != nil {
		t.Fatal(err)
	}
	if f.mock.Count("POST /accounts") != 2 {
		t.Errorf("calls %v", f.mock.Counts())
	}
	if _, _, n := f.mock.Len(); n != 2 {
		t.Errorf("%d accounts, want 2", n)
	}
	// 429 is retried: the server cannot have acted.
	f.mock.ResetCounts()
	f.mock.FailNext("POST /accounts", 1, mockapi.FailRateLimited)
	if _, err := f.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "carol", Password: "secret-1"}); err != nil {
		t.Fatal(err)
	}
	if f.mock.Count("POST /accounts") != 2 || f.mock.Count("GET /un/accounts/show") != 0 {
		t.Errorf("calls %v", f.mock.Counts())
	}
}

func TestCreateCustomer_recoversByEmail(t *testing.T) {
	f := newFixture(t)
	p := must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"}))
	f.mock.FailNext("POST /customers", 1, mockapi.FailAfter)
	c, err := f.client.CreateCustomer(ctx(t), client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "j@example.com", ProjectID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.Email != "j@example.com" || f.mock.Count("POST /customers") != 1 {
		t.Errorf("customer %+v, calls %v", c, f.mock.Counts())
	}
	if _, n, _ := f.mock.Len(); n != 1 {
		t.Errorf("%d customers, want 1", n)
	}
}

func TestCreateProject_ofUnknownOutcomeNeverDuplicates(t *testing.T) {
	f := newFixture(t)
	// An older project with the same name is never taken for the new one.
	old := must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"}))
	g := f.another(t)
	f.mock.FailNext("POST /projects", 1, mockapi.FailAfter)
	p, err := g.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == old.ID || f.mock.Count("POST /projects") != 2 {
		t.Errorf("adopted %d (old %d), calls %v", p.ID, old.ID, f.mock.Counts())
	}
	if n, _, _ := f.mock.Len(); n != 2 {
		t.Errorf("%d projects, want 2", n)
	}
	// Failing before acting: nothing new matches, so it is created (once).
	f.mock.ResetCounts()
	f.mock.FailNext("POST /projects", 1, mockapi.FailBefore)
	if _, err := g.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := f.mock.Len(); n != 3 || f.mock.Count("POST /projects") != 2 {
		t.Errorf("%d projects, want 3; calls %v", n, f.mock.Counts())
	}
}

func TestRetries_transportErrorsOnReads(t *testing.T) {
	// A server that drops the first connection without answering.
	var mu sync.Mutex
	calls := 0
	m := mockapi.New(mockapi.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: m.Token(), RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPorts(ctx(t)); err != nil {
		t.Fatalf("not retried: %v", err)
	}
}

func TestRequestTimeout_andContext(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	f.mock.SetLatency(time.Minute)
	// Each attempt times out on its own; a timed-out read is retried once.
	_, err := f.client.GetProfile(ctx(t))
	var timeout *client.TimeoutError
	if !errors.As(err, &timeout) || !errors.Is(err, client.ErrTimeout) || !strings.Contains(err.Error(), "request timeout (50ms)") {
		t.Fatalf("want a timeout naming the request timeout, got %v", err)
	}
	if got := f.mock.Count("GET /profile"); got != 2 {
		t.Errorf("GET /profile attempted %d times, want 2", got)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.client.GetProfile(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestRateLimit_clientSide(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.RequestsPerSecond = 0.5 })
	// The first request uses the one token in the bucket; the next would
	// have to wait two seconds, which a 100ms deadline cannot cover, so the
	// limiter refuses it without sending anything.
	if _, err := f.client.ListPorts(ctx(t)); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := f.client.ListPorts(short); err == nil {
		t.Fatal("second request within the limit's interval was not held back")
	}
	if got := f.mock.Count("GET /ports"); got != 1 {
		t.Errorf("GET /ports reached the server %d times, want 1", got)
	}
}

func TestSecrets_headersAndLogsKeepTheTokenOut(t *testing.T) {
	m := mockapi.New(mockapi.Options{Token: "super-secret-token"})
	var ua, accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, accept = r.UserAgent(), r.Header.Get("Accept")
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	log := &logRecorder{}
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: "super-secret-token", UserAgent: "terraform-provider-vpnresellers/1.2.3", Log: log.record})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "pass-word-1"}); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-vpnresellers/1.2.3" || accept != "application/json" {
		t.Errorf("User-Agent %q, Accept %q", ua, accept)
	}
	logs := log.all()
	if !strings.Contains(logs, "POST") || !strings.Contains(logs, "/v4_1/accounts") {
		t.Errorf("request not logged:\n%s", logs)
	}
	for _, secret := range []string{"super-secret-token", "pass-word-1", "wg_private_key"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}

func TestSecrets_stayOutOfFormatting(t *testing.T) {
	a := client.Account{ID: 1, Username: "u", WgPrivateKey: "PRIVATE"}
	cfg := client.VPNConfig{Name: "wg0.conf", Content: "PrivateKey = PRIVATE"}
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v %#v", a, a), fmt.Sprint(cfg), fmt.Sprintf("%+v %#v", cfg, cfg)} {
		if strings.Contains(s, "PRIVATE") {
			t.Errorf("formatted value holds the secret: %s", s)
		}
	}
}

func TestIsGone(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind string
		want bool
	}{
		{&client.APIError{StatusCode: 404, Message: "Account not found."}, "account", true},
		{&client.APIError{StatusCode: 404, Message: "Customer not found."}, "customer", true},
		{&client.APIError{StatusCode: 404, Message: "Project not found."}, "project", true},
		{&client.APIError{StatusCode: 404, Message: "Account not found."}, "project", false},
		{&client.APIError{StatusCode: 404, Message: "Not Found."}, "account", false},
		{&client.APIError{StatusCode: 404, Message: "Not Found"}, "project", false},
		{&client.APIError{StatusCode: 410, Message: "Account not found."}, "account", false},
		{errors.New("Account not found."), "account", false},
		{nil, "account", false},
	} {
		if got := client.IsGone(tc.err, tc.kind); got != tc.want {
			t.Errorf("IsGone(%v, %q) = %v, want %v", tc.err, tc.kind, got, tc.want)
		}
	}
}

// TestConnections_reusedByConcurrentRequests: a caller often makes ten requests
// at once; the client must keep that many connections open between requests
// rather than dial (and, against the real API, shake hands over TLS) again
// for most of them.
func TestConnections_reusedByConcurrentRequests(t *testing.T) {
	m := mockapi.New(mockapi.Options{})
	srv := httptest.NewUnstartedServer(m)
	var mu sync.Mutex
	dialed := 0
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			dialed++
			mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: m.Token()})
	if err != nil {
		t.Fatal(err)
	}
	const parallel, rounds = 10, 10
	for range rounds {
		var wg sync.WaitGroup
		for range parallel {
			wg.Go(func() {
				if _, err := c.GetProfile(ctx(t)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	mu.Lock()
	defer mu.Unlock()
	// Keeping 2 idle connections (net/http's default) dials about
	// parallel + (rounds-1)*(parallel-2) = 82 times; reuse dials about 10.
	if dialed > 2*parallel {
		t.Errorf("%d requests in rounds of %d opened %d connections; want at most %d", parallel*rounds, parallel, dialed, 2*parallel)
	}
}
