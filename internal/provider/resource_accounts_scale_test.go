package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// vpnresellers_accounts at scale: parallelism within its bound, and
// hundreds or thousands of entries.

// The creates of one apply run side by side, never more than
// max_parallel_requests at a time.
func TestResourceAccounts_parallelWithinTheBound(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SetLatency(20 * time.Millisecond)
	var (
		mu             sync.Mutex
		inFlight, peak int
	)
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
			defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		}
		env.mock.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	env.url = counting.URL + "/v4_1"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{{
			Config: env.configWith("max_parallel_requests = 3", fleetHCL(1, 12, "", 1)),
			Check: func(*terraform.State) error {
				mu.Lock()
				defer mu.Unlock()
				if peak != 3 {
					return fmt.Errorf("at most %d creates ran at once, want max_parallel_requests = 3", peak)
				}
				return nil
			},
		}},
	})
}

func TestResourceAccounts_maxParallelRequests(t *testing.T) {
	env := newTestEnv(t)
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.configWith("max_parallel_requests = 0", profileOnly),
				ExpectError: regexp.MustCompile(`(?s)max_parallel_requests.*between 1 and 32`),
			},
			{
				PreConfig:   func() { t.Setenv(EnvMaxParallel, "many") },
				Config:      env.config(profileOnly),
				ExpectError: regexp.MustCompile(`VPNRESELLERS_MAX_PARALLEL_REQUESTS must be a whole number from 1 to 32`),
			},
		},
	})
}

// EnvLargeTests turns on TestResourceAccounts_thousand, which runs for minutes
// on a shared machine.
const EnvLargeTests = "VPNRESELLERS_LARGE_TESTS"

// Many accounts against an API answering in 20 ms: exactly one create per
// account, and a no-change refresh of ceil(n/100) list pages (100 accounts
// a page). 250 accounts span three pages; TestResourceAccounts_thousand is the
// same with 1,000.
func TestResourceAccounts_many(t *testing.T) {
	testManyAccounts(t, 250)
}

// TestResourceAccounts_thousand is the 1,000-account case. The
// apply time is logged as a figure, never asserted.
func TestResourceAccounts_thousand(t *testing.T) {
	if os.Getenv(EnvLargeTests) == "" {
		t.Skip("set " + EnvLargeTests + "=1 to apply 1,000 accounts")
	}
	testManyAccounts(t, 1000)
}

func testManyAccounts(t *testing.T, n int) {
	env := newTestEnv(t)
	env.mock.SetLatency(20 * time.Millisecond)
	cfg := env.config(fleetHCL(1, n, "", 1))
	var started time.Time
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.resetCalls(); started = time.Now() },
				Config:    cfg,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						t.Logf("plan and apply of %d accounts at 20 ms latency: %s", n, time.Since(started).Round(time.Millisecond))
						return nil
					},
					// One create per account, the plan-time check that the
					// names are free (one page of the empty list, at plan
					// and again at apply), and the high-water mark the
					// exactly-once creates take first (one page).
					env.expectCalls(map[string]int{"POST /accounts": n, "GET /accounts": 3}),
					env.accountCount(n), env.fleetTracksAll(),
				),
			},
			{
				// A refresh, what a no-change plan costs, reads the pages.
				PreConfig:    env.resetCalls,
				RefreshState: true,
				Check:        env.expectCalls(listReads(seamed((n + 99) / 100))),
			},
		},
	})
}
