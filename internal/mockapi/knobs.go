package mockapi

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"time"
)

// FailMode selects what FailNext does to a matching request. The faults
// simulate what a network, a proxy or a struggling server does to a request;
// they never change what the API itself documents. Modes that "act" carry
// the operation out fully before the fault hides its answer, so the caller
// cannot know that it succeeded.
type FailMode int

const (
	// FailBefore answers 503 {"message":"Service Unavailable.","code":503}
	// without acting.
	FailBefore FailMode = iota
	// FailAfter performs the operation fully, then answers 500
	// {"message":"Server Error.","code":500}: the caller cannot know it
	// succeeded.
	FailAfter
	// FailRateLimited answers 429 {"message":"Too Many Attempts.","code":429}
	// with Retry-After (1 second unless SetRetryAfter says otherwise)
	// without acting.
	FailRateLimited
	// FailDropAfter acts, then closes the connection without answering:
	// the caller reads EOF.
	FailDropAfter
	// FailResetAfter acts, then resets the connection (TCP RST where the
	// connection is TCP): the caller reads "connection reset by peer".
	FailResetAfter
	// FailActLate waits SetActLateDelay (1s by default) whether or not the
	// caller is still there, then acts and answers normally. With a client
	// timeout below the delay, the object appears after the client gave up.
	FailActLate
	// FailTruncated acts, then sends the first half of its JSON answer.
	FailTruncated
	// FailNoData acts, then answers {"code":N} without `data`.
	FailNoData
	// FailEmptyData acts, then answers {"data":{},"code":N}.
	FailEmptyData
	// FailNestedData acts, then answers its `data` wrapped one level deeper:
	// {"data":{"data":...,"code":N},"code":N}.
	FailNestedData
	// FailHTMLSignIn acts, then answers 200 with an HTML sign-in page, as a
	// single-sign-on proxy that rewrites answers does.
	FailHTMLSignIn
	// FailHTMLNotFound answers a proxy's HTML 404 page without acting.
	FailHTMLNotFound
	// FailMaintenance answers a 503 HTML maintenance page with Retry-After
	// (see SetRetryAfter) without acting.
	FailMaintenance
	// FailRouteNotFound answers the route-level 404
	// {"message":"Not Found.","code":404} (what an unknown path gets)
	// without acting.
	FailRouteNotFound
	// FailServerError answers 500 {"message":"Server Error.","code":500}
	// without acting: a transient failure the caller cannot tell from
	// FailAfter.
	FailServerError
)

var failModeNames = [...]string{
	FailBefore:        "FailBefore",
	FailAfter:         "FailAfter",
	FailRateLimited:   "FailRateLimited",
	FailDropAfter:     "FailDropAfter",
	FailResetAfter:    "FailResetAfter",
	FailActLate:       "FailActLate",
	FailTruncated:     "FailTruncated",
	FailNoData:        "FailNoData",
	FailEmptyData:     "FailEmptyData",
	FailNestedData:    "FailNestedData",
	FailHTMLSignIn:    "FailHTMLSignIn",
	FailHTMLNotFound:  "FailHTMLNotFound",
	FailMaintenance:   "FailMaintenance",
	FailRouteNotFound: "FailRouteNotFound",
	FailServerError:   "FailServerError",
}

func (m FailMode) String() string {
	if m >= 0 && int(m) < len(failModeNames) {
		return failModeNames[m]
	}
	return "FailMode(?)"
}

// acts reports whether the mode carries the operation out.
func (m FailMode) acts() bool {
	switch m {
	case FailBefore, FailRateLimited, FailHTMLNotFound, FailMaintenance, FailRouteNotFound, FailServerError:
		return false
	}
	return true
}

// knobs is the fault-injection and accounting state, guarded by Server.kmu.
type knobs struct {
	latency      time.Duration
	detached     bool // latency not cut short by the caller leaving
	retryAfter   int  // seconds, for FailRateLimited and FailMaintenance
	actLateDelay time.Duration
	fakeLast     int // hostile meta.last_page on list pages; 0 = truthful
	fakeTotal    int // hostile meta.total on list pages; 0 = truthful
	lists        int // paginated list requests answered so far
	perPageFrom  int // from this list request on, perPageCap applies
	perPageCap   int // 0 = no change of the page size
	deleteAt     int // before this list request, deleteID is deleted
	deleteID     int
	repeatAt     int // this list request repeats an item (see RepeatItemAfter)
	failureRate  float64
	rps          float64   // 0 = no rate limit
	tokens       float64   // token bucket content
	refilled     time.Time // last bucket refill
	failQueue    map[string][]FailMode
	interceptQ   map[string][]Interceptor
	intercept    Interceptor // every request not taken by interceptQ; nil = none
	counts       map[string]int
	limited      int       // requests the rate limit knob answered 429
	last         time.Time // when the latest request arrived
	inFlight     int       // requests being handled now
	peak         int       // most requests handled at once since ResetInFlight
}

func (k *knobs) init() {
	k.failQueue = map[string][]FailMode{}
	k.interceptQ = map[string][]Interceptor{}
	k.counts = map[string]int{}
	k.retryAfter = 1
	k.actLateDelay = time.Second
}

// SetLatency makes the server sleep d before handling each request. A
// request whose context ends during the sleep is abandoned without acting.
func (s *Server) SetLatency(d time.Duration) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.latency = max(d, 0)
}

// SetActOnDisconnect(true) makes the latency sleep ignore the caller: a
// request whose caller goes away (a timeout, a Ctrl-C) during the sleep is
// still carried out, as a PHP application behind a proxy does, and its
// answer is lost. false (the default) abandons such a request.
func (s *Server) SetActOnDisconnect(on bool) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.detached = on
}

// SetRetryAfter sets the Retry-After header, in seconds (at least 1), of
// FailRateLimited and FailMaintenance answers. The default is 1. The rate
// limit knob computes its own.
func (s *Server) SetRetryAfter(seconds int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.retryAfter = max(seconds, 1)
}

// SetActLateDelay sets how long a FailActLate request waits before acting
// (default 1s).
func (s *Server) SetActLateDelay(d time.Duration) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.actLateDelay = max(d, 0)
}

// SetHostilePaging makes every paginated list claim meta.last_page =
// lastPage and meta.total = total (links.last and links.next follow) while
// serving its real items: pages past the real end are empty. 0 leaves a
// value truthful; SetHostilePaging(0, 0) turns the knob off.
func (s *Server) SetHostilePaging(lastPage, total int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.fakeLast, s.fakeTotal = max(lastPage, 0), max(total, 0)
}

// The paging events below are what other users of the API account and the
// server's operators do while a client walks a list page by page. Each
// counts paginated list requests (any list, any page) from the moment it is
// set; n = 0 means the very next one.

// SetMaxPerPageAfter lowers (or raises) the server's per_page cap to
// perPage from the list request after the next n on, as an operator
// changing the API's page size during a walk does. It stays until set
// again; perPage <= 0 restores Options.MaxPerPage.
func (s *Server) SetMaxPerPageAfter(n, perPage int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.perPageFrom, s.perPageCap = s.lists+max(n, 0)+1, max(perPage, 0)
}

// DeleteAccountAfter deletes the account id, as someone else using the API
// account would, just before the list request after the next n is
// answered: the items after it shift back by one on every later page.
// Once.
func (s *Server) DeleteAccountAfter(n int, id int64) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.deleteAt, s.deleteID = s.lists+max(n, 0)+1, int(id)
}

// RepeatItemAfter makes the list request after the next n, when it asks
// for a page past the first, answer its page one item early: it repeats
// the last item of the page before and leaves out its own last one, as a
// list whose order shifted between two requests does (an object created
// before the offset). Once.
func (s *Server) RepeatItemAfter(n int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.repeatAt = s.lists + max(n, 0) + 1
}

// pagingEvents counts one paginated list request and returns what the
// paging events make of it: the per_page cap (0: Options.MaxPerPage), the
// account to delete first (0: none) and whether the page is shifted.
func (s *Server) pagingEvents() (perPageCap, deleteID int, repeat bool) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.lists++
	if s.perPageCap > 0 && s.lists >= s.perPageFrom {
		perPageCap = s.perPageCap
	}
	if s.deleteID > 0 && s.lists == s.deleteAt {
		deleteID, s.deleteID = s.deleteID, 0
	}
	repeat = s.repeatAt > 0 && s.lists == s.repeatAt
	return perPageCap, deleteID, repeat
}

// SetFailureRate makes a fraction rate (0..1, clamped) of requests answer
// 500 {"message":"Server Error.","code":500} before doing anything.
func (s *Server) SetFailureRate(rate float64) {
	if math.IsNaN(rate) {
		rate = 0
	}
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.failureRate = min(max(rate, 0), 1)
}

// SetRateLimit limits the server to rps requests per second (a token bucket
// holding max(1, rps) tokens, full when set). Requests above it are answered
// 429 {"message":"Too Many Attempts.","code":429} with a Retry-After header
// in whole seconds (at least 1). 0 (or less) turns the limit off.
func (s *Server) SetRateLimit(rps float64) {
	if math.IsNaN(rps) || rps < 0 {
		rps = 0
	}
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.rps = rps
	s.tokens = max(1, rps)
	s.refilled = time.Now()
}

// FailNext makes the next n requests whose route key equals route (for
// example "POST /accounts" or "GET /accounts/{id}") fail in the given mode.
// Calls accumulate: the queued faults are consumed in order. n <= 0 clears
// the faults queued for route.
func (s *Server) FailNext(route string, n int, mode FailMode) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	if n <= 0 {
		delete(s.failQueue, route)
		return
	}
	for range n {
		s.failQueue[route] = append(s.failQueue[route], mode)
	}
}

// An Interceptor takes over one request after the mock has matched it to a
// route and counted it: the faults that FailMode has no name for, written by
// a test. next is the rest of the processing order (body, latency, rate
// limit, FailNext, the handler) without counting again; the interceptor may
// answer in the mock's place, call next once or several times (on a clone of
// r with its body restored), change next's answer, or break the connection.
type Interceptor func(next http.Handler, w http.ResponseWriter, r *http.Request)

// InterceptNext queues fs for the next requests on route: a route key as for
// FailNext ("GET /accounts/{id}") or one path ("GET /accounts/7", below
// PathPrefix; it goes first). The first such request goes to fs[0], the
// next to fs[1]. Calls accumulate; a call without fs clears what is still
// queued for route.
func (s *Server) InterceptNext(route string, fs ...Interceptor) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	if len(fs) == 0 {
		delete(s.interceptQ, route)
		return
	}
	s.interceptQ[route] = append(s.interceptQ[route], fs...)
}

// Intercept hands every matched request from now on to f, unless one queued
// by InterceptNext takes it. nil removes it.
func (s *Server) Intercept(f Interceptor) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.intercept = f
}

// takeInterceptor pops the next interceptor queued for the request's path
// or, failing that, its route key; else it returns the standing one (nil
// when there is none).
func (s *Server) takeInterceptor(path, key string) Interceptor {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	for _, k := range []string{path, key} {
		q := s.interceptQ[k]
		if len(q) == 0 {
			continue
		}
		if len(q) == 1 {
			delete(s.interceptQ, k)
		} else {
			s.interceptQ[k] = q[1:]
		}
		return q[0]
	}
	return s.intercept
}

// SetBalance sets the profile balance (a decimal string such as "12.50").
// It panics when balance is not a decimal amount.
func (s *Server) SetBalance(balance string) {
	c := mustMoney("balance", balance)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balance = c
}

// SetAccountPrice sets the amount charged on each account create. It panics
// when price is not a decimal amount.
func (s *Server) SetAccountPrice(price string) {
	c := mustMoney("price", price)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.price = c
}

// Balance returns the current profile balance, e.g. "253.70".
func (s *Server) Balance() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return formatMoney(s.balance)
}

// Count returns how many requests matched route ("METHOD /pattern", e.g.
// "POST /accounts"), whatever their outcome.
func (s *Server) Count(route string) int {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.counts[route]
}

// Counts returns a copy of all per-route counters.
func (s *Server) Counts() map[string]int {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return maps.Clone(s.counts)
}

// ResetCounts zeroes all per-route counters and RateLimited.
func (s *Server) ResetCounts() {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	clear(s.counts)
	s.limited = 0
}

// RateLimited returns how many requests the rate limit knob (SetRateLimit)
// answered 429 since the counters were last reset. They are counted by
// route too, as every request is.
func (s *Server) RateLimited() int {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.limited
}

// InFlight returns how many requests the server is handling now and the
// most it has handled at once since it started or since ResetInFlight: a
// gauge of a client's concurrency. Every request counts, from its arrival
// to the end of its answer (latency included), whatever its route.
func (s *Server) InFlight() (now, peak int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.inFlight, s.peak
}

// ResetInFlight starts the peak of InFlight again from the requests being
// handled now.
func (s *Server) ResetInFlight() {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.peak = s.inFlight
}

// enter and leave keep the InFlight gauge.
func (s *Server) enter() {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.inFlight++
	s.peak = max(s.peak, s.inFlight)
}

func (s *Server) leave() {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.inFlight--
}

// LastRequest returns when the latest request matching a route arrived
// (before any latency), or the zero time when none has. ResetCounts does not
// clear it.
func (s *Server) LastRequest() time.Time {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.last
}

func (s *Server) count(key string) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.counts[key]++
	s.last = time.Now()
}

// sleep waits for the configured latency; false means the caller went away
// first and the request is to be abandoned (never when SetActOnDisconnect).
func (s *Server) sleep(ctx context.Context) bool {
	s.kmu.Lock()
	d, detached := s.latency, s.detached
	s.kmu.Unlock()
	if detached {
		ctx = context.WithoutCancel(ctx)
	}
	return wait(ctx, d)
}

// wait sleeps d; false means ctx ended first.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// faultSettings returns the knobs a fault needs.
func (s *Server) faultSettings() (retryAfter int, actLate time.Duration) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.retryAfter, s.actLateDelay
}

// hostilePaging returns the SetHostilePaging values.
func (s *Server) hostilePaging() (lastPage, total int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return s.fakeLast, s.fakeTotal
}

// allowRate takes a token from the bucket. When none is left it returns
// false and the whole seconds until one will be (at least 1).
func (s *Server) allowRate() (bool, int) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	if s.rps <= 0 {
		return true, 0
	}
	now := time.Now()
	s.tokens = min(max(1, s.rps), s.tokens+now.Sub(s.refilled).Seconds()*s.rps)
	s.refilled = now
	if s.tokens >= 1 {
		s.tokens--
		return true, 0
	}
	s.limited++
	wait := math.Ceil((1 - s.tokens) / s.rps)
	if wait < 1 || math.IsInf(wait, 0) || math.IsNaN(wait) {
		wait = 1
	}
	return false, int(min(wait, math.MaxInt32))
}

// takeFailure pops the next queued FailNext fault for key.
func (s *Server) takeFailure(key string) (FailMode, bool) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	q := s.failQueue[key]
	if len(q) == 0 {
		return 0, false
	}
	mode := q[0]
	if len(q) == 1 {
		delete(s.failQueue, key)
	} else {
		s.failQueue[key] = q[1:]
	}
	return mode, true
}

func (s *Server) randomFailure() bool {
	s.kmu.Lock()
	rate := s.failureRate
	s.kmu.Unlock()
	switch {
	case rate <= 0:
		return false
	case rate >= 1:
		return true
	}
	return rand.Float64() < rate
}
