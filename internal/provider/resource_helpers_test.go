package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// proxy stands between the provider and the mock, as a reverse proxy does,
// and can answer some requests with its own HTML 404 page.
type proxy struct {
	mu     sync.Mutex
	notFor *regexp.Regexp // "METHOD /path" requests it answers 404 itself
}

func (p *proxy) fail(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pattern == "" {
		p.notFor = nil
		return
	}
	p.notFor = regexp.MustCompile(pattern)
}

// newProxiedTestEnv is newTestEnv with a proxy in front of the mock.
func newProxiedTestEnv(t *testing.T) (*testEnv, *proxy) {
	t.Helper()
	m := mockapi.New(mockapi.Options{})
	p := &proxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		re := p.notFor
		p.mu.Unlock()
		if re != nil && re.MatchString(r.Method+" "+r.URL.Path) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + "/v4_1"
	c, err := client.New(client.Config{BaseURL: base, Token: m.Token(), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, mock: m, url: base, client: c}, p
}

// expectNoWrites checks that, since the last resetCalls, the mock served
// only GET requests.
func (e *testEnv) expectNoWrites() error {
	for route, n := range e.mock.Counts() {
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			return fmt.Errorf("the API was written to: %s called %d times (all: %s)", route, n, formatCalls(e.mock.Counts()))
		}
	}
	return nil
}

// mustNoWrites is expectNoWrites for a PreConfig.
func (e *testEnv) mustNoWrites() {
	e.t.Helper()
	if err := e.expectNoWrites(); err != nil {
		e.t.Fatal(err)
	}
}

// Only the API's own "Account not found." removes an object from state: a
// proxy's HTML 404 on one object, and a base_url that makes every path 404,
// fail the plan and change nothing, neither state nor API. A proxy's 404 on
// a DELETE is an error too, not "already deleted".
func TestAccResource_onlyTheAPIsOwnNotFoundRemoves(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	cfg := env.config(accountConfig("ann", `password = "secret-1"`))
	wrongBase := strings.Replace(cfg, env.url, strings.TrimSuffix(env.url, "/v4_1"), 1)
	same := func(preConfig func()) resource.TestStep {
		// The same configuration plans no change: nothing was forgotten.
		return resource.TestStep{PreConfig: preConfig, Config: cfg, PlanOnly: true}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:   func() { env.resetCalls(); px.fail(`^GET /v4_1/accounts/\d+$`) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to read account 1.*404`),
			},
			same(func() { px.fail(""); env.mustNoWrites() }),
			{
				PreConfig:   func() { env.resetCalls(); px.fail(`^GET /v4_1/projects/\d+$`) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to read project 1.*404`),
			},
			same(func() { px.fail(""); env.mustNoWrites() }),
			{
				// base_url without /v4_1: every path is a 404.
				PreConfig:   env.resetCalls,
				Config:      wrongBase,
				ExpectError: regexp.MustCompile(`(?s)Unable to read .*404`),
			},
			same(func() {
				env.mustNoWrites()
				if p, c, a := env.mock.Len(); p != 1 || c != 1 || a != 1 {
					t.Fatalf("the API holds %d projects, %d customers, %d accounts; want 1 each", p, c, a)
				}
			}),
			{
				// The account leaves the configuration, but its DELETE meets
				// the proxy's 404: an error, and the account stays in state.
				PreConfig:   func() { px.fail(`^DELETE /v4_1/accounts/\d+$`) },
				Config:      env.config(accountParents),
				ExpectError: regexp.MustCompile(`(?s)Unable to delete account 1.*404`),
			},
			{
				PreConfig: func() {
					px.fail("")
					if _, _, a := env.mock.Len(); a != 1 {
						t.Fatalf("%d accounts, want 1", a)
					}
				},
				Config: env.config(accountParents),
				Check: func(*terraform.State) error {
					if _, _, a := env.mock.Len(); a != 0 {
						return fmt.Errorf("%d accounts left", a)
					}
					return nil
				},
			},
		},
	})
}
