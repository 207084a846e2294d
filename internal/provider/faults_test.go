package provider

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// The acceptance tests of exactly-once creates under faults, and of "only
// the API's own gone removes anything". Each drives the real
// Terraform CLI (cli_harness_test.go) against the mock with a fault knob
// set, re-runs apply as a user would (at most 3 applies in all), and then
// checks that the mock holds exactly the configured objects, each in state
// once, plus those the test made by hand: no duplicate, no takeover, no
// orphan.

// Every create's answer is lost or spoiled once, after the API acted: by a
// dropped or reset connection, a 500, a client timeout before the API acts,
// or a malformed 2xx. Re-running apply ends with exactly one of each object,
// and the hand-made project of the same name is never adopted.
func TestFaults_lostAnswerAfterActing(t *testing.T) {
	for _, mode := range []mockapi.FailMode{
		mockapi.FailAfter, mockapi.FailDropAfter, mockapi.FailResetAfter, mockapi.FailActLate,
		mockapi.FailTruncated, mockapi.FailNoData, mockapi.FailEmptyData, mockapi.FailNestedData, mockapi.FailHTMLSignIn,
	} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			projectID, byHand := makeProjectByHand(t, env)
			providerArgs := ""
			if mode == mockapi.FailActLate {
				// The client gives up after 1s; the API acts after 1.5s,
				// before the client looks again one request_timeout later.
				// (An API acting later than that is settled by the next
				// apply: TestFaults_lateCreateSettledByTheNextApply.)
				providerArgs = `request_timeout = "1s"`
				env.mock.SetActLateDelay(1500 * time.Millisecond)
			}
			w := faultWorkspace(t, env, providerArgs, billedConfig(projectID))
			for _, route := range createRoutes {
				env.mock.FailNext(route, 1, mode)
			}
			failed := converge(t, w, 3)
			for _, out := range failed {
				if strings.Contains(out, "inconsistent result") {
					t.Errorf("a failed apply reported a provider bug:\n%s", out)
				}
			}
			checkExactly(t, env, w, byHand, 1, 1, 1)
		})
	}
}

// The API acts on a project create so late that the client's own looks
// find nothing: the apply fails loudly, and the next one finds the project
// that create made (newer than the create's high-water mark, kept in the
// placeholder's private state) instead of creating a second one. The
// hand-made project with the same name is never taken for it.
func TestFaults_lateCreateSettledByTheNextApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	_, byHand := makeProjectByHand(t, env)
	w := faultWorkspace(t, env, `request_timeout = "1s"`, `
resource "vpnresellers_project" "p" {
  name        = "Billed"
  description = "billed monthly"
}
`)
	env.mock.SetActLateDelay(4 * time.Second)
	env.mock.FailNext("POST /projects", 1, mockapi.FailActLate)
	r := apply(w)
	if r.Err == nil {
		t.Fatalf("the first apply succeeded; want an unknown outcome:\n%s", r.Output())
	}
	mentions(t, r.Output(), "may have been created")
	// The API acts after the failed apply ended.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if p, _, _ := env.mock.Len(); p == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the late create never happened")
		}
		time.Sleep(50 * time.Millisecond)
	}
	r = apply(w)
	if r.Err != nil {
		t.Fatalf("the second apply failed:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Found the project an earlier apply created")
	mustPlanEmpty(t, w)
	checkExactly(t, env, w, byHand, 1, 0, 0)
}

// A hand-made account (same username and password) and a hand-made
// customer (same email) are never adopted, even when a transient 500 makes
// the create's outcome look uncertain, and destroy never deletes them.
func TestFaults_handMadeObjectsNeverTakenOver(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	projectID, byHand := makeProjectByHand(t, env)
	cu, err := env.client.CreateCustomer(env.ctx(), client.CreateCustomerRequest{
		FirstName: "Hand", LastName: "Made", Email: "jane@example.com", ProjectID: projectID})
	if err != nil {
		t.Fatal(err)
	}
	// Its own password: an account that accepted the configured one would
	// be this configuration's (TestOwnership_unsettledAccountAdoptedByItsPassword).
	acc, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: "alice", Password: "made-by-hand-1"})
	if err != nil {
		t.Fatal(err)
	}
	byHand.Customers[int(cu.ID)] = cu.Email
	byHand.Accounts[int(acc.ID)] = acc.Username

	w := faultWorkspace(t, env, "", customerAndAccountConfig(projectID))
	env.mock.FailNext("POST /customers", 1, mockapi.FailServerError)
	env.mock.FailNext("POST /accounts", 1, mockapi.FailServerError)
	for i := range 3 {
		r := apply(w)
		if r.Err == nil {
			t.Fatalf("apply %d succeeded: a hand-made object was taken over\n%s", i+1, r.Output())
		}
		if strings.Contains(r.Output(), "inconsistent result") {
			t.Errorf("apply %d adopted an object it then rejected:\n%s", i+1, r.Output())
		}
		// "is taken", "has already been taken": the reason is given.
		mentions(t, r.Output(), "taken")
		checkExactly(t, env, w, byHand, 0, 0, 0)
	}
	w.MustRun(nil, "destroy", "-auto-approve", "-no-color")
	checkExactly(t, env, w, byHand, 0, 0, 0)
}

// 50 account creates against an API allowing 3 requests a second succeed
// in one apply on the default settings, and the next plan is empty.
func TestFaults_rateLimitSurvivedOnDefaults(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", `
resource "vpnresellers_account" "a" {
  count    = 50
  username = "rl-${count.index}"
  password = "secret-1"
}
`)
	env.mock.SetRateLimit(3)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	mustPlanEmpty(t, w)
	checkExactly(t, env, w, noObjects(), 0, 0, 50)
}

// A Retry-After of an hour fails at once, naming the status, the wait and
// the setting, on a create (429) and on a plan's refresh (a 503
// maintenance page). Nothing is created or forgotten.
func TestFaults_longRetryAfterFailsFast(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", `
resource "vpnresellers_account" "a" {
  username = "alice"
  password = "secret-1"
}
`)
	env.mock.SetRetryAfter(3600)
	env.mock.FailNext("POST /accounts", 20, mockapi.FailRateLimited)
	r := apply(w)
	if r.Err == nil {
		t.Fatal("apply succeeded through an hour-long Retry-After")
	}
	mentions(t, r.Output(), "429", "1h0m0s", "max_retry_wait")
	checkExactly(t, env, w, noObjects(), 0, 0, 0)

	env.mock.FailNext("POST /accounts", 0, mockapi.FailRateLimited)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	env.mock.FailNext("GET /accounts/{id}", 20, mockapi.FailMaintenance)
	r = w.Run(nil, "plan", "-no-color")
	if r.Err == nil {
		t.Fatal("plan succeeded through an hour-long maintenance page")
	}
	mentions(t, r.Output(), "503", "1h0m0s", "max_retry_wait")
	env.mock.FailNext("GET /accounts/{id}", 0, mockapi.FailMaintenance)
	mustPlanEmpty(t, w)
	checkExactly(t, env, w, noObjects(), 0, 0, 1)
}

// A list whose meta claims absurd page counts, or counts that contradict
// each other, costs a bounded number of requests and no crash, and fails
// with an error naming the page.
func TestFaults_hostileLastPageIsBounded(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockapi.Options{MaxPerPage: 2})
	for i := range 5 {
		if _, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{
			Username: "h" + strconv.Itoa(i), Password: "secret-1"}); err != nil {
			t.Fatal(err)
		}
	}
	w := faultWorkspace(t, env, "", `
data "vpnresellers_accounts" "all" {}

output "n" {
  value = length(data.vpnresellers_accounts.all.accounts)
}
`)
	// Asked for 100 a page, the mock serves 2: 3 real pages.
	const bound = 12
	for _, last := range []int{1000000, 2147483647, 5000} {
		env.mock.SetHostilePaging(last, last)
		env.mock.ResetCounts()
		r := applyWhile(w, func() bool { return env.mock.Count("GET /accounts") <= bound })
		if n := env.mock.Count("GET /accounts"); n > bound {
			t.Errorf("last_page %d: %d requests (stopped there), want at most %d", last, n, bound)
			continue
		}
		// Every claim is refused, naming the page and what is wrong: 5000
		// pages do not follow from a total of 5000 at 2 a page.
		out := strings.Join(strings.Fields(r.Output()), " ")
		if r.Err == nil || !strings.Contains(out, env.url+"/accounts?page=1") || !strings.Contains(out, fmt.Sprintf("claims %d pages", last)) {
			t.Errorf("last_page %d: want an error naming the page, got %v\n%s", last, r.Err, r.Output())
		}
	}
}

// One SIGINT during an apply creating many objects on a slow API that
// carries a request out even when its caller has gone: re-running apply (at
// most twice) converges with no duplicate and no orphan. Accounts have a
// unique username; projects have no unique key.
func TestFaults_interruptedApply(t *testing.T) {
	for _, tc := range []struct {
		name, hcl, route   string
		projects, accounts int
	}{
		{"accounts", `
resource "vpnresellers_account" "a" {
  count    = 24
  username = "ctrl-c-${count.index}"
  password = "secret-1"
}
`, "POST /accounts", 0, 24},
		{"projects", `
resource "vpnresellers_project" "p" {
  count       = 12
  name        = "Interrupted"
  description = "one of twelve"
}
`, "POST /projects", 12, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			w := faultWorkspace(t, env, "", tc.hcl)
			interruptApply(t, env, w, tc.route, 3)
			o := env.mock.Objects()
			t.Logf("interrupted apply: %d projects, %d accounts on the API", len(o.Projects), len(o.Accounts))
			converge(t, w, 2)
			checkExactly(t, env, w, noObjects(), tc.projects, 0, tc.accounts)
		})
	}
}

// safetyConfig is the project and customer the account tests use, with two
// accounts.
const safetyConfig = accountParents + `
resource "vpnresellers_account" "a" {
  count       = 2
  username    = "safe-${count.index}"
  password    = "secret-1"
  customer_id = vpnresellers_customer.c.id
}
`

// Issue 7 items 4 and 5: a proxy's HTML 404 on GET /projects/{id}, or a
// malformed 200 on a refresh, during an apply with no change fails it; no
// object is deleted or re-created, and the state is unchanged.
func TestFaults_spoiledRefreshChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		route    string
		mode     mockapi.FailMode
		mentions []string
	}{
		{"GET /projects/{id}", mockapi.FailHTMLNotFound, []string{"/v4_1/projects/", "404", "base_url"}},
		{"GET /accounts/{id}", mockapi.FailEmptyData, []string{"/v4_1/accounts/", "malformed"}},
		{"GET /customers/{id}", mockapi.FailNestedData, []string{"/v4_1/customers/", "malformed"}},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			w := faultWorkspace(t, env, "", safetyConfig)
			w.MustRun(nil, "apply", "-auto-approve", "-no-color")
			before, mockBefore := stateObjects(t, w), env.mock.Objects()

			env.mock.FailNext(tc.route, 1, tc.mode)
			r := apply(w)
			if r.Err == nil {
				t.Fatalf("the apply succeeded through %s on %s:\n%s", tc.mode, tc.route, r.Output())
			}
			mentions(t, r.Output(), tc.mentions...)
			if after := stateObjects(t, w); !sameObjects(before, after) {
				t.Errorf("state changed: %v -> %v", before, after)
			}
			if after := env.mock.Objects(); !sameObjects(mockBefore, after) {
				t.Errorf("objects on the API changed: %v -> %v", mockBefore, after)
			}
			mustPlanEmpty(t, w)
			checkExactly(t, env, w, noObjects(), 1, 1, 2)
		})
	}
}

// Issue 7 item 4: a base_url without /v4_1 fails the plan (and the apply)
// with the hint and leaves the state intact; once fixed, the plan is empty.
func TestFaults_wrongBaseURLFailsWithHint(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", safetyConfig)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	before := stateObjects(t, w)

	good := env.providerBlock("") + safetyConfig
	wrongURL := strings.TrimSuffix(env.url, mockapi.PathPrefix)
	w.Write("main.tf", strings.Replace(good, strconv.Quote(env.url), strconv.Quote(wrongURL), 1))
	for _, cmd := range [][]string{{"plan", "-no-color"}, {"apply", "-auto-approve", "-no-color"}} {
		r := w.Run(nil, cmd...)
		if r.Err == nil {
			t.Fatalf("terraform %s succeeded with base_url %s:\n%s", cmd[0], wrongURL, r.Output())
		}
		mentions(t, r.Output(), "Check base_url", "/v4_1")
		if after := stateObjects(t, w); !sameObjects(before, after) {
			t.Errorf("terraform %s changed the state: %v -> %v", cmd[0], before, after)
		}
	}
	w.Write("main.tf", good)
	mustPlanEmpty(t, w)
	checkExactly(t, env, w, noObjects(), 1, 1, 2)
}

// A `terraform query` over a list that never ends ends, within
// the walk's bound, with an error naming the page: a last_page past the
// client's cap at once, one within it (5 real accounts claimed as 10,000
// pages) after reading the list again. "page 3" holds the 5th account alone.
func TestFaults_queryOverAnEndlessListEnds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockapi.Options{MaxPerPage: 2})
	env.mock.SeedAccounts(5, "q")
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	w.Write("main.tf", env.providerBlock(""))
	w.Write("all.tfquery.hcl", `
list "vpnresellers_account" "all" {
  provider = vpnresellers
  limit    = 1000
}
`)
	w.MustRun(nil, "init", "-no-color")
	for _, tc := range []struct {
		last, total int
		page        string
		bound       int
	}{
		{2147483647, 2147483647, "page=1", client.MaxWalks},
		{client.MaxPages, 2 * client.MaxPages, "page=3", client.MaxWalks * 3}, // page 3 holds the 5th account alone
	} {
		env.mock.SetHostilePaging(tc.last, tc.total)
		env.mock.ResetCounts()
		r := w.Run(nil, "query", "-no-color")
		out := strings.Join(strings.Fields(r.Output()), " ")
		if r.Err == nil || !strings.Contains(out, env.url+"/accounts?"+tc.page) {
			t.Errorf("last_page %d: want an error naming %s, got %v\n%s", tc.last, tc.page, r.Err, r.Output())
		}
		if n := env.mock.Count("GET /accounts"); n > tc.bound {
			t.Errorf("last_page %d: %d list requests, want at most %d", tc.last, n, tc.bound)
		}
		t.Logf("last_page %d: %d list requests", tc.last, env.mock.Count("GET /accounts"))
	}
}
