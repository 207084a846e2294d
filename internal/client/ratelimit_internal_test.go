package client

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// fakeClock is the adaptive rate's clock in these tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func pacedWith(ceiling float64) (*adaptiveRate, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	a := newAdaptiveRate(ceiling)
	a.now = clock.now
	return a, clock
}

func TestAdaptiveRate_cutsToWhatTheAPIAccepted(t *testing.T) {
	a, clock := pacedWith(0)
	if a.current() != 0 {
		t.Fatalf("paced before any 429: %v", a.current())
	}
	// 30 requests accepted over the last second, then a 429.
	for range 30 {
		a.started()
		a.answered()
		clock.advance(time.Second / 30)
	}
	sent := clock.t
	a.throttled(sent, time.Second, func(float64) {})
	if got := a.current(); math.Abs(got-27) > 0.01 {
		t.Fatalf("after the first 429: %v, want 27 (90%% of the 30 a second accepted)", got)
	}
	clock.advance(100 * time.Millisecond)
	a.throttled(sent, time.Second, func(float64) {}) // an echo: sent before the cut
	if got := a.current(); math.Abs(got-27) > 0.01 {
		t.Errorf("a 429 of a request sent before the cut cut again: %v", got)
	}
	// A Retry-After of 10 s measures over 10 s: 30 accepted, 3 a second.
	clock.advance(2 * time.Second)
	a.throttled(clock.t, 10*time.Second, func(float64) {})
	if got := a.current(); math.Abs(got-2.7) > 0.01 {
		t.Errorf("after a 429 with Retry-After 10: %v, want 2.7", got)
	}
	// The rate grows back with the answers: 10% after 35, twice after 110.
	for range 35 {
		a.answered()
	}
	if got := a.current(); got < 2.7*1.09 || got > 2.7*1.12 {
		t.Errorf("35 answers after the cut: %v, want about 10%% more than 2.7", got)
	}
	for range 75 {
		a.answered()
	}
	if got := a.current(); got < 2.7*1.9 || got > 2.7*2.1 {
		t.Errorf("110 answers after the cut: %v, want about twice 2.7", got)
	}
	// Paced, a 429 measured on a few answers only takes the rate sent at.
	clock.advance(time.Minute)
	for range 3 {
		a.answered()
	}
	sentAt := a.current()
	a.throttled(clock.t, 0, func(float64) {})
	if got := a.current(); math.Abs(got-0.9*sentAt) > 0.01 {
		t.Errorf("a 429 with 3 answers measured: %v, want 90%% of the %v sent at", got, sentAt)
	}
}

func TestAdaptiveRate_nothingMeasuredHalves(t *testing.T) {
	a, clock := pacedWith(0)
	for range 8 {
		a.started() // sent, never answered
	}
	a.throttled(clock.t, 0, func(float64) {})
	if got := a.current(); math.Abs(got-4) > 0.01 {
		t.Fatalf("a 429 with nothing accepted: %v, want 4 (half the 8 sent in the last second)", got)
	}
	clock.advance(5 * time.Second)
	a.throttled(clock.t, 0, func(float64) {})
	if got := a.current(); math.Abs(got-2) > 0.01 {
		t.Errorf("a second 429 with nothing accepted since: %v, want 2", got)
	}
}

func TestAdaptiveRate_neverAboveTheCeiling(t *testing.T) {
	a, clock := pacedWith(2)
	if a.current() != 2 {
		t.Fatalf("requests_per_second 2: paced at %v", a.current())
	}
	for range 20 {
		a.started()
		a.answered()
		clock.advance(100 * time.Millisecond)
	}
	a.throttled(clock.t, time.Second, func(float64) {})
	if got := a.current(); got > 2 || got < 1 {
		t.Fatalf("after a 429: %v, want under the ceiling 2", got)
	}
	for range 200 {
		a.answered()
	}
	if got := a.current(); got != 2 {
		t.Errorf("200 answers later: %v, want back at the ceiling 2", got)
	}
}

// simulateLimitedAPI sends requests as fast as a paces them, each taking
// spacing at least, to an API that accepts rps a second (a token bucket of
// rps tokens, Retry-After in whole seconds), for d of fake time. It returns
// the requests accepted and refused after the first 429.
func simulateLimitedAPI(a *adaptiveRate, clock *fakeClock, rps float64, spacing, d time.Duration) (accepted, refused int) {
	tokens, refilled := rps, clock.t
	end := clock.t.Add(d)
	limited := false
	for clock.t.Before(end) {
		_, wait := a.reserve()
		clock.advance(max(wait, spacing))
		a.started()
		tokens = min(rps, tokens+clock.t.Sub(refilled).Seconds()*rps)
		refilled = clock.t
		if tokens >= 1 {
			tokens--
			a.answered()
			if limited {
				accepted++
			}
			continue
		}
		limited = true
		refused++
		a.throttled(clock.t, time.Duration(math.Ceil((1-tokens)/rps))*time.Second, func(float64) {})
	}
	return accepted, refused
}

// Under a limit, a long run uses most of it (at least 85%), with few 429s
// (at most 5% of the requests), whatever the limit.
func TestAdaptiveRate_usesTheRateTheAPIAllows(t *testing.T) {
	for _, rps := range []float64{1, 5, 20, 100} {
		t.Run(fmt.Sprintf("%g a second", rps), func(t *testing.T) {
			a, clock := pacedWith(0)
			const d = 120 * time.Second
			accepted, refused := simulateLimitedAPI(a, clock, rps, time.Millisecond, d)
			used := float64(accepted) / (rps * d.Seconds())
			share := float64(refused) / float64(accepted+refused)
			t.Logf("%g a second: %.0f%% of the limit used, %d of %d requests refused (%.1f%%)", rps, 100*used, refused, accepted+refused, 100*share)
			if used < 0.85 {
				t.Errorf("used %.0f%% of the limit, want at least 85%%", 100*used)
			}
			if share > 0.05 {
				t.Errorf("%.1f%% of the requests answered 429, want at most 5%%", 100*share)
			}
		})
	}
}
