package client

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffGrowsWithinBounds(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, 2*time.Second
	for attempt := range 10 {
		ceiling := min(minWait<<attempt, maxWait)
		for range 50 {
			got := backoff(minWait, maxWait, attempt)
			if got < ceiling/2 || got > ceiling {
				t.Fatalf("attempt %d: %s outside [%s, %s]", attempt, got, ceiling/2, ceiling)
			}
		}
	}
}

func TestRetryAfterIsJittered(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		got, err := c.retryWait(request{method: "GET", path: "/x"}, 429, http.Header{"Retry-After": {"2"}}, 0)
		if err != nil || got < 2*time.Second || got >= 3*time.Second {
			t.Fatalf("Retry-After 2: waits %s (%v), want [2s, 3s)", got, err)
		}
		seen[got] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d different waits in 50: not jittered", len(seen))
	}
}

func TestAdaptiveRateCutsOnThrottleAndClimbsOnSuccess(t *testing.T) {
	a := newAdaptiveRate(0)
	if a.current() != 0 {
		t.Fatalf("paced before any 429: %v", a.current())
	}
	for range 8 {
		_ = a.wait(t.Context(), func(time.Duration) {})
	}
	a.throttled(func(float64) {})
	if got := a.current(); got != 4 { // 8 sent in the last second, halved
		t.Fatalf("after the first 429: %v, want 4", got)
	}
	a.throttled(func(float64) {}) // an echo of the same burst
	if got := a.current(); got != 4 {
		t.Errorf("a second 429 within the cooldown cut again: %v", got)
	}
	for range 10 {
		a.succeeded()
	}
	if got := a.current(); got < 4.99 || got > 5.01 {
		t.Errorf("after 10 successes: %v, want 5", got)
	}
	capped := newAdaptiveRate(2)
	for range 100 {
		capped.succeeded()
	}
	if got := capped.current(); got != 2 {
		t.Errorf("requests_per_second 2 exceeded: %v", got)
	}
	capped.throttled(func(float64) {})
	if got := capped.current(); got != 1 {
		t.Errorf("capped rate after a 429: %v, want 1", got)
	}
}

func TestCancelGraceDefaultsToTwiceTheRequestTimeout(t *testing.T) {
	c, err := New(Config{RequestTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if c.grace != 6*time.Second {
		t.Errorf("grace %s, want 6s", c.grace)
	}
}
