package client

import (
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
