package client_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// MaxInFlight bounds the requests the whole client has in flight, counted
// at the mock: an owner walk over 20 customers (a walk of the customers,
// then an Each pool of account-list walks, each asking pages ahead), a
// walk of 300 accounts, an Each pool of reads and single calls, all at once,
// never have more than 2 requests at the API with MaxInFlight 2. A client
// with 8 has more.
func TestMaxInFlight_boundsTheRequestsInFlight(t *testing.T) {
	peak := func(workers int) int {
		f := newFixture(t, func(c *client.Config) { c.MaxInFlight = workers; c.PageSize = 10 })
		p := f.mock.SeedProject("p", "d")
		for i := range 20 {
			f.mock.SeedCustomer(p, "F", "L", fmt.Sprintf("c%d@example.com", i))
		}
		f.mock.SeedAccounts(300, "u")
		f.mock.SetLatency(5 * time.Millisecond)
		f.mock.ResetInFlight()
		var wg sync.WaitGroup
		run := func(what string, fn func(context.Context) error) {
			wg.Go(func() {
				if err := fn(ctx(t)); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			})
		}
		run("owner walk", func(ctx context.Context) error {
			o, err := f.client.AccountOwners(ctx)
			if err == nil && len(o.Customers()) != 20 {
				err = fmt.Errorf("%d customers", len(o.Customers()))
			}
			return err
		})
		run("account walk", func(ctx context.Context) error {
			all, err := f.client.ListAllAccounts(ctx, "")
			if err == nil && len(all) != 300 {
				err = fmt.Errorf("%d accounts", len(all))
			}
			return err
		})
		run("pool", func(ctx context.Context) error {
			_, errs, err := client.Results(ctx, f.client, 10, func(ctx context.Context, _ int) (*client.Profile, error) {
				return f.client.GetProfile(ctx)
			})
			if err != nil {
				return err
			}
			return client.FirstError(errs)
		})
		for range 5 {
			run("single call", func(ctx context.Context) error { _, err := f.client.GetProfile(ctx); return err })
		}
		wg.Wait()
		now, peak := f.mock.InFlight()
		if now != 0 {
			t.Fatalf("%d requests still in flight", now)
		}
		return peak
	}
	if got := peak(2); got > 2 {
		t.Errorf("with MaxInFlight 2, %d requests were in flight at once", got)
	}
	if got := peak(8); got <= 2 {
		t.Errorf("with MaxInFlight 8, at most %d requests were in flight at once; the test would prove nothing", got)
	}
}

// A call waiting for a slot gives up when its context ends.
func TestMaxInFlight_waitingForASlotEndsWithTheContext(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.MaxInFlight = 1 })
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	f.mock.InterceptNext("GET /profile", func(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	done := make(chan error, 1)
	go func() { _, err := f.client.GetProfile(ctx(t)); done <- err }()
	<-entered // the only slot is taken
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	if _, err := f.client.ListServers(c); err == nil || c.Err() == nil {
		t.Fatalf("a call waiting for the slot with its context ended: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Errorf("the call holding the slot, once answered: %v", err)
	}
}
