package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// dsAccountIDs checks a list of accounts holds exactly these ids, in order.
func dsAccountIDs(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)})
	}
	return knownvalue.ListExact(checks)
}

func TestDataSourceAccounts_pagination(t *testing.T) {
	env := newTestEnv(t)
	ids := env.mock.SeedAccounts(350, "bulk") // 4 pages of 100
	var disabled []int64
	for _, i := range []int{10, 200, 349} {
		if _, err := env.client.DisableAccount(env.ctx(), int64(ids[i])); err != nil {
			t.Fatal(err)
		}
		disabled = append(disabled, int64(ids[i]))
	}
	first, err := env.client.GetAccount(env.ctx(), int64(ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	accounts := tfjsonpath.New("accounts")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_accounts" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.all", accounts, knownvalue.ListSizeExact(350)),
					// Every field but the private key, which the list leaves out.
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.all", accounts.AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":            knownvalue.Int64Exact(first.ID),
						"username":      knownvalue.StringExact("bulk1"),
						"status":        knownvalue.StringExact("Active"),
						"enabled":       knownvalue.Bool(true),
						"expire_at":     knownvalue.Null(),
						"wg_ip":         knownvalue.StringExact(first.WgIP),
						"wg_public_key": knownvalue.StringExact(first.WgPublicKey),
						"created":       knownvalue.StringExact(first.Created),
						"updated":       knownvalue.StringExact(first.Updated),
					})),
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.all", accounts.AtSliceIndex(349).AtMapKey("username"),
						knownvalue.StringExact("bulk350")),
					dsNoSecretInState{first.WgPrivateKey},
				},
				// One request per page, not per account.
				Check: env.expectCalls(map[string]int{"GET /accounts": seamed(4)}),
			},
			{
				// The API filters by status: one page.
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_accounts" "disabled" { status = "Disabled" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.disabled", accounts, dsAccountIDs(disabled...)),
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.disabled", accounts.AtSliceIndex(0).AtMapKey("enabled"), knownvalue.Bool(false)),
				},
				Check: env.expectCalls(map[string]int{"GET /accounts": 1}),
			},
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_accounts" "active" { status = "Active" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.active", accounts, knownvalue.ListSizeExact(347)),
				},
				Check: env.expectCalls(map[string]int{"GET /accounts": seamed(4)}),
			},
		},
	})
}

func TestDataSourceAccounts_customerAndProject(t *testing.T) {
	env := newTestEnv(t)
	p1 := env.mock.SeedProject("One", "first")
	p2 := env.mock.SeedProject("Two", "second")
	c1 := env.mock.SeedCustomer(p1, "Ann", "A", "ann@example.com")
	c2 := env.mock.SeedCustomer(p1, "Ben", "B", "ben@example.com")
	c3 := env.mock.SeedCustomer(p2, "Cid", "C", "cid@example.com")
	newAccount := func(name string, customerID int) int64 {
		in := client.CreateAccountRequest{Username: name, Password: "password1"}
		if customerID != 0 {
			in.Customer = &client.AccountCustomer{CustomerID: int64(customerID)}
		}
		acc, err := env.client.CreateAccount(env.ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		return acc.ID
	}
	a1, a2, a3, a4 := newAccount("a1", c1), newAccount("a2", c1), newAccount("a3", c2), newAccount("a4", c3)
	newAccount("a5", 0) // no customer
	if _, err := env.client.DisableAccount(env.ctx(), a2); err != nil {
		t.Fatal(err)
	}
	accounts := tfjsonpath.New("accounts")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The customer endpoint has no status filter: the provider
				// filters the answer itself.
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_accounts" "c1" { customer_id = %[1]d }
data "vpnresellers_accounts" "c1_active" {
  customer_id = %[1]d
  status      = "Active"
}
`, c1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.c1", accounts, dsAccountIDs(a1, a2)),
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.c1_active", accounts, dsAccountIDs(a1)),
				},
				Check: env.expectCalls(map[string]int{"GET /customers/{id}/accounts": 2}),
			},
			{
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_accounts" "p1" { project_id = %[1]d }
data "vpnresellers_accounts" "p1_disabled" {
  project_id = %[1]d
  status     = "Disabled"
}
data "vpnresellers_accounts" "p2" { project_id = %[2]d }
`, p1, p2)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.p1", accounts, dsAccountIDs(a1, a2, a3)),
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.p1_disabled", accounts, dsAccountIDs(a2)),
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.p2", accounts, dsAccountIDs(a4)),
				},
				Check: env.expectCalls(map[string]int{"GET /projects/{id}/accounts": 3}),
			},
			{
				// A customer without accounts: an empty list, not an error.
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_accounts" "none" {
  customer_id = %d
  status      = "Disabled"
}
`, c2)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_accounts.none", accounts, knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

func TestDataSourceAccounts_errors(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_accounts" "x" {
  customer_id = 1
  project_id  = 1
}
`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*"project_id" cannot be specified when "customer_id" is\s+specified`),
			},
			{
				Config:      env.config(`data "vpnresellers_accounts" "x" { status = "active" }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*status value must be one of`),
			},
			{
				Config: env.config(`
data "vpnresellers_accounts" "x" {
  customer_id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No customer found.*customer_id = 999\n.*There is no customer with id 999\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_accounts" "x" {
  project_id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No project found.*project_id = 999\n.*There is no project with id 999\.`),
			},
		},
	})
}
