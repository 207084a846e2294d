package mockapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLatency_cancelledContextDoesNotAct(t *testing.T) {
	s := New(Options{})
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v4_1/accounts", strings.NewReader(`{"username":"late","password":"secret1"}`))
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req) // returns at once: the context is already done
	if _, _, n := s.Len(); n != 0 {
		t.Fatalf("account created despite cancellation")
	}
	if rec.Body.Len() != 0 {
		t.Errorf("wrote %q to a gone client", rec.Body)
	}
	if s.Count("POST /accounts") != 1 {
		t.Errorf("cancelled request not counted")
	}
}

func TestLatency_overHTTP(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	c := &apiClient{t: t, base: ts.URL + PathPrefix, token: s.Token(), hc: ts.Client()}

	// A small latency delays but does not change answers.
	s.SetLatency(30 * time.Millisecond)
	start := time.Now()
	c.get("/profile").mustStatus(t, 200)
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Errorf("answered after %v, latency is 30ms", el)
	}

	// A client giving up during a long latency: the server abandons the request.
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/accounts", strings.NewReader(`{"username":"late","password":"secret1"}`))
		req.Header.Set("Authorization", "Bearer "+s.Token())
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for s.Count("POST /accounts") == 0 { // wait until the server is sleeping on it
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client error %v, want context.Canceled", err)
	}
	ts.Close() // waits for the handler: it must have returned without acting
	if _, _, n := s.Len(); n != 0 {
		t.Fatal("account created by an abandoned request")
	}
}

func TestFailNext_modes(t *testing.T) {
	tests := []struct {
		mode       FailMode
		status     int
		message    string
		retryAfter string
		acted      bool
	}{
		{FailBefore, 503, "Service Unavailable.", "", false},
		{FailAfter, 500, "Server Error.", "", true},
		{FailRateLimited, 429, "Too Many Attempts.", "1", false},
	}
	for _, tc := range tests {
		t.Run(tc.mode.String(), func(t *testing.T) {
			s, c := newAPI(t, Options{Balance: "10", AccountPrice: "1"})
			s.FailNext("POST /accounts", 1, tc.mode)
			r := c.post("/accounts", map[string]any{"username": "x", "password": "secret1"}).mustError(t, tc.status, tc.message)
			if got := r.header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			_, _, n := s.Len()
			if acted := n == 1; acted != tc.acted {
				t.Errorf("acted = %v, want %v", acted, tc.acted)
			}
			wantBalance := "10.00"
			if tc.acted {
				wantBalance = "9.00"
			}
			if s.Balance() != wantBalance {
				t.Errorf("balance %s, want %s", s.Balance(), wantBalance)
			}
			// Only one request fails; the retry sees the real outcome.
			r = c.post("/accounts", map[string]any{"username": "x", "password": "secret1"})
			if tc.acted {
				r.mustInvalid(t, map[string][]string{"username": {"The username has already been taken."}})
			} else {
				r.mustStatus(t, 201)
			}
		})
	}
}

func TestFailNext_countingAndScope(t *testing.T) {
	s, c := newAPI(t, Options{})
	id := intOf(t, c.createAccount("a", "secret1")["id"])
	s.FailNext("GET /accounts/{id}", 2, FailBefore)
	s.FailNext("GET /accounts/{id}", 1, FailRateLimited)
	c.get("/accounts").mustStatus(t, 200)     // another route is unaffected
	c.get("/accounts/abc").mustStatus(t, 503) // the {id} pattern matches any id
	// Faults come before authentication.
	c.get(path("/accounts/%d", id), noAuth()).mustError(t, 503, "Service Unavailable.")
	c.get(path("/accounts/%d", id)).mustError(t, 429, "Too Many Attempts.")
	c.get(path("/accounts/%d", id)).mustStatus(t, 200)

	// FailAfter on a delete: the account is gone although the answer is 500.
	s.FailNext("DELETE /accounts/{id}", 1, FailAfter)
	c.del(path("/accounts/%d", id)).mustError(t, 500, "Server Error.")
	c.get(path("/accounts/%d", id)).mustError(t, 404, "Account not found.")

	// n <= 0 clears the queue.
	s.FailNext("GET /profile", 5, FailBefore)
	s.FailNext("GET /profile", 0, FailBefore)
	c.get("/profile").mustStatus(t, 200)
	if got := s.Count("GET /accounts/{id}"); got != 5 {
		t.Errorf("GET /accounts/{id} counted %d, want 5", got)
	}
}

func TestFailureRate(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SetFailureRate(1)
	for range 20 {
		c.post("/accounts", map[string]any{"username": "x", "password": "secret1"}).mustError(t, 500, "Server Error.")
	}
	c.get("/profile", noAuth()).mustError(t, 500, "Server Error.") // before auth
	if _, _, n := s.Len(); n != 0 {
		t.Fatal("a failed request acted")
	}
	if s.Count("POST /accounts") != 20 {
		t.Errorf("count %d", s.Count("POST /accounts"))
	}
	s.SetFailureRate(0.5)
	fails, oks := 0, 0
	for range 200 {
		switch c.get("/ports").status {
		case 500:
			fails++
		case 200:
			oks++
		}
	}
	if fails == 0 || oks == 0 || fails+oks != 200 {
		t.Errorf("rate 0.5 gave %d failures, %d successes", fails, oks)
	}
	s.SetFailureRate(0)
	for range 20 {
		c.get("/ports").mustStatus(t, 200)
	}
	// FailNext takes precedence over the failure rate.
	s.SetFailureRate(1)
	s.FailNext("GET /ports", 1, FailRateLimited)
	c.get("/ports").mustStatus(t, 429)
	c.get("/ports").mustStatus(t, 500)
}

func TestRateLimit(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SetRateLimit(0.001) // one request, then a very long wait
	c.get("/profile").mustStatus(t, 200)
	for range 3 {
		r := c.get("/profile").mustError(t, 429, "Too Many Attempts.")
		n, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || n < 1 {
			t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	c.post("/accounts", map[string]any{"username": "x", "password": "secret1"}).mustStatus(t, 429)
	if _, _, n := s.Len(); n != 0 {
		t.Fatal("rate-limited request acted")
	}
	if s.Count("GET /profile") != 4 {
		t.Errorf("rate-limited requests not counted: %v", s.Counts())
	}
	if got := s.RateLimited(); got != 4 {
		t.Errorf("RateLimited() = %d, want the 4 answers 429", got)
	}
	s.ResetCounts()
	if got := s.RateLimited(); got != 0 {
		t.Errorf("RateLimited() = %d after ResetCounts", got)
	}
	s.SetRateLimit(0)
	for range 10 {
		c.get("/profile").mustStatus(t, 200)
	}
	// A generous limit lets a burst of that size through.
	s.SetRateLimit(1000)
	for range 50 {
		c.get("/profile").mustStatus(t, 200)
	}
}

func TestRateLimit_retryAfterRoundsUp(t *testing.T) {
	s := New(Options{})
	s.SetRateLimit(0.4) // one token per 2.5s
	if ok, _ := s.allowRate(); !ok {
		t.Fatal("first request refused")
	}
	ok, wait := s.allowRate()
	if ok || wait < 2 || wait > 3 {
		t.Errorf("allowRate = %v, %d; want refusal with 2..3s", ok, wait)
	}
}

func TestCounters(t *testing.T) {
	s, c := newAPI(t, Options{})
	c.get("/profile")
	c.get("/profile", noAuth())
	c.post("/accounts", "{")
	c.get("/accounts/7")
	c.get("/nope")
	want := map[string]int{"GET /profile": 2, "POST /accounts": 1, "GET /accounts/{id}": 1}
	got := s.Counts()
	if len(got) != len(want) {
		t.Errorf("Counts %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v || s.Count(k) != v {
			t.Errorf("%s: %d / %d, want %d", k, got[k], s.Count(k), v)
		}
	}
	got["GET /profile"] = 100 // a copy
	if s.Count("GET /profile") != 2 {
		t.Error("Counts is not a copy")
	}
	s.ResetCounts()
	if len(s.Counts()) != 0 || s.Count("GET /profile") != 0 {
		t.Errorf("after reset %v", s.Counts())
	}
	c.get("/profile")
	if s.Count("GET /profile") != 1 {
		t.Error("counting stopped after reset")
	}
}

// The paging events happen between two list requests, counted from when
// they are set: a page size that changes, an account deleted by someone
// else, a page shifted by one.
func TestPagingEvents(t *testing.T) {
	s, c := newAPI(t, Options{})
	for i := range 6 {
		c.createAccount("pe"+strconv.Itoa(i), "secret-1")
	}
	page := func(n int) result { return c.get(path("/accounts?page=%d&per_page=2", n)) }

	s.SetMaxPerPageAfter(1, 1)
	if got := ids(t, page(1).list(t)); len(got) != 2 {
		t.Fatalf("before the change: %v", got)
	}
	r := page(2)
	if got := ids(t, r.list(t)); len(got) != 1 || intOf(t, r.meta(t)["per_page"]) != 1 || got[0] != 2 {
		t.Fatalf("after the change: %v, meta %v", got, r.meta(t))
	}
	s.SetMaxPerPageAfter(0, 0)
	if got := ids(t, page(1).list(t)); len(got) != 2 {
		t.Fatalf("restored: %v", got)
	}

	s.RepeatItemAfter(0)
	if got := ids(t, page(2).list(t)); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Fatalf("shifted page 2: %v, want [2 3]", got)
	}
	if got := ids(t, page(2).list(t)); got[0] != 3 {
		t.Fatalf("the shift happens once: %v", got)
	}

	s.DeleteAccountAfter(1, 2)
	page(1)
	if s.Count("DELETE /accounts/{id}") != 0 {
		t.Fatal("the deletion is not a request")
	}
	r = page(1)
	if got := ids(t, r.list(t)); got[0] != 1 || got[1] != 3 || intOf(t, r.meta(t)["total"]) != 5 {
		t.Fatalf("after the deletion: %v, meta %v", got, r.meta(t))
	}
	c.get("/accounts/2").mustError(t, 404, "Account not found.")
}

func TestLastRequest_isWhenTheLatestArrived(t *testing.T) {
	s := New(Options{})
	if !s.LastRequest().IsZero() {
		t.Fatal("a fresh server has a last request")
	}
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := time.Now()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v4_1/profile", nil)
	s.ServeHTTP(httptest.NewRecorder(), req)
	got := s.LastRequest()
	if got.Before(before) {
		t.Fatalf("last request %v, sent after %v", got, before)
	}
	s.ResetCounts()
	if !s.LastRequest().Equal(got) {
		t.Error("ResetCounts cleared the last request")
	}
	// Unknown paths are not requests of the API.
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	if !s.LastRequest().Equal(got) {
		t.Error("an unknown path moved the last request")
	}
}

// Interceptors take matched requests over in order, after the count: a
// queued one for its route, the standing one for the rest, and next carries
// the request out without counting it again.
func TestInterceptors(t *testing.T) {
	s := New(Options{})
	post := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v4_1/projects", strings.NewReader(`{"name":"p","description":"d"}`))
		req.Header.Set("Authorization", "Bearer test-token")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	teapot := func(_ http.Handler, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }
	var standing int
	s.Intercept(func(next http.Handler, w http.ResponseWriter, r *http.Request) {
		standing++
		next.ServeHTTP(w, r)
	})
	s.InterceptNext("POST /projects", teapot)
	s.InterceptNext("GET /projects/1", teapot) // by path
	if rec := post(); rec.Code != http.StatusTeapot {
		t.Fatalf("queued interceptor: status %d", rec.Code)
	}
	if n, _, _ := s.Len(); n != 0 || standing != 0 {
		t.Fatalf("the queued interceptor did not act, yet %d projects, standing one ran %d times", n, standing)
	}
	if rec := post(); rec.Code != http.StatusOK {
		t.Fatalf("standing interceptor: status %d: %s", rec.Code, rec.Body)
	}
	get := httptest.NewRequest(http.MethodGet, "/v4_1/projects/1", nil)
	get.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	if s.ServeHTTP(rec, get); rec.Code != http.StatusTeapot || s.Count("GET /projects/{id}") != 1 {
		t.Errorf("interceptor queued by path: status %d, counted %d", rec.Code, s.Count("GET /projects/{id}"))
	}
	s.Intercept(nil)
	post()
	if n, _, _ := s.Len(); n != 2 || standing != 1 || s.Count("POST /projects") != 3 {
		t.Errorf("%d projects, standing interceptor ran %d times, %d POSTs counted", n, standing, s.Count("POST /projects"))
	}
}

// The in-flight gauge counts the requests being handled at once, from
// arrival to answer, and keeps its peak until ResetInFlight.
func TestInFlight_gauge(t *testing.T) {
	s := New(Options{})
	release := make(chan struct{})
	s.Intercept(func(next http.Handler, w http.ResponseWriter, r *http.Request) {
		<-release
		next.ServeHTTP(w, r)
	})
	done := make(chan struct{})
	for range 3 {
		go func() {
			defer func() { done <- struct{}{} }()
			req := httptest.NewRequest(http.MethodGet, "/v4_1/profile", nil)
			req.Header.Set("Authorization", "Bearer test-token")
			s.ServeHTTP(httptest.NewRecorder(), req)
		}()
	}
	for {
		if now, _ := s.InFlight(); now == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	for range 3 {
		<-done
	}
	if now, peak := s.InFlight(); now != 0 || peak != 3 {
		t.Fatalf("after three requests at once: now %d, peak %d; want 0, 3", now, peak)
	}
	s.ResetInFlight()
	if _, peak := s.InFlight(); peak != 0 {
		t.Fatalf("peak %d after ResetInFlight with nothing in flight", peak)
	}
}
