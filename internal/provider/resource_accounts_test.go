package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
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
						"GET /projects": 3, "GET /customers": 3,
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
			// A username that exists, and that this resource's state holds
			// no record of having made, is refused, never adopted; checked
			// one by one for a few names...
			plan(fleet(`{ ann = {}, taken1 = {} }`, `{ ann = "secret-1", taken1 = "secret-1" }`),
				`(?s)Username already taken.*named "taken1" already exists on the server, and this\s+resource's\s+state\s+holds\s+no\s+record.*may\s+belong\s+to\s+someone\s+else`),
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
				ExpectError:   regexp.MustCompile(`(?s)No account found.*There is no account with username "nobody"`),
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
