package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// walkFixture is a mock with n accounts and a client reading 10 a page.
func walkFixture(t *testing.T, n int) *fixture {
	t.Helper()
	f := newFixture(t, func(c *client.Config) { c.PageSize = 10; c.MaxRetries = -1 })
	f.mock.SeedAccounts(n, "w")
	f.mock.ResetCounts()
	return f
}

func wantAll(t *testing.T, accs []client.Account, err error, n int) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, a := range accs {
		seen[a.ID] = true
	}
	if len(accs) != n || len(seen) != n {
		t.Fatalf("%d accounts (%d distinct), want %d", len(accs), len(seen), n)
	}
}

// The server's page size changes during the walk: the walk reads the list
// again at the new size, and misses nothing.
func TestWalk_rewalksWhenThePageSizeChanges(t *testing.T) {
	f := walkFixture(t, 45)
	f.mock.SetMaxPerPageAfter(2, 8) // page 3 of the first walk comes at 8 a page
	accs, err := f.client.ListAllAccounts(ctx(t), "")
	wantAll(t, accs, err, 45)
	// first walk: pages 1-3 and at most the workers' pages in flight; second: 6 pages of 8
	if n := f.mock.Count("GET /accounts"); n < 3+walkRequests(6) || n > 5+client.DefaultMaxInFlight+walkRequests(6) {
		t.Errorf("%d requests", n)
	}
}

// An account deleted during the walk shifts every later page back by one:
// the total changes, the walk reads the list again, and only the deleted
// account is missing.
func TestWalk_rewalksWhenTheListShrinks(t *testing.T) {
	f := walkFixture(t, 45)
	f.mock.DeleteAccountAfter(1, 3) // before page 2 of the first walk
	accs, err := f.client.ListAllAccounts(ctx(t), "")
	wantAll(t, accs, err, 44)
	for _, a := range accs {
		if a.ID == 3 {
			t.Fatal("the deleted account is listed")
		}
	}
}

// A page repeating an item of the page before (the list shifted) is read
// again, not deduplicated into a list that misses the item left out.
func TestWalk_rewalksWhenAnItemComesBack(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 10; c.MaxRetries = -1; c.MaxInFlight = 1 })
	f.mock.SeedAccounts(45, "w")
	f.mock.ResetCounts()
	f.mock.RepeatItemAfter(2) // page 3 of the first walk
	accs, err := f.client.ListAllAccounts(ctx(t), "")
	wantAll(t, accs, err, 45)
	if n := f.mock.Count("GET /accounts"); n != 3+walkRequests(5) {
		t.Errorf("%d requests, want 3 (up to the shifted page) + 5 pages and 4 seams", n)
	}
}

// walkRequests is what a full walk of pages costs: one request per page,
// and one per seam between two pages.
func walkRequests(pages int) int { return 2*pages - 1 }

// One account is deleted and another created while the walk is between
// two pages: the total stays the same and no id repeats, but the first
// account of the next page moves onto the page already read. The seam
// check sees it, and the list is read again: every account is there.
func TestWalk_rewalksWhenTheListSwapsAnItem(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 10; c.MaxRetries = -1; c.MaxInFlight = 1 })
	f.mock.SeedAccounts(45, "w")
	f.mock.ResetCounts()
	swapped := false
	panel := f.another(t) // someone else: the walk's client holds its only slot
	f.mock.InterceptNext("GET /accounts", func(next http.Handler, w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r) // page 1 as it was
		if err := panel.DeleteAccount(ctx(t), 3); err != nil {
			t.Error(err)
		}
		if _, err := panel.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "late", Password: "secret-1"}); err != nil {
			t.Error(err)
		}
		swapped = true
	})
	accs, err := f.client.ListAllAccounts(ctx(t), "")
	if !swapped {
		t.Fatal("the swap did not happen")
	}
	wantAll(t, accs, err, 45)
	names := map[string]bool{}
	for _, a := range accs {
		names[a.Username] = true
	}
	if !names["w11"] || !names["late"] || names["w3"] {
		t.Errorf("after the swap the walk has w11=%v late=%v w3=%v; want w11 and late, not w3", names["w11"], names["late"], names["w3"])
	}
}

// pagesServer answers /accounts with page(n, perPage), counting requests.
func pagesServer(t *testing.T, page func(n, perPage int) string) (*client.Client, *atomic.Int64, string) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var n, pp int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &n)
		_, _ = fmt.Sscan(r.URL.Query().Get("per_page"), &pp)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, page(n, pp))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: "t", PageSize: 2, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &requests, srv.URL + "/v4_1/accounts"
}

func accountsPage(current, last, perPage, total int, items ...string) string {
	return fmt.Sprintf(`{"data":[%s],"meta":{"current_page":%d,"last_page":%d,"per_page":%d,"total":%d},"code":200}`,
		strings.Join(items, ","), current, last, perPage, total)
}

// Anomalies that stay: after MaxWalks walks, an error naming the URL of the
// page and what was wrong with it, at a bounded cost.
func TestWalk_failsOnLastingAnomalies(t *testing.T) {
	acc := func(id int) string { return fmt.Sprintf(`{"id":%d,"username":"u%d"}`, id, id) }
	for name, tc := range map[string]struct {
		page     func(n, pp int) string
		url      string // the page the error names
		reason   string
		requests int64
	}{
		"short page before the last": {func(n, pp int) string {
			if n == 2 {
				return accountsPage(2, 3, 2, 6, acc(3))
			}
			return accountsPage(n, 3, 2, 6, acc(2*n-1), acc(2*n))
		}, "?page=2&per_page=2", "fewer than its page size 2, before the last page 3", 0},
		"page size changes": {func(n, pp int) string {
			if n == 1 {
				return accountsPage(1, 2, 2, 3, acc(1), acc(2))
			}
			return accountsPage(n, 1, 3, 3, acc(3))
		}, "?page=2&per_page=2", "the page size changed from 2 to 3", 0},
		"duplicate across pages": {func(n, pp int) string {
			return accountsPage(n, 2, 2, 4, acc(n), acc(n+1))
		}, "?page=2&per_page=2", "id 2 came back on a second page", 0},
		"item without id": {func(n, pp int) string {
			return accountsPage(1, 1, 2, 1, `{"username":"x"}`)
		}, "/v4_1/accounts", "has no id", 0},
		"account without username": {func(n, pp int) string {
			return accountsPage(1, 1, 2, 2, acc(1), `{"id":2}`)
		}, "/v4_1/accounts", "(id 2): the account has no username", 0},
		// Every page answered as page 1 again, last_page 2^31-1.
		"endless list": {func(n, pp int) string {
			return accountsPage(1, 2147483647, 2, 2*2147483647, acc(1), acc(2))
		}, "?page=1&per_page=2", "the list claims 2147483647 pages", client.MaxWalks},
		// The same within the page cap: page 2 says it is page 1.
		"page 1 again": {func(n, pp int) string {
			return accountsPage(1, client.MaxPages, 2, 2*client.MaxPages, acc(1), acc(2))
		}, "?page=2&per_page=2", "page 2 came back as page 1", 0},
		"more items than the total": {func(n, pp int) string {
			return accountsPage(n, 1, 2, 1, acc(1), acc(2))
		}, "?page=1&per_page=2", "the pages hold more items than the total of 1", 0},
	} {
		c, requests, base := pagesServer(t, tc.page)
		start := time.Now()
		_, err := c.ListAllAccounts(ctx(t), "")
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s: took %v", name, time.Since(start))
		}
		if !errors.Is(err, client.ErrMalformed) || !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), tc.url) ||
			!strings.Contains(err.Error(), strings.TrimSuffix(base, "/v4_1/accounts")) {
			t.Errorf("%s: want an error naming %s and saying %q, got %v", name, tc.url, tc.reason, err)
		}
		if n := requests.Load(); n > int64(client.MaxWalks*(3+client.DefaultMaxInFlight)) || (tc.requests > 0 && n != tc.requests) {
			t.Errorf("%s: %d requests", name, n)
		}
	}
}

// A page that is malformed once (an account without a username, as a
// mangling proxy might send) is read again, and the walk then succeeds.
func TestWalk_rewalksAMalformedPageOnce(t *testing.T) {
	fx := newFixture(t)
	fx.mock.SeedAccounts(3, "m")
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1 })
	fx.mock.InterceptNext("GET /accounts", answer(200, "application/json", `{"data":[{"id":1}],"meta":{"current_page":1,"last_page":1,"per_page":100,"total":1},"code":200}`))
	accs, err := c.ListAllAccounts(ctx(t), "")
	wantAll(t, accs, err, 3)
	if n := fx.mock.Count("GET /accounts"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
