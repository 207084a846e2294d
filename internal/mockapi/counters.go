package mockapi

// What the server counts for a test: requests by route, the rate limit's
// refusals, the requests in flight and when the latest arrived.

import (
	"maps"
	"time"
)

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
