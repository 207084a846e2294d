package mockapi

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"time"
)

// FailMode selects what FailNext does to a matching request.
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
	// with Retry-After: 1 without acting.
	FailRateLimited
)

func (m FailMode) String() string {
	switch m {
	case FailBefore:
		return "FailBefore"
	case FailAfter:
		return "FailAfter"
	case FailRateLimited:
		return "FailRateLimited"
	}
	return "FailMode(?)"
}

// knobs is the fault-injection and accounting state, guarded by Server.kmu.
type knobs struct {
	latency     time.Duration
	failureRate float64
	rps         float64   // 0 = no rate limit
	tokens      float64   // token bucket content
	refilled    time.Time // last bucket refill
	failQueue   map[string][]FailMode
	counts      map[string]int
}

func (k *knobs) init() {
	k.failQueue = map[string][]FailMode{}
	k.counts = map[string]int{}
}

// SetLatency makes the server sleep d before handling each request. A
// request whose context ends during the sleep is abandoned without acting.
func (s *Server) SetLatency(d time.Duration) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.latency = max(d, 0)
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

// ResetCounts zeroes all per-route counters.
func (s *Server) ResetCounts() {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	clear(s.counts)
}

func (s *Server) count(key string) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.counts[key]++
}

// sleep waits for the configured latency; false means ctx ended first.
func (s *Server) sleep(ctx context.Context) bool {
	s.kmu.Lock()
	d := s.latency
	s.kmu.Unlock()
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
