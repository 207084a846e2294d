package client

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoff_growsWithinBounds(t *testing.T) {
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

func TestRetryAfter_isJittered(t *testing.T) {
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

func TestCancelGrace_defaultsToTwiceTheRequestTimeout(t *testing.T) {
	c, err := New(Config{RequestTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if c.grace != 6*time.Second {
		t.Errorf("grace %s, want 6s", c.grace)
	}
}
