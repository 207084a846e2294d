package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

const fleetAddr = "vpnresellers_accounts.fleet"

// writeOnly skips below Terraform 1.11, the first with write-only arguments.
var writeOnly = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

// fleetHCL is a vpnresellers_accounts with n accounts u0001..u<n> (from
// first), each with password "pw-<username>", overrides merged over the
// generated entries (an HCL object expression keyed by username),
// passwords_wo_version = version and deletion_protection = false (the tests
// destroy what they make).
func fleetHCL(first, n int, overrides string, version int) string {
	if overrides == "" {
		overrides = "{}"
	}
	return fmt.Sprintf(`
locals {
  users = merge({ for i in range(%d, %d) : format("u%%04d", i) => {} }, %s)
}

resource "vpnresellers_accounts" "fleet" {
  accounts             = local.users
  passwords_wo         = { for u, _ in local.users : u => "pw-${u}" }
  passwords_wo_version = %d
  deletion_protection  = false
}
`, first, first+n, overrides, version)
}

// accountCount checks how many accounts the API holds.
func (e *testEnv) accountCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error { return e.holds(-1, -1, want) }
}

// fleetTracksAll checks that every account on the API except those named in
// untracked is in the resource's state, by id and username, and that the
// state holds no account the API does not.
func (e *testEnv) fleetTracksAll(untracked ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[fleetAddr]
		if !ok {
			return fmt.Errorf("%s not in state", fleetAddr)
		}
		all, err := e.client.ListAllAccounts(e.ctx(), "")
		if err != nil {
			return err
		}
		skip := map[string]bool{}
		for _, u := range untracked {
			skip[u] = true
		}
		tracked := 0
		for _, a := range all {
			if skip[a.Username] {
				continue
			}
			got := rs.Primary.Attributes["accounts."+a.Username+".id"]
			if got != fmt.Sprint(a.ID) {
				return fmt.Errorf("account %s (id %d) is on the API but state has id %q for it", a.Username, a.ID, got)
			}
			tracked++
		}
		if n := rs.Primary.Attributes["accounts.%"]; n != fmt.Sprint(tracked) {
			return fmt.Errorf("state holds %s accounts, the API %d of them", n, tracked)
		}
		return nil
	}
}

func fleetEntryValue(name, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey(name).AtMapKey(attr), v)
}

// listReads is the refresh of n managed accounts: one list page per 100.
func listReads(pages int) map[string]int { return map[string]int{"GET /accounts": pages} }

func TestResourceAccounts_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(1, "handmade") // handmade1: never touched
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.accountCount(1), // only the hand-made account is left
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(fleetHCL(1, 3, `{ u0002 = { enabled = false, expire_at = "2031-01-31" } }`, 1)),
				ConfigStateChecks: []statecheck.StateCheck{
					fleetEntryValue("u0001", "status", knownvalue.StringExact("Active")),
					fleetEntryValue("u0001", "enabled", knownvalue.Bool(true)),
					fleetEntryValue("u0001", "expire_at", knownvalue.Null()),
					fleetEntryValue("u0002", "status", knownvalue.StringExact("Disabled")),
					fleetEntryValue("u0002", "expire_at", knownvalue.StringExact("2031-01-31")),
					fleetEntryValue("u0003", "wg_public_key", knownvalue.NotNull()),
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("passwords_wo"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					// 3 creates, the expiry and the disable of u0002, the
					// plan-time check that the 3 names are free (plan and
					// apply each ask once per name), and the high-water
					// mark the exactly-once creates take first (one page:
					// a single account exists).
					env.expectCalls(map[string]int{
						"POST /accounts": 3, "PUT /accounts/{id}/expire": 1, "PUT /accounts/{id}/disable": 1,
						"GET /accounts/check_username": 6, "GET /accounts": 1,
					}),
					env.accountCount(4), env.fleetTracksAll("handmade1"),
					noStateValue("pw-u0001"), noStateValue("pw-u0002"), noStateValue("pw-u0003"),
					env.passwordOf("u0003", "pw-u0003"),
				),
			},
			{
				// Nothing changed: an empty plan, read with one list page.
				PreConfig: env.resetCalls,
				Config:    env.config(fleetHCL(1, 3, `{ u0002 = { enabled = false, expire_at = "2031-01-31" } }`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.expectCalls(listReads(1)),
			},
			{
				// Changing one entry is one write; the others keep every
				// value known in the plan.
				PreConfig: env.resetCalls,
				Config:    env.config(fleetHCL(1, 3, `{ u0002 = { expire_at = "2031-01-31" } }`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0001").AtMapKey("updated"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0002").AtMapKey("id"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0002").AtMapKey("status")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{fleetEntryValue("u0002", "status", knownvalue.StringExact("Active"))},
				Check:             env.expectCalls(withCalls(listReads(1), map[string]int{"PUT /accounts/{id}/enable": 1})),
			},
			{
				// Bumping the version sets every password.
				PreConfig: env.resetCalls,
				Config:    env.config(strings.ReplaceAll(fleetHCL(1, 3, `{ u0002 = { expire_at = "2031-01-31" } }`, 2), `"pw-${u}"`, `"new-${u}"`)),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(withCalls(listReads(1), map[string]int{"PUT /accounts/{id}/change_password": 3})),
					env.passwordOf("u0001", "new-u0001"), noStateValue("new-u0001"),
				),
			},
			{
				// A new customer replaces that one account, not the others.
				PreConfig: env.resetCalls,
				Config: env.config(accountParents + strings.ReplaceAll(
					fleetHCL(1, 3, `{ u0002 = { expire_at = "2031-01-31" }, u0003 = { customer_id = vpnresellers_customer.c.id } }`, 2),
					`"pw-${u}"`, `"new-${u}"`)),
				Check: resource.ComposeTestCheckFunc(
					// + the high-water marks of the three creates' kinds
					// (accounts exist: 2 one-item pages; no project or
					// customer yet: 1 each), and the walk of the customers for
					// taken emails (the plan and the apply's own plan: 2).
					env.expectCalls(withCalls(listReads(3), map[string]int{
						"POST /projects": 1, "PUT /projects/{id}": 1, "POST /customers": 1, "PUT /customers/{id}": 1, "DELETE /accounts/{id}": 1, "POST /accounts": 1,
						"GET /projects": 1, "GET /customers": 3,
					})),
					env.accountCount(4), env.fleetTracksAll("handmade1"), env.customerOwns("u0003"),
				),
			},
		},
	})
}

func TestResourceAccounts_planTimeErrors(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(1, "taken") // taken1, made by hand
	plan := func(hcl string, want string) resource.TestStep {
		return resource.TestStep{Config: env.config(hcl), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	fleet := func(accounts, passwords string) string {
		return fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = %s
  passwords_wo         = %s
  passwords_wo_version = 1
  deletion_protection  = false
}
`, accounts, passwords)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			plan(fleet(`{ ann = {}, bea = {} }`, `{ ann = "secret-1" }`),
				`(?s)Missing password.*Account "bea" is created.*Add passwords_wo\["bea"\]`),
			plan(fleet(`{ ann = { expire_at = "2031-02-30" } }`, `{ ann = "secret-1" }`),
				`(?s)accounts\["ann"\].expire_at.*"2031-02-30" is not a date`),
			plan(fleet(`{ " " = {} }`, `{ " " = "secret-1" }`), `(?s)Invalid accounts.*must not be empty or only white`),
			plan(fleet(`{ ann = { customer_id = 0 } }`, `{ ann = "secret-1" }`), `(?s)customer_id.*at least 1`),
			plan(fleet(`{ ann = {} }`, `{ ann = "short" }`), `(?s)passwords_wo.*at least 6`),
			// A password for a username not in accounts is ignored, but the
			// missing password's error names it: it may be misspelt.
			plan(fleet(`{ ann = {} }`, `{ anne = "secret-1" }`),
				`(?s)Missing password.*Account "ann".*passwords for usernames that are not in accounts \("anne"\)`),
			// A username that exists and refuses the configured password is
			// refused, naming its id, never adopted; checked one by one for
			// a few names...
			plan(fleet(`{ ann = {}, taken1 = {} }`, `{ ann = "secret-1", taken1 = "secret-1" }`),
				`(?s)Username already taken.*named "taken1" already exists on the server \(id 1\).*may belong to someone else`),
			// ...and with one walk of the list for many.
			plan(fleetHCL(1, 11, `{ taken1 = {} }`, 1), `(?s)Username already taken.*named "taken1"`),
		},
	})
	if n := env.mock.Count("POST /accounts"); n != 0 {
		t.Errorf("%d creates were sent by plans that all fail", n)
	}
}

func TestResourceAccounts_import(t *testing.T) {
	env := newTestEnv(t)
	ctx := env.ctx()
	p, err := env.client.CreateProject(ctx, client.ProjectRequest{Name: "Brand", Description: "Brand"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.client.CreateCustomer(ctx, client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "j@example.com", ProjectID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "bob", "carol", "handmade"} {
		in := client.CreateAccountRequest{Username: name, Password: "old-password"}
		if name == "alice" || name == "bob" {
			in.Customer = &client.AccountCustomer{CustomerID: c.ID}
		}
		if _, err := env.client.CreateAccount(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	carol, err := env.client.FindAccountByUsername(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	owned := fmt.Sprintf(`{ alice = { customer_id = %d }, bob = { customer_id = %d } }`, c.ID, c.ID)
	cfg := func(accounts string) string {
		return env.config(fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = %s
  passwords_wo         = { for u, _ in %s : u => "new-${u}" }
  passwords_wo_version = 1
  deletion_protection  = false
}
`, accounts, accounts))
	}
	imported := func(want map[string]string) resource.ImportStateCheckFunc {
		return func(states []*terraform.InstanceState) error {
			if len(states) != 1 {
				return fmt.Errorf("%d states imported, want 1", len(states))
			}
			a := states[0].Attributes
			if a["accounts.%"] != fmt.Sprint(len(want)) {
				return fmt.Errorf("imported %s accounts, want %d", a["accounts.%"], len(want))
			}
			for name, cust := range want {
				if a["accounts."+name+".id"] == "" {
					return fmt.Errorf("%s not imported", name)
				}
				if got := a["accounts."+name+".customer_id"]; got != cust {
					return fmt.Errorf("%s imported with customer_id %q, want %q", name, got, cust)
				}
			}
			return nil
		}
	}
	cust := fmt.Sprint(c.ID)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.accountCount(2), // carol and handmade were never the resource's
		Steps: []resource.TestStep{
			{
				// By usernames and ids: the customers are found.
				Config:           cfg(`{ alice = { customer_id = ` + cust + ` }, carol = {} }`),
				ResourceName:     fleetAddr,
				ImportState:      true,
				ImportStateId:    fmt.Sprintf("alice, %d", carol.ID),
				ImportStateCheck: imported(map[string]string{"alice": cust, "carol": ""}),
			},
			{
				Config:           cfg(owned),
				ResourceName:     fleetAddr,
				ImportState:      true,
				ImportStateId:    "customer:" + cust,
				ImportStateCheck: imported(map[string]string{"alice": cust, "bob": cust}),
			},
			{
				Config:             cfg(owned),
				ResourceName:       fleetAddr,
				ImportState:        true,
				ImportStateId:      fmt.Sprintf("project:%d", p.ID),
				ImportStateCheck:   imported(map[string]string{"alice": cust, "bob": cust}),
				ImportStatePersist: true,
			},
			{
				// After the import, the first apply sets the passwords once
				// and replaces nothing.
				PreConfig: env.resetCalls,
				Config:    cfg(owned),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts": 1, "PUT /accounts/{id}/change_password": 2}),
					env.passwordOf("bob", "new-bob"), env.fleetTracksAll("carol", "handmade"),
				),
			},
			{
				ResourceName:  fleetAddr,
				ImportState:   true,
				ImportStateId: "alice,nobody",
				Config:        cfg(owned),
				ExpectError:   regexp.MustCompile(`No account has the username or id "nobody"`),
			},
		},
	})
}

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

// passwordOf checks that username signs in with password.
func (e *testEnv) passwordOf(username, password string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		acc, err := e.client.FindAccountByUsername(e.ctx(), username)
		if err != nil {
			return err
		}
		if _, err := e.client.ValidateAccount(e.ctx(), acc.ID, username, password); err != nil {
			return fmt.Errorf("%s does not sign in with %q: %w", username, password, err)
		}
		return nil
	}
}

// customerOwns checks that username belongs to the customer in state.
func (e *testEnv) customerOwns(username string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		cid, err := stateID(s, "vpnresellers_customer.c")
		if err != nil {
			return err
		}
		accs, err := e.client.ListAllCustomerAccounts(e.ctx(), cid)
		if err != nil {
			return err
		}
		for _, a := range accs {
			if a.Username == username {
				return nil
			}
		}
		return fmt.Errorf("customer %d does not own %s", cid, username)
	}
}

func TestResourceAccounts_driftIsRepairedEntryByEntry(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.config(fleetHCL(1, 12, "", 1))
	var ids map[string]int64
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					ids = fleetIDs(s)
					return nil
				},
			},
			{
				// Out of band: u0003 disabled, u0007 deleted. The plan shows
				// those two entries and the apply makes exactly 2 writes.
				PreConfig: func() {
					if _, err := env.client.DisableAccount(env.ctx(), ids["u0003"]); err != nil {
						t.Fatal(err)
					}
					if err := env.client.DeleteAccount(env.ctx(), ids["u0007"]); err != nil {
						t.Fatal(err)
					}
					env.resetCalls()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0001").AtMapKey("updated"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0007").AtMapKey("id")),
						plancheck.ExpectUnknownValue(fleetAddr, tfjsonpath.New("accounts").AtMapKey("u0003").AtMapKey("status")),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					// Reads: one list page per refresh, the GET that confirms
					// u0007 is gone before its entry is dropped, the
					// plan-time check (plan and apply) that u0007 is still
					// free, and the high-water mark of the create (2
					// one-item pages: the first, then the last).
					env.expectCalls(map[string]int{
						"GET /accounts": 3, "GET /accounts/{id}": 1, "GET /accounts/check_username": 2,
						"PUT /accounts/{id}/enable": 1, "POST /accounts": 1,
					}),
					env.accountCount(12), env.fleetTracksAll(),
				),
			},
			{
				// An out-of-band expiry is put back too, with one write.
				PreConfig: func() {
					day := "2030-05-01"
					if _, err := env.client.ExpireAccount(env.ctx(), ids["u0005"], &day); err != nil {
						t.Fatal(err)
					}
					env.resetCalls()
				},
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{fleetEntryValue("u0005", "expire_at", knownvalue.Null())},
				Check:             env.expectCalls(map[string]int{"GET /accounts": 1, "PUT /accounts/{id}/expire": 1}),
			},
			{
				// Removing 10 entries is 10 deletes, nothing else.
				PreConfig: env.resetCalls,
				Config:    env.config(fleetHCL(11, 2, "", 1)),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts": 1, "DELETE /accounts/{id}": 10}),
					env.accountCount(2), env.fleetTracksAll(),
				),
			},
		},
	})
}

// fleetIDs reads username -> id from the resource's state.
func fleetIDs(s *terraform.State) map[string]int64 {
	out := map[string]int64{}
	for k, v := range s.RootModule().Resources[fleetAddr].Primary.Attributes {
		name, ok := strings.CutPrefix(k, "accounts.")
		if name, ok2 := strings.CutSuffix(name, ".id"); ok && ok2 {
			var id int64
			if _, err := fmt.Sscan(v, &id); err == nil {
				out[name] = id
			}
		}
	}
	return out
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
				Check:        env.expectCalls(listReads((n + 99) / 100)),
			},
		},
	})
}

func TestResourceAccounts_partialFailureLosesNothing(t *testing.T) {
	env := newTestEnv(t)
	grown := env.configWith("max_retries = 0", fleetHCL(1, 15, "", 1))
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.configWith("max_retries = 0", fleetHCL(1, 5, "", 1))},
			{
				// 10 new accounts; 3 creates are refused (503, nothing done).
				// The other 7 are made and kept; the error names the 3.
				PreConfig:   func() { env.mock.FailNext("POST /accounts", 3, mockapi.FailBefore) },
				Config:      grown,
				ExpectError: regexp.MustCompile(`(?is)Unable to apply 3 of 10 account changes.*u00\d\d: unable to create it: the API did not confirm.*u00\d\d: unable.*u00\d\d: unable`),
			},
			{
				// The state already holds the 7: the next apply creates
				// exactly the 3 missing ones.
				PreConfig: env.resetCalls,
				Config:    grown,
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{
						"GET /accounts": 3, "GET /accounts/check_username": 6, "POST /accounts": 3, // refresh + high-water mark (2)
					}),
					env.accountCount(15), env.fleetTracksAll(),
				),
			},
			{
				// Creates that succeed but answer 500: the client finds the
				// accounts by username, so nothing is duplicated or lost.
				PreConfig: func() { env.mock.FailNext("POST /accounts", 2, mockapi.FailAfter) },
				Config:    env.configWith("max_retries = 0", fleetHCL(1, 17, "", 1)),
				Check:     resource.ComposeTestCheckFunc(env.accountCount(17), env.fleetTracksAll()),
			},
			{
				// Deletes that fail keep their accounts in state.
				PreConfig:   func() { env.mock.FailNext("DELETE /accounts/{id}", 2, mockapi.FailBefore) },
				Config:      env.configWith("max_retries = 0", fleetHCL(1, 7, "", 1)),
				ExpectError: regexp.MustCompile(`(?s)Unable to apply 2 of 10 account changes.*unable to delete it`),
			},
			{
				Config: env.configWith("max_retries = 0", fleetHCL(1, 7, "", 1)),
				Check:  resource.ComposeTestCheckFunc(env.accountCount(7), env.fleetTracksAll()),
			},
		},
	})
}

// A first apply that fails partway records the accounts it made and
// reports the others as a warning, so that Terraform does not taint the
// resource (a tainted fleet would be replaced: every account deleted and
// made again). The next plain apply creates exactly the missing ones.
func TestResourceAccounts_failedFirstApplyKeepsWhatItMade(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.configWith("max_retries = 0", fleetHCL(1, 5, "", 1))
	var firstIDs map[string]int64
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.mock.FailNext("POST /accounts", 2, mockapi.FailBefore) },
				Config:    cfg,
				// The apply "succeeds" with a warning; the 2 failed entries
				// are in state without an id, so the plan that follows
				// creates them.
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					firstIDs = fleetIDs(s)
					if len(firstIDs) != 3 {
						return fmt.Errorf("state holds %d accounts after the failed first apply, want 3", len(firstIDs))
					}
					return resource.ComposeTestCheckFunc(env.accountCount(3),
						resource.TestCheckResourceAttr(fleetAddr, "accounts.%", "5"))(s)
				},
			},
			{
				PreConfig: env.resetCalls,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(s *terraform.State) error {
					for name, id := range firstIDs {
						if got := fleetIDs(s)[name]; got != id {
							return fmt.Errorf("%s was id %d, now %d: re-created", name, id, got)
						}
					}
					return resource.ComposeTestCheckFunc(
						// Refresh and the high-water mark (2 pages), a name check
						// per placeholder in each of the two plans, 2 creates;
						// no delete.
						env.expectCalls(map[string]int{"GET /accounts": 3, "GET /accounts/check_username": 4, "POST /accounts": 2}),
						env.accountCount(5), env.fleetTracksAll())(s)
				},
			},
		},
	})
}

// With one request in ten failing, 200 accounts converge within 3 applies
// to exactly 200 accounts, every one tracked.
func TestResourceAccounts_failureRateConverges(t *testing.T) {
	env := newTestEnv(t)
	// Each create has one budget of failed calls for its POST and the
	// lookups that settle it. At 10% failures the default budget (4) runs
	// out for about one create in 2,000, which the first apply then reports
	// as a warning (TestResourceAccounts_faultyFirstApplyConverges covers that): this
	// test is about converging, so it gives the budget room.
	cfg := env.configWith("max_retries = 12", fleetHCL(1, 200, "", 1))
	converged := func(s *terraform.State) error {
		return resource.ComposeTestCheckFunc(env.accountCount(200), env.fleetTracksAll())(s)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.mock.SetFailureRate(0.1) },
				Config:    cfg,
				Check:     converged,
			},
			{
				PreConfig: func() { env.mock.SetFailureRate(0) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: converged,
			},
		},
	})
}
