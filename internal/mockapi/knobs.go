package mockapi

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

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
