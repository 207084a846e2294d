package client

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffHonoursRetryAfter(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {"7"}}}
		if got := backoff(time.Millisecond, time.Second, 0, resp); got != 7*time.Second {
			t.Errorf("HTTP %d with Retry-After 7: waits %s", status, got)
		}
	}
	date := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat)}}}
	if got := backoff(time.Millisecond, time.Second, 0, date); got != 0 {
		t.Errorf("Retry-After in the past: waits %s", got)
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, 2*time.Second
	for attempt := range 10 {
		ceiling := min(minWait<<attempt, maxWait)
		for range 50 {
			got := backoff(minWait, maxWait, attempt, &http.Response{StatusCode: 500})
			if got < ceiling/2 || got > ceiling {
				t.Fatalf("attempt %d: %s outside [%s, %s]", attempt, got, ceiling/2, ceiling)
			}
		}
	}
}

func TestCheckRetryNeverRepeatsACreateTheServerMayHaveDone(t *testing.T) {
	post := &http.Request{Method: http.MethodPost}
	get := &http.Request{Method: http.MethodGet}
	cases := []struct {
		req    *http.Request
		status int
		want   bool
	}{
		{post, 429, true}, {post, 500, false}, {post, 503, false}, {post, 422, false},
		{get, 429, true}, {get, 500, true}, {get, 503, true}, {get, 501, false}, {get, 404, false},
	}
	for _, c := range cases {
		got, _ := checkRetry(t.Context(), &http.Response{StatusCode: c.status, Request: c.req}, nil)
		if got != c.want {
			t.Errorf("%s answered %d: retry %v, want %v", c.req.Method, c.status, got, c.want)
		}
	}
}
