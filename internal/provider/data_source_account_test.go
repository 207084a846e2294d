package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestDataSourceAccount_byID(t *testing.T) {
	env := newTestEnv(t)
	created := dsCreateAccount(env, "alice")
	expire := "2030-01-31"
	if _, err := env.client.ExpireAccount(env.ctx(), created.ID, &expire); err != nil {
		t.Fatal(err)
	}
	acc, err := env.client.DisableAccount(env.ctx(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	const addr = "data.vpnresellers_account.this"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(fmt.Sprintf(`data "vpnresellers_account" "this" { id = %d }`, acc.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(acc.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("username"), knownvalue.StringExact("alice")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Disabled")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("expire_at"), knownvalue.StringExact(expire)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("wg_ip"), knownvalue.StringExact(acc.WgIP)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("wg_public_key"), knownvalue.StringExact(acc.WgPublicKey)),
					// The private key is never among the results.
					dsNoSecretInState{acc.WgPrivateKey},
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created"), knownvalue.StringExact(acc.Created)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated"), knownvalue.StringExact(acc.Updated)),
				},
				Check: env.expectCalls(map[string]int{"GET /accounts/{id}": 1}),
			},
		},
	})
}

// The API cannot search by username: the lookup walks every page of the
// account list, one request per page.
func TestDataSourceAccount_byUsernamePastSeveralPages(t *testing.T) {
	env := newTestEnv(t)
	ids := env.mock.SeedAccounts(350, "user") // 4 pages of 100
	const addr = "data.vpnresellers_account.this"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_account" "this" { username = "user342" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(int64(ids[341]))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("username"), knownvalue.StringExact("user342")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("expire_at"), knownvalue.Null()),
				},
				Check: env.expectCalls(map[string]int{"GET /accounts": seamed(4)}),
			},
		},
	})
}

// An account managed in the same configuration, looked up both ways.
func TestDataSourceAccount_withAccountResource(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_account" "a" {
  username  = "bob"
  password  = "password1"
  expire_at = "2031-12-31"
}

data "vpnresellers_account" "by_id" {
  id = vpnresellers_account.a.id
}

data "vpnresellers_account" "by_name" {
  username   = vpnresellers_account.a.username
  depends_on = [vpnresellers_account.a]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("vpnresellers_account.a", tfjsonpath.New("wg_public_key"),
						"data.vpnresellers_account.by_id", tfjsonpath.New("wg_public_key"), compare.ValuesSame()),
					statecheck.CompareValuePairs("vpnresellers_account.a", tfjsonpath.New("id"),
						"data.vpnresellers_account.by_name", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs("vpnresellers_account.a", tfjsonpath.New("wg_public_key"),
						"data.vpnresellers_account.by_name", tfjsonpath.New("wg_public_key"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.vpnresellers_account.by_id", tfjsonpath.New("username"), knownvalue.StringExact("bob")),
					statecheck.ExpectKnownValue("data.vpnresellers_account.by_name", tfjsonpath.New("expire_at"), knownvalue.StringExact("2031-12-31")),
				},
			},
		},
	})
}

func TestDataSourceAccount_noMatch(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(3, "user")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_account" "x" {
  id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No account found.*` +
					`id = 999\n.*There is no account with id 999\.`),
			},
			{
				// Usernames are matched exactly.
				Config: env.config(`
data "vpnresellers_account" "x" {
  username = "USER1"
}
`),
				ExpectError: regexp.MustCompile(`(?s)No account found.*` +
					`username = "USER1"\n.*There is no account with username "USER1"\.`),
			},
		},
	})
}

func TestDataSourceAccount_keyValidation(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_account" "x" {
  id       = 1
  username = "alice"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be\s+configured: \[id,username\]`),
			},
			{
				Config:      env.config(`data "vpnresellers_account" "x" {}`),
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be\s+configured: \[id,username\]`),
			},
			{
				Config:      env.config(`data "vpnresellers_account" "x" { id = 0 }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value.*value must be at least 1`),
			},
		},
	})
}

// A lookup that meets a 404 that is not the API's own "Account not found."
// (a proxy's page, a wrong base_url) is an error naming the URL, never a
// "no account found" verdict about the account.
func TestDataSourceAccount_proxyNotFoundIsNotNoMatch(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	env.mock.SeedAccounts(1, "seen")
	px.fail(`^GET /v4_1/accounts/\d+$`)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(`data "vpnresellers_account" "x" { id = 1 }`),
			ExpectError: regexp.MustCompile(`(?s)Unable to look up the account with id 1.*/v4_1/accounts/1.*base_url`),
		}},
	})
}
