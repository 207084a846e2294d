package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

const fleetAddr = "vpnresellers_accounts.fleet"

// writeOnly skips below Terraform 1.11, the first with write-only arguments.
var writeOnly = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

// fleetHCL is a vpnresellers_accounts with n accounts u0001..u<n> (from
// first), each with password "pw-<username>", overrides merged over the
// generated entries (an HCL object expression keyed by username), and
// passwords_wo_version = version.
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
}
`, first, first+n, overrides, version)
}

// fleetName is the username fleetHCL gives account i.
func fleetName(i int) string { return fmt.Sprintf("u%04d", i) }

// accountCount checks how many accounts the API holds.
func (e *testEnv) accountCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, _, n := e.mock.Len(); n != want {
			return fmt.Errorf("the API holds %d accounts, want %d", n, want)
		}
		return nil
	}
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

func TestAccAccounts_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(1, "handmade") // handmade1: never touched
	resource.ParallelTest(t, resource.TestCase{
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
					// 3 creates, the expiry and the disable of u0002, and
					// the plan-time check that the 3 names are free (plan
					// and apply each ask once per name).
					env.expectCalls(map[string]int{
						"POST /accounts": 3, "PUT /accounts/{id}/expire": 1, "PUT /accounts/{id}/disable": 1,
						"GET /accounts/check_username": 6,
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
					env.expectCalls(withCalls(listReads(1), map[string]int{
						"POST /projects": 1, "POST /customers": 1, "DELETE /accounts/{id}": 1, "POST /accounts": 1,
					})),
					env.accountCount(4), env.fleetTracksAll("handmade1"), env.customerOwns("u0003"),
				),
			},
		},
	})
}

// passwordOf checks that username signs in with password.
func (e *testEnv) passwordOf(username, password string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := e.client.GetAccountByUsername(e.ctx(), username, password); err != nil {
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

var (
	_ = time.Second
	_ = regexp.MustCompile
	_ = mockapi.FailBefore
)
