package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A transport that answers what a test (or a fuzz target) wrote: a client's
// whole path from request to value or error, without a server or a socket.

// fuzzNow is the "now" Retry-After dates are read against.
var fuzzNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	fuzzBase     = "http://api.test/v4_1"
	fuzzToken    = "fuzz-token-0123456789abcdef" // letters and digits, as real tokens are
	fuzzUser     = "alice"
	fuzzPassword = `Pa"ss/w\ord-71`
	fuzzKey      = "XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU="
	// fuzzAccount is the answer that teaches the client fuzzKey.
	fuzzAccount = `{"data":{"id":9,"username":"bob","status":"Active","wg_private_key":"XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU="},"code":200}`
)

// canned is one answer of the fake transport.
type canned struct {
	status int
	header http.Header
	body   string
}

// answerFunc is an http.RoundTripper answering each request with what the
// function returns for it.
type answerFunc func(*http.Request) canned

func (f answerFunc) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	a := f(r)
	if a.header == nil {
		a.header = http.Header{}
	}
	return &http.Response{
		StatusCode: a.status, Status: http.StatusText(a.status), Header: a.header,
		Body: io.NopCloser(strings.NewReader(a.body)), Request: r, ContentLength: int64(len(a.body)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}, nil
}

// fuzzClient is a client whose every request is answered by answer, with no
// retries (nothing waits) and pages of 2.
func fuzzClient(t *testing.T, workers int, answer answerFunc) *Client {
	t.Helper()
	c, err := New(Config{
		BaseURL: fuzzBase, Token: fuzzToken, MaxRetries: -1, MaxRateLimitRetries: -1,
		PageSize: 2, MaxInFlight: workers, HTTPClient: &http.Client{Transport: answer},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fuzzCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
