package client_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// With default settings, 50 account creates from 10 concurrent callers
// against an API that allows 3 requests a second all succeed, exactly once
// each, and the long waits are logged at INFO.
func TestRateLimit_defaultsSurviveARateLimitedAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 20 seconds of wall time at 3 requests a second")
	}
	f := newFixture(t)
	log := &logRecorder{}
	c, err := client.New(client.Config{BaseURL: f.url, Token: f.mock.Token(), Log: log.record}) // defaults
	if err != nil {
		t.Fatal(err)
	}
	f.mock.SetRateLimit(3)
	const n, workers = 50, 10
	jobs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: fmt.Sprintf("user-%d", i), Password: "secret-1"})
				errs <- err
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if _, _, accounts := f.mock.Len(); accounts != n {
		t.Errorf("%d accounts, want %d", accounts, n)
	}
	if !strings.Contains(log.all(), "INFO the API answered 429") || !strings.Contains(log.all(), "INFO retrying API request") {
		t.Errorf("no INFO line about 429s and the waits:\n%s", log.all())
	}
}

// 429 answers have a budget of their own: they do not use up the retries
// meant for failures.
func TestRateLimit_doesNotUseTheFailureBudget(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1; c.MaxRateLimitRetries = 2 })
	tooMany := answer(429, "application/json", `{"message":"Too Many Attempts.","code":429}`, "Retry-After", "0")
	fx.mock.InterceptNext("GET /profile", tooMany, tooMany)
	if _, err := c.GetProfile(ctx(t)); err != nil {
		t.Fatalf("2 429s within a 429 budget of 2, with no failure retries: %v", err)
	}
	fx.mock.InterceptNext("GET /profile", tooMany, tooMany, tooMany)
	if _, err := c.GetProfile(ctx(t)); !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("3 429s: want a rate-limit error, got %v", err)
	}
	if got := fx.mock.Count("GET /profile"); got != 6 {
		t.Errorf("%d requests, want 3 + 3", got)
	}
}

// A Retry-After longer than MaxRetryWait fails at once, naming the wait,
// the status and the setting; so does a maintenance page asking for it.
func TestRetryAfter_longFailsFast(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
	}{
		{"429", "application/json", `{"message":"Too Many Attempts.","code":429}`, 429},
		{"503 maintenance page", "text/html", "<html><body>Down for maintenance</body></html>", 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			c := fx.another(t)
			fx.mock.InterceptNext("GET /profile", answer(tc.status, tc.contentType, tc.body, "Retry-After", "3600"))
			_, err := c.GetProfile(ctx(t))
			var long *client.RetryWaitError
			if !errors.As(err, &long) || !errors.Is(err, client.ErrRetryWaitTooLong) {
				t.Fatalf("want a retry-wait error, got %v", err)
			}
			for _, want := range []string{"1h0m0s", fmt.Sprint(tc.status), "longest wait allowed (1m0s)"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q: %v", want, err)
				}
			}
			if got := fx.mock.Count("GET /profile"); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
			// On a create too: nothing is created, and it says so.
			fx.mock.InterceptNext("POST /projects", answer(tc.status, tc.contentType, tc.body, "Retry-After", "3600"))
			if _, err := c.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"}); !errors.Is(err, client.ErrRetryWaitTooLong) {
				t.Errorf("create: want a retry-wait error, got %v", err)
			}
			if n, _, _ := fx.mock.Len(); n != 0 || fx.mock.Count("POST /projects") != 1 {
				t.Errorf("%d projects after %d POSTs", n, fx.mock.Count("POST /projects"))
			}
		})
	}
	// The cap is a setting.
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetryWait = time.Second })
	fx.mock.InterceptNext("GET /ports", answer(429, "application/json", `{"message":"Too Many Attempts.","code":429}`, "Retry-After", "2"))
	if _, err := c.ListPorts(ctx(t)); !errors.Is(err, client.ErrRetryWaitTooLong) || !strings.Contains(err.Error(), "longest wait allowed (1s)") {
		t.Errorf("Retry-After 2 with a cap of 1s: %v", err)
	}
}
