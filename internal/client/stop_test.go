package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// A stopped client aborts the create it has in flight, even inside its
// cancel grace, sends nothing more (no lookup, no retry), and starts
// nothing new.
func TestStop_abortsInFlightAndStartsNothing(t *testing.T) {
	stop, stopNow := context.WithCancel(context.Background())
	defer stopNow()
	// The POST reaches the mock, which acts on it; its answer never comes
	// back while the request lasts.
	posted := make(chan struct{}, 1)
	hold := roundTripper(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil || r.Method != http.MethodPost {
			return resp, err
		}
		resp.Body.Close()
		posted <- struct{}{}
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	f := newFixture(t, func(c *client.Config) {
		c.Stop = stop
		c.CancelGrace = time.Hour
		c.RequestTimeout = time.Hour
		c.HTTPClient = &http.Client{Transport: hold}
	})
	errc := make(chan error, 1)
	go func() {
		_, err := f.client.CreateAccount(context.Background(), client.CreateAccountRequest{Username: "stopped", Password: "secret123"})
		errc <- err
	}()
	deadline := time.After(20 * time.Second)
	select {
	case err := <-errc:
		t.Fatalf("create ended before its POST: %v", err)
	case <-deadline:
		t.Fatal("the POST never arrived")
	case <-posted:
	}
	before := f.mock.Counts()
	stopNow()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("a stopped create succeeded")
		}
	case <-deadline:
		t.Fatal("the create went on after Stop")
	}
	if _, err := f.client.GetProfile(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("a request after Stop: %v, want context.Canceled", err)
	}
	if !f.client.Stopped() {
		t.Error("Stopped() is false")
	}
	after := f.mock.Counts()
	for route, n := range after {
		if n != before[route] {
			t.Errorf("%s reached the mock after Stop", route)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
