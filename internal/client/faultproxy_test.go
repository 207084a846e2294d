package client_test

import (
	"bytes"
	"io"
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

// fault takes over one request on its way to the mock.
type fault func(m http.Handler, w http.ResponseWriter, r *http.Request)

// proxy stands between the client and the mock, like a network, a gateway
// or a struggling server: it counts every request it sees and lets queued
// faults take over the ones they are queued for.
type proxy struct {
	mock   *mockapi.Server
	url    string
	mu     sync.Mutex
	faults map[string][]fault
	counts map[string]int
}

func newProxy(t *testing.T) *proxy {
	t.Helper()
	p := &proxy{mock: mockapi.New(mockapi.Options{}), faults: map[string][]fault{}, counts: map[string]int{}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.url = srv.URL + "/v4_1"
	return p
}

// on queues faults for the requests "METHOD /path" (path below /v4_1).
func (p *proxy) on(key string, fs ...fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults[key] = append(p.faults[key], fs...)
}

func (p *proxy) count(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[key]
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/v4_1")
	p.mu.Lock()
	p.counts[key]++
	var f fault
	if q := p.faults[key]; len(q) > 0 {
		f, p.faults[key] = q[0], q[1:]
	}
	p.mu.Unlock()
	if f == nil {
		p.mock.ServeHTTP(w, r)
		return
	}
	f(p.mock, w, r)
}

// client returns a client of the proxy with fast retries; tweak adjusts it.
func (p *proxy) client(t *testing.T, tweak ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		BaseURL: p.url, Token: p.mock.Token(),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		RequestTimeout: 2 * time.Second,
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

// act lets the mock carry the request out and returns its answer.
func act(m http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	return rec
}

// actTwice carries the request out twice (as if a second, identical
// request had come from elsewhere), then answers 500.
func actTwice(m http.Handler, w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	for range 2 {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		act(m, r2)
	}
	answer(500, "application/json", `{"message":"Server Error.","code":500}`)(m, w, r)
}

// answer answers without acting.
func answer(status int, contentType, body string, headers ...string) fault {
	return func(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// actThen carries the request out, then hides the answer with how.
func actThen(how fault) fault {
	return func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		act(m, r)
		how(m, w, r)
	}
}

// actThenMangle carries the request out, then answers status with the
// mock's own JSON answer changed by mangle.
func actThenMangle(status int, mangle func(string) string) fault {
	return func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := act(m, r)
		answer(status, "application/json", mangle(rec.Body.String()))(m, w, r)
	}
}

// drop closes the connection without an answer (the client reads EOF).
func drop(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// reset resets the connection (the client reads "connection reset").
func reset(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

// stall holds the request until the client gives up on it. It reads the
// body first: only then does the server notice a client going away.
func stall(_ http.Handler, _ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

const htmlPage = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"
