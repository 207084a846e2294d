package mockapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rawPost sends a POST and returns the answer or the transport
// error, without failing the test on either.
func rawPost(ctx context.Context, hc *http.Client, base, token, path, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

const projectBody = `{"name":"Billed","description":"one only"}`

// Acting faults carry the create out, then hide or spoil its answer.
func TestFailNext_actingFaults(t *testing.T) {
	tests := []struct {
		mode   FailMode
		status int    // 0: the transport fails
		errIs  error  // for a transport failure
		body   string // exact body, or "" to check with check
		check  func(t *testing.T, raw []byte)
	}{
		{mode: FailDropAfter, errIs: io.EOF},
		{mode: FailResetAfter, errIs: syscall.ECONNRESET},
		{mode: FailTruncated, status: 200, check: func(t *testing.T, raw []byte) {
			if json.Valid(raw) || !strings.HasPrefix(string(raw), `{"data":{`) {
				t.Errorf("not a truncated answer: %s", raw)
			}
		}},
		{mode: FailNoData, status: 200, body: `{"code":200}`},
		{mode: FailEmptyData, status: 200, body: `{"data":{},"code":200}`},
		{mode: FailNestedData, status: 200, check: func(t *testing.T, raw []byte) {
			var b struct {
				Data struct {
					Data struct {
						ID   int    `json:"id"`
						Name string `json:"name"`
					} `json:"data"`
					Code int `json:"code"`
				} `json:"data"`
				Code int `json:"code"`
			}
			if err := json.Unmarshal(raw, &b); err != nil || b.Data.Data.ID != 1 || b.Data.Data.Name != "Billed" || b.Code != 200 || b.Data.Code != 200 {
				t.Errorf("not the project wrapped one level deeper: %s (%v)", raw, err)
			}
		}},
		{mode: FailHTMLSignIn, status: 200, check: func(t *testing.T, raw []byte) {
			if !strings.Contains(string(raw), "<title>Sign in</title>") {
				t.Errorf("not a sign-in page: %s", raw)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.mode.String(), func(t *testing.T) {
			s, c := newAPI(t, Options{})
			s.FailNext("POST /projects", 1, tc.mode)
			status, raw, err := rawPost(context.Background(), c.hc, c.base, c.token, "/projects", projectBody)
			switch {
			case tc.status == 0:
				if !errors.Is(err, tc.errIs) {
					t.Fatalf("transport error %v, want %v (status %d)", err, tc.errIs, status)
				}
			case err != nil:
				t.Fatal(err)
			case status != tc.status:
				t.Fatalf("status %d, want %d: %s", status, tc.status, raw)
			case tc.body != "":
				if got := strings.TrimSpace(string(raw)); got != tc.body {
					t.Errorf("body %s, want %s", got, tc.body)
				}
			default:
				tc.check(t, raw)
			}
			if p, _, _ := s.Len(); p != 1 {
				t.Fatalf("%d projects, want 1: the fault must act", p)
			}
			// The fault is used up: the next request is answered truly.
			c.get("/projects/1").mustStatus(t, 200)
		})
	}
}

// Mangled answers keep the handler's success status (201 for an account)
// and spoil GETs as well as creates.
func TestFailNext_mangledKeepsStatusAndSpoilsGets(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.FailNext("POST /accounts", 1, FailEmptyData)
	c.post("/accounts", map[string]any{"username": "alice", "password": "secret1"}).mustStatus(t, 201)
	if len(c.get("/accounts/1").mustStatus(t, 200).data(t)) == 0 {
		t.Fatal("the account was not created")
	}
	s.FailNext("GET /accounts/{id}", 1, FailNestedData)
	inner := c.get("/accounts/1").mustStatus(t, 200).data(t)
	mustKeys(t, inner, "data", "code")
	if d := inner["data"].(map[string]any); d["username"] != "alice" {
		t.Errorf("nested data %v", d)
	}
	// A failing handler's answer becomes a mangled 200.
	s.FailNext("GET /accounts/{id}", 1, FailNoData)
	c.get("/accounts/99").mustStatus(t, 200)
}

// Faults that do not act: a proxy's pages, the route-level 404 and a long
// Retry-After.
func TestFailNext_refusals(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SetRetryAfter(3600)

	s.FailNext("POST /projects", 1, FailRateLimited)
	r := c.post("/projects", map[string]any{"name": "a", "description": "b"}).mustError(t, 429, "Too Many Attempts.")
	if got := r.header.Get("Retry-After"); got != "3600" {
		t.Errorf("429 Retry-After %q, want 3600", got)
	}

	s.FailNext("GET /projects", 1, FailMaintenance)
	r = c.get("/projects")
	if r.status != 503 || r.header.Get("Retry-After") != "3600" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(r.raw), "maintenance") {
		t.Errorf("maintenance page: %d %v %s", r.status, r.header, r.raw)
	}

	s.FailNext("GET /projects/{id}", 1, FailHTMLNotFound)
	r = c.get("/projects/1")
	if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.raw), "404 Not Found") {
		t.Errorf("proxy 404 page: %d %v %s", r.status, r.header, r.raw)
	}

	s.FailNext("POST /projects", 1, FailServerError)
	c.post("/projects", map[string]any{"name": "a", "description": "b"}).mustError(t, 500, "Server Error.")

	id := c.createProject("kept")
	s.FailNext("DELETE /projects/{id}", 1, FailRouteNotFound)
	c.del(path("/projects/%d", id)).mustError(t, 404, "Not Found.")
	c.get(path("/projects/%d", id)).mustStatus(t, 200) // not deleted

	if p, _, _ := s.Len(); p != 1 {
		t.Errorf("%d projects, want only the one made without a fault", p)
	}
	s.SetRetryAfter(0) // clamped to 1
	s.FailNext("GET /profile", 1, FailRateLimited)
	if got := c.get("/profile").header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q after SetRetryAfter(0), want 1", got)
	}
}

// waitFor polls cond; it fails the test if cond is still false after a
// generous bound (a safety net, not a measurement).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// FailActLate: the client's timeout ends the request, and the API acts
// afterwards.
func TestFailActLate_actsAfterTheCallerLeft(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SetActLateDelay(300 * time.Millisecond)
	s.FailNext("POST /accounts", 1, FailActLate)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := rawPost(ctx, c.hc, c.base, c.token, "/accounts", `{"username":"late","password":"secret1"}`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the client's deadline", err)
	}
	if _, _, n := s.Len(); n != 0 {
		t.Fatal("acted before the delay")
	}
	waitFor(t, "the late create", func() bool { _, _, n := s.Len(); return n == 1 })

	// A caller that waits long enough gets the normal answer.
	s.SetActLateDelay(10 * time.Millisecond)
	s.FailNext("POST /accounts", 1, FailActLate)
	c.post("/accounts", map[string]any{"username": "patient", "password": "secret1"}).mustStatus(t, 201)
}

// SetActOnDisconnect: with latency, a caller that goes away (Ctrl-C) does
// not stop the create, as with a real PHP API.
func TestActOnDisconnect(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SetLatency(200 * time.Millisecond)
	s.SetActOnDisconnect(true)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := rawPost(ctx, c.hc, c.base, c.token, "/accounts", `{"username":"orphan","password":"secret1"}`)
		errc <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return s.Count("POST /accounts") == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	waitFor(t, "the abandoned create to be carried out", func() bool { _, _, n := s.Len(); return n == 1 })

	// Faults still apply after the latency.
	s.SetActOnDisconnect(false)
	s.SetLatency(20 * time.Millisecond)
	s.FailNext("POST /projects", 1, FailDropAfter)
	if _, _, err := rawPost(context.Background(), c.hc, c.base, c.token, "/projects", projectBody); !errors.Is(err, io.EOF) {
		t.Fatalf("error %v, want EOF", err)
	}
	if p, _, _ := s.Len(); p != 1 {
		t.Fatal("the dropped create did not act")
	}
}

func TestHostilePaging(t *testing.T) {
	s, c := newAPI(t, Options{})
	for _, u := range []string{"a1", "a2", "a3"} {
		c.createAccount(u, "secret1")
	}
	s.SetHostilePaging(2147483647, 2147483647)
	r := c.get("/accounts?per_page=2").mustStatus(t, 200)
	if got := ids(t, r.list(t)); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("page 1 ids %v", got)
	}
	m := r.meta(t)
	if m["last_page"] != float64(2147483647) || m["total"] != float64(2147483647) {
		t.Errorf("meta %v", m)
	}
	links := r.body["links"].(map[string]any)
	if !strings.Contains(links["last"].(string), "page=2147483647") || links["next"] == nil {
		t.Errorf("links %v", links)
	}
	if got := ids(t, c.get("/accounts?per_page=2&page=2").list(t)); len(got) != 1 || got[0] != 3 {
		t.Errorf("page 2 ids %v", got)
	}
	r = c.get("/accounts?per_page=2&page=3").mustStatus(t, 200)
	if len(r.list(t)) != 0 || r.body["links"].(map[string]any)["next"] == nil {
		t.Errorf("page 3 (past the real end): %s", r.raw)
	}
	// Other lists lie too; only last_page may be set.
	s.SetHostilePaging(1000000, 0)
	if m := c.get("/projects").meta(t); m["last_page"] != float64(1000000) || m["total"] != float64(0) {
		t.Errorf("projects meta %v", m)
	}
	s.SetHostilePaging(0, 0)
	if m := c.get("/accounts?per_page=2").meta(t); m["last_page"] != float64(2) || m["total"] != float64(3) {
		t.Errorf("truthful meta %v", m)
	}
}

func TestFailMode_string(t *testing.T) {
	for m := FailBefore; m <= FailServerError; m++ {
		if s := m.String(); !strings.HasPrefix(s, "Fail") || s == "FailMode(?)" {
			t.Errorf("mode %d: %q", int(m), s)
		}
	}
	if FailMode(99).String() != "FailMode(?)" {
		t.Error("unknown mode")
	}
}

// httptest.ResponseRecorder cannot be hijacked: a reset falls back to
// aborting the handler.
func TestResetConnection_withoutHijacker(t *testing.T) {
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	resetConnection(httptest.NewRecorder())
}

func TestObjects_snapshot(t *testing.T) {
	s, c := newAPI(t, Options{})
	p := c.createProject("Brand")
	cu := c.createCustomer(p, "jane@example.com")
	a := c.createAccountFor(cu, "alice")
	o := s.Objects()
	if o.Projects[p] != "Brand" || o.Customers[cu] != "jane@example.com" || o.Accounts[a] != "alice" ||
		len(o.Projects)+len(o.Customers)+len(o.Accounts) != 3 {
		t.Errorf("Objects() = %+v", o)
	}
}
