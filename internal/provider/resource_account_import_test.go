package provider

import (
	"fmt"
	"maps"
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

// vpnresellers_account: import blocks, adoption of a taken username, and
// import ids that could name two accounts.

func TestResourceAccount_importBlockByUsername(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.config(accountConfig("carol", `password = "secret-1"`))},
			{
				// After an import with a matching configuration the plan
				// shows no replacement (customer_id was found) and only
				// the password, which the API never returns, is set again.
				ResourceName:    accountAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "carol",
				// The update is the password being set in state.
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.Int64Exact(1)),
						plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("username"), knownvalue.StringExact("carol")),
					},
				},
			},
		},
	})
}

// An account made outside Terraform, adopted with an import block that
// gives neither customer_id nor a password: the plan imports it and changes
// nothing, customer_id comes from the API. Later, a password set in the
// configuration is sent once; taken out again, the account keeps it.
func TestResourceAccount_adoptWithoutCustomerIDOrPassword(t *testing.T) {
	env := newTestEnv(t)
	p, err := env.client.CreateProject(env.ctx(), client.ProjectRequest{Name: "Old", Description: "made in the panel"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.client.CreateCustomer(env.ctx(), client.CreateCustomerRequest{FirstName: "A", LastName: "B", Email: "ab@example.com", ProjectID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: "adopted", Password: "panel-pass-1", Customer: &client.AccountCustomer{CustomerID: c.ID}})
	if err != nil {
		t.Fatal(err)
	}
	bare := env.config(`
resource "vpnresellers_account" "test" {
  username = "adopted"
}
`)
	checkPassword := func(password string) func(*terraform.State) error {
		return func(*terraform.State) error {
			res, err := env.client.ValidateAccount(env.ctx(), acc.ID, "adopted", password)
			if err != nil || !res.Success {
				return fmt.Errorf("password %q does not work: %v %+v", password, err, res)
			}
			return nil
		}
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: bare + `
import {
  to = vpnresellers_account.test
  id = "adopted"
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.Int64Exact(c.ID)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(acc.ID)),
				},
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error { return env.expectNoWrites() },
					checkPassword("panel-pass-1"),
				),
			},
			{
				// Setting the password sends it.
				PreConfig: env.resetCalls,
				Config:    strings.Replace(bare, `username = "adopted"`, `username = "adopted"`+"\n"+`password = "tf-pass-22"`, 1),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts/{id}": 1, "PUT /accounts/{id}/change_password": 1}),
					checkPassword("tf-pass-22"),
				),
			},
			{
				// Taking it out again keeps it: no API write.
				PreConfig: env.resetCalls,
				Config:    bare,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error { return env.expectNoWrites() },
					checkPassword("tf-pass-22"),
				),
			},
		},
	})
}

// A username someone else already has fails the plan, on the attribute,
// naming it as possibly someone else's and the import that would take it
// if it is yours (this state holds no record of having made it); the failed
// plan writes nothing, and costs one request.
func TestResourceAccount_takenUsernameFailsAtPlan(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(1, "taken")
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "vpnresellers_account" "test" {
  username = %q
  password = "secret-1"
}
`, name))
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   env.resetCalls,
				Config:      cfg("taken1"),
				ExpectError: regexp.MustCompile(`(?s)Username already taken.*with vpnresellers_account.test,.*username = "taken1".*holds no\s+record.*may\s+belong\s+to\s+someone\s+else.*Choose\s+another\s+one.*id = "username:taken1"`),
			},
			{
				PreConfig: func() {
					// The check only: no password is tried on it.
					if err := env.expectCalls(map[string]int{"GET /accounts/check_username": 1})(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("free1"),
			},
		},
	})
}

// An import string that is a number and also an account's username is
// refused, showing both ways to say it; both work, and a number nobody has
// as a username is still an id.
func TestResourceAccount_importAmbiguousID(t *testing.T) {
	env := newTestEnv(t)
	for _, u := range []string{"u1", "u2", "2"} { // ids 1, 2, 3
		if _, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: u, Password: "secret-1"}); err != nil {
			t.Fatal(err)
		}
	}
	w := faultWorkspace(t, env, "", `
resource "vpnresellers_account" "by_id" {
  username = "u2"
}

resource "vpnresellers_account" "by_username" {
  username = "2"
}

resource "vpnresellers_account" "plain" {
  username = "u1"
}

resource "vpnresellers_account" "spare" {
  username = "spare"
}
`)
	env.mock.ResetCounts()
	r := w.Run(nil, "import", "-no-color", "vpnresellers_account.by_id", "2")
	if r.Err == nil {
		t.Fatalf("an ambiguous import succeeded:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Ambiguous import ID", `"2" could be an account id, and it is also the username of account 3`,
		"terraform import <resource address> id:2", "terraform import <resource address> username:2",
		`id = "id:2" or id = "username:2"`)
	if n := len(stateObjects(t, w).Accounts); n != 0 {
		t.Fatalf("the refused import left %d accounts in state", n)
	}
	for route, n := range env.mock.Counts() {
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			t.Errorf("the refused import wrote: %d %s", n, route)
		}
	}
	w.MustRun(nil, "import", "-no-color", "vpnresellers_account.by_id", "id:2")
	w.MustRun(nil, "import", "-no-color", "vpnresellers_account.by_username", "username:2")
	env.mock.ResetCounts()
	w.MustRun(nil, "import", "-no-color", "vpnresellers_account.plain", "1")
	if n := env.mock.Count("GET /accounts/check_username"); n != 1 {
		t.Errorf("a plain id asked %d times whether it is a username, want 1", n)
	}
	if n := env.mock.Count("GET /accounts"); n != 0 {
		t.Errorf("a plain id that is nobody's username walked the accounts (%d pages)", n)
	}
	want := map[int]string{1: "u1", 2: "u2", 3: "2"}
	if got := stateObjects(t, w).Accounts; !maps.Equal(got, want) {
		t.Errorf("state holds %v, want %v", got, want)
	}
	for _, bad := range []string{"id:two", "id:0", "username:"} {
		if r := w.Run(nil, "import", "-no-color", "vpnresellers_account.spare", bad); r.Err == nil {
			t.Errorf("import %q succeeded", bad)
		} else {
			mentions(t, r.Output(), "Invalid import ID")
		}
	}
}
