package provider

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

const accountParents = `
resource "vpnresellers_project" "p" {
  name        = "Brand"
  description = "Brand project"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.p.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}
`

// accountConfig renders an account owned by the customer above; extra
// holds further arguments.
func accountConfig(username, extra string) string {
	return accountParents + fmt.Sprintf(`
resource "vpnresellers_account" "test" {
  username    = %q
  customer_id = vpnresellers_customer.c.id
  %s
}
`, username, extra)
}

const accountAddr = "vpnresellers_account.test"

// parentReads are the refresh reads of the project and customer.
var parentReads = map[string]int{"GET /projects/{id}": 1, "GET /customers/{id}": 1}

func withCalls(base map[string]int, more map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range base {
		out[k] += v
	}
	for k, v := range more {
		out[k] += v
	}
	return out
}

func TestResourceAccount_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	var id int64
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(accountConfig("alice", `password = "secret-1"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("expire_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("wg_ip"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`))),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("wg_public_key"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9+/]{43}=$`))),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("wg_public_key"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9+/]{43}=$`))),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("created"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(accountAddr, tfjsonpath.New("customer_id"), "vpnresellers_customer.c", tfjsonpath.New("id"), compareEqual),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"POST /projects": 1, "PUT /projects/{id}": 1, "POST /customers": 1, "PUT /customers/{id}": 1, "POST /accounts": 1, "GET /accounts/check_username": 2, "GET /projects": 1, "GET /customers": 3, "GET /accounts": 1}),
					env.passwordOf("alice", "secret-1"),
					func(s *terraform.State) (err error) { id, err = stateID(s, accountAddr); return err },
					func(*terraform.State) error {
						accs, err := env.client.ListAllCustomerAccounts(env.ctx(), 1)
						if err != nil || len(accs) != 1 || accs[0].Username != "alice" {
							return fmt.Errorf("customer 1 accounts: %v, %v", accs, err)
						}
						return nil
					},
				),
			},
			{
				// Disabling is one call, in place.
				PreConfig: env.resetCalls,
				Config:    env.config(accountConfig("alice", `password = "secret-1"`+"\n enabled = false")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("status"), knownvalue.StringExact("Disabled")),
				},
				Check: env.expectCalls(withCalls(parentReads, map[string]int{"GET /accounts/{id}": 1, "PUT /accounts/{id}/disable": 1})),
			},
			{
				// Setting an expiry date is one call.
				PreConfig: env.resetCalls,
				Config:    env.config(accountConfig("alice", `password = "secret-1"`+"\n enabled = false\n expire_at = \"2031-01-31\"")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("expire_at"), knownvalue.StringExact("2031-01-31")),
				},
				Check: env.expectCalls(withCalls(parentReads, map[string]int{"GET /accounts/{id}": 1, "PUT /accounts/{id}/expire": 1})),
			},
			{
				// Rotating the password, enabling again and going back to
				// auto-renewal: exactly the three endpoints concerned.
				PreConfig: env.resetCalls,
				Config:    env.config(accountConfig("alice", `password = "secret-2"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("expire_at"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(withCalls(parentReads, map[string]int{
						"GET /accounts/{id}": 1, "PUT /accounts/{id}/change_password": 1,
						"PUT /accounts/{id}/enable": 1, "PUT /accounts/{id}/expire": 1,
					})),
					env.passwordOf("alice", "secret-2"),
				),
			},
			{
				ResourceName:            accountAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				ResourceName:            accountAddr,
				ImportState:             true,
				ImportStateId:           "alice",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				// Out-of-band disable: the plan enables the account again.
				PreConfig: func() {
					if _, err := env.client.DisableAccount(env.ctx(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(accountConfig("alice", `password = "secret-2"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
				},
			},
			{
				// Renaming replaces the account.
				Config: env.config(accountConfig("alice2", `password = "secret-2"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("username"), knownvalue.StringExact("alice2")),
				},
				Check: func(s *terraform.State) (err error) { id, err = stateID(s, accountAddr); return err },
			},
			{
				// Out-of-band delete: created again.
				PreConfig: func() {
					if err := env.client.DeleteAccount(env.ctx(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(accountConfig("alice2", `password = "secret-2"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestResourceAccount_createDisabledAndExpiring(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(`
resource "vpnresellers_account" "test" {
  username  = "bob"
  password  = "secret-1"
  enabled   = false
  expire_at = "2030-06-30"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("status"), knownvalue.StringExact("Disabled")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("expire_at"), knownvalue.StringExact("2030-06-30")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.Null()),
				},
				Check: env.expectCalls(map[string]int{"POST /accounts": 1, "PUT /accounts/{id}/disable": 1, "PUT /accounts/{id}/expire": 1, "GET /accounts/check_username": 2, "GET /accounts": 1}),
			},
			{
				// An account without a customer imports without one.
				ResourceName:            accountAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
		},
	})
}

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

func TestResourceAccount_writeOnlyPassword(t *testing.T) {
	env := newTestEnv(t)
	cfg := func(password string, version int) string {
		return env.config(fmt.Sprintf(`
resource "vpnresellers_account" "test" {
  username            = "dave"
  password_wo         = %q
  password_wo_version = %d
}
`, password, version))
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg("first-secret", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeTestCheckFunc(env.passwordOf("dave", "first-secret"), noStateValue("first-secret")),
			},
			{
				// A new write-only value alone is invisible to Terraform...
				Config:   cfg("second-secret", 1),
				PlanOnly: true,
			},
			{
				// ...bumping the version sends it, in place.
				PreConfig: env.resetCalls,
				Config:    cfg("second-secret", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts/{id}": 1, "PUT /accounts/{id}/change_password": 1}),
					env.passwordOf("dave", "second-secret"),
					noStateValue("second-secret"),
				),
			},
			{
				// Switching to a plain password is a password change too.
				Config: env.config(`
resource "vpnresellers_account" "test" {
  username = "dave"
  password = "third-secret"
}
`),
				Check: env.passwordOf("dave", "third-secret"),
			},
		},
	})
}

// noStateValue checks that no attribute of any resource in state holds s.
func noStateValue(secret string) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		for name, rs := range st.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, secret) {
					return fmt.Errorf("%s.%s holds the secret", name, k)
				}
			}
		}
		return nil
	}
}

func TestResourceAccount_validation(t *testing.T) {
	env := newTestEnv(t)
	acc := func(body string) string {
		return env.config(`resource "vpnresellers_account" "test" {` + "\n" + body + "\n}")
	}
	steps := []resource.TestStep{
		{Config: acc(`username = "e"` + "\n" + `password = "short"`), ExpectError: regexp.MustCompile(`(?s)password.*at least 6`)},
		{Config: acc(`username = "e"`), ExpectError: regexp.MustCompile(`(?s)Missing password.*with vpnresellers_account.test,.*A new account needs a password`)},
		{Config: acc(`username = ""` + "\n" + `password = "secret-1"`), ExpectError: regexp.MustCompile(`(?s)Invalid username.*must not be empty`)},
		{Config: acc(`username = "e"` + "\n" + `password = "secret-1"` + "\n" + `expire_at = "31/01/2030"`), ExpectError: regexp.MustCompile(`(?s)Invalid expire_at.*YYYY-MM-DD`)},
		{Config: acc(`username = "e"` + "\n" + `password = "secret-1"` + "\n" + `expire_at = "2030-02-30"`), ExpectError: regexp.MustCompile(`(?s)Invalid expire_at`)},
		{Config: acc(`username = "e"` + "\n" + `password = "secret-1"` + "\n" + `customer_id = 0`), ExpectError: regexp.MustCompile(`(?s)customer_id.*at least 1`)},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	unitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

func TestResourceAccount_writeOnlyValidation(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:      env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "e"` + "\n" + `password = "secret-1"` + "\n" + `password_wo = "secret-2"` + "\n" + `password_wo_version = 1` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
				PlanOnly:    true,
			},
			{
				Config:      env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "e"` + "\n" + `password_wo = "secret-2"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)password_wo_version`),
				PlanOnly:    true,
			},
		},
	})
}

func TestResourceAccount_apiErrors(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				// 402: nothing is created and the person is told why.
				PreConfig:   func() { env.mock.SetAccountPrice("5.00"); env.mock.SetBalance("1.00") },
				Config:      env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "frank"` + "\n" + `password = "secret-1"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Unable to create account.*balance is too low`),
			},
			{
				// A username taken outside Terraform, by an account that does
				// not accept the configured password: found at plan time, on
				// the attribute, as possibly someone else's.
				PreConfig: func() {
					env.mock.SetBalance("100.00")
					env.mock.SeedAccounts(1, "frank")
				},
				Config:      env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "frank1"` + "\n" + `password = "secret-1"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Username "frank1" is taken.*with vpnresellers_account.test,.*username = "frank1".*does not accept the password.*may\s+belong\s+to\s+someone\s+else.*Choose\s+another\s+username`),
			},
			{
				PreConfig: func() {
					accs, err := env.client.ListAllAccounts(env.ctx(), "")
					if err != nil || len(accs) != 1 {
						t.Fatalf("accounts: %v %v", accs, err)
					}
					if err := env.client.DeleteAccount(env.ctx(), accs[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: `
provider "vpnresellers" {
  base_url = "` + env.url + `"
  token    = "wrong-token"
}
resource "vpnresellers_project" "test" {
  name        = "x"
  description = "y"
}
`,
				ExpectError: regexp.MustCompile(`(?s)401 Unauthorized.*VPNRESELLERS_TOKEN`),
			},
		},
	})
}

func TestResourceAccount_createOutcomeUnknownIsRecovered(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				// The API creates the account but the answer is lost (500):
				// the provider finds it by username instead of creating a
				// second one or losing track of it.
				PreConfig: func() {
					env.resetCalls()
					env.mock.FailNext("POST /accounts", 1, mockapi.FailAfter)
				},
				Config: env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "gina"` + "\n" + `password = "secret-1"` + "\n}"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"POST /accounts": 1, "GET /un/accounts/show": 1, "GET /accounts/check_username": 2, "GET /accounts": 1}),
					env.accountCount(1),
				),
			},
			{
				// The answer is lost before the API acts: the create is
				// tried again once the lookup shows nothing was made.
				PreConfig: func() {
					env.resetCalls()
					env.mock.FailNext("POST /accounts", 1, mockapi.FailBefore)
				},
				Config: env.config(`
resource "vpnresellers_account" "test" {
  username = "gina"
  password = "secret-1"
}
resource "vpnresellers_account" "second" {
  username = "hank"
  password = "secret-1"
}
`),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts/{id}": 1, "POST /accounts": 2, "GET /un/accounts/show": 1, "GET /accounts/check_username": 2, "GET /accounts": 1}),
					env.accountCount(2),
				),
			},
			{
				// 429 on a create is retried after Retry-After.
				PreConfig: func() {
					env.resetCalls()
					env.mock.FailNext("POST /accounts", 1, mockapi.FailRateLimited)
				},
				Config: env.config(`
resource "vpnresellers_account" "test" {
  username = "gina"
  password = "secret-1"
}
resource "vpnresellers_account" "second" {
  username = "hank"
  password = "secret-1"
}
resource "vpnresellers_account" "third" {
  username = "ivan"
  password = "secret-1"
}
`),
				Check: env.expectCalls(map[string]int{"GET /accounts/{id}": 2, "POST /accounts": 2, "GET /accounts/check_username": 2, "GET /accounts": 2}),
			},
		},
	})
}

func TestResourceAccount_failedFollowUpKeepsTheAccount(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.configWith("max_retries = 1", `
resource "vpnresellers_account" "test" {
  username = "kate"
  password = "secret-1"
  enabled  = false
}
`)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				// The account is created but disabling it keeps failing: the
				// apply fails, and the account is kept in state (tainted)
				// rather than lost.
				PreConfig:   func() { env.mock.FailNext("PUT /accounts/{id}/disable", 2, mockapi.FailBefore) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to disable account 1.*after every retry`),
			},
			{
				// Nothing more was written: still exactly one account, the
				// first. (What the plan of the tainted account says, and
				// that untaint keeps it: TestResourceAccount_untaintFinishesInPlace.)
				PreConfig: func() {
					if err := env.holds(-1, -1, 1); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(""), // the account leaves the configuration: deleted
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

// A username someone else already has (its account refuses the configured
// password) fails the plan, on the attribute, naming the account as possibly
// someone else's; the failed plan writes nothing.
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
				ExpectError: regexp.MustCompile(`(?s)Username "taken1" is taken.*with vpnresellers_account.test,.*username = "taken1".*\(id 1\).*does not accept the password.*may\s+belong\s+to\s+someone\s+else.*Choose\s+another\s+username`),
			},
			{
				PreConfig: func() {
					// The check and the proof (the account's own view, refused;
					// then the walk that names it).
					if err := env.expectCalls(map[string]int{"GET /accounts/check_username": 1, "GET /un/accounts/show": 1, "GET /accounts": 1})(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("free1"),
			},
		},
	})
}

// A fractional id is an error on the attribute that says so, not an
// internal error of the provider.
func TestResourceAccount_fractionalIDs(t *testing.T) {
	env := newTestEnv(t)
	steps := []resource.TestStep{
		{
			Config: env.config(`
resource "vpnresellers_account" "test" {
  username    = "frac"
  password    = "secret-1"
  customer_id = 1.5
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid customer_id.*with vpnresellers_account.test,.*1\.5 is not a whole number`),
		},
		{
			Config: env.config(`
resource "vpnresellers_customer" "test" {
  project_id = 3.25
  first_name = "A"
  last_name  = "B"
  email      = "ab@example.com"
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid project_id.*3\.25 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_account" "x" { id = 2.5 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*2\.5 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_customer" "x" { id = 7.1 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*7\.1 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_project" "x" { id = 0.5 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*0\.5 is not a whole number`),
		},
		{
			Config: env.config(`data "vpnresellers_wireguard_config" "x" {
  server_id  = 1.5
  account_id = 1
}`),
			ExpectError: regexp.MustCompile(`(?s)Invalid server_id.*1\.5 is not a whole number`),
		},
		{
			Config: env.config(`data "vpnresellers_openvpn_config" "x" {
  server_id = 1
  port_id   = 2.5
}`),
			ExpectError: regexp.MustCompile(`(?s)Invalid port_id.*2\.5 is not a whole number`),
		},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	unitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// A state written by schema version 0 holds the WireGuard private key; the
// upgrade to version 1 leaves it behind and keeps everything else.
func TestResourceAccount_upgradeFromV0DropsPrivateKey(t *testing.T) {
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := schemas.ResourceSchemas["vpnresellers_account"]
	if s.Version != 1 {
		t.Fatalf("schema version %d, want 1", s.Version)
	}
	v0 := `{"id":7,"username":"alice","password":"secret-1","password_wo":null,"password_wo_version":null,` +
		`"customer_id":3,"enabled":true,"expire_at":"2031-01-31","status":"Active","wg_ip":"10.8.0.7",` +
		`"wg_public_key":"PUBLIC-KEY","wg_private_key":"PRIVATE-KEY-v0","created":"2024-01-01 00:00:00","updated":"2024-01-02 00:00:00"}`
	resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "vpnresellers_account", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(v0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	if resp.UpgradedState == nil {
		t.Fatal("no upgraded state")
	}
	if strings.Contains(string(resp.UpgradedState.MsgPack)+string(resp.UpgradedState.JSON), "PRIVATE-KEY-v0") {
		t.Fatal("the upgraded state still holds the private key")
	}
	v, err := resp.UpgradedState.Unmarshal(s.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if _, ok := attrs["wg_private_key"]; ok {
		t.Fatal("wg_private_key is still an attribute")
	}
	want := map[string]string{"username": "alice", "wg_public_key": "PUBLIC-KEY", "expire_at": "2031-01-31", "password": "secret-1"}
	for name, w := range want {
		var got string
		if err := attrs[name].As(&got); err != nil || got != w {
			t.Errorf("%s = %q (%v), want %q", name, got, err, w)
		}
	}
	var cust big.Float
	if err := attrs["customer_id"].As(&cust); err != nil || cust.String() != "3" {
		t.Errorf("customer_id = %s (%v), want 3", cust.String(), err)
	}
}

// Warnings only show in the CLI's output: a plan that replaces an account
// names it and what is lost; a past expire_at warns; an http:// base_url to
// another machine warns, one to this machine does not.
func TestResourceAccount_planWarnings(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	account := func(username, extra string) string {
		return env.providerBlock("") + fmt.Sprintf(`
resource "vpnresellers_account" "a" {
  username = %q
  password = "secret-1"
  %s
}
`, username, extra)
	}
	w.Write("main.tf", account("warn-a", ""))
	w.MustRun(nil, "init", "-no-color")
	out := w.MustRun(nil, "apply", "-auto-approve", "-no-color").Output()
	if strings.Contains(out, "Warning") {
		t.Fatalf("a plain create (http:// to 127.0.0.1) warned:\n%s", out)
	}

	w.Write("main.tf", account("warn-b", `expire_at = "2020-01-31"`))
	out = w.MustRun(nil, "plan", "-no-color").Output()
	for _, want := range []string{
		`Warning: Account "warn-a" (id 1) will be replaced`,
		"new id and new WireGuard keys",
		"stops working",
		"prevent_destroy",
		"Warning: Expiry date in the past",
		"2020-01-31",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan output lacks %q:\n%s", want, out)
		}
	}

	// Changing only something that is changed in place: no warning.
	w.Write("main.tf", account("warn-a", `enabled = false`))
	if out := w.MustRun(nil, "plan", "-no-color").Output(); strings.Contains(out, "Warning") {
		t.Errorf("an in-place change warned:\n%s", out)
	}

	w2 := newCLIWorkspace(t)
	w2.Write("main.tf", strings.Replace(env.providerBlock("")+`
resource "vpnresellers_project" "p" {
  name        = "x"
  description = "y"
}
`, env.url, "http://vpn-api.example.com/v4_1", 1))
	w2.MustRun(nil, "init", "-no-color")
	out = w2.MustRun(nil, "plan", "-no-color").Output()
	if !strings.Contains(out, "Warning: Unencrypted API connection") || !strings.Contains(out, "travel in clear") {
		t.Errorf("http:// to another host did not warn:\n%s", out)
	}
}

// The plan of a tainted account says that it replaces an account that is
// this configuration's (it accepts the configured password), and what
// keeps it instead; doing exactly that works: after `terraform untaint`,
// the next apply finishes the account in place (same id, same keys).
func TestResourceAccount_untaintFinishesInPlace(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.Write("main.tf", env.providerBlock("max_retries = 0")+`
resource "vpnresellers_account" "a" {
  username = "half-made"
  password = "secret-1"
  enabled  = false
}
`)
	w.MustRun(nil, "init", "-no-color")
	env.mock.FailNext("PUT /accounts/{id}/disable", 1, mockapi.FailBefore)
	if r := w.Run(nil, "apply", "-auto-approve", "-no-color"); r.Err == nil {
		t.Fatalf("the apply did not fail:\n%s", r.Output())
	}
	plan := w.MustRun(nil, "plan", "-no-color").Output()
	mentions(t, plan, "must be replaced", `Account "half-made" (id 1) already exists and is this configuration's`,
		"this plan replaces it", "terraform untaint")
	w.MustRun(nil, "untaint", "-no-color", "vpnresellers_account.a")
	env.resetCalls()
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if err := env.expectCalls(map[string]int{"GET /accounts/{id}": 1, "PUT /accounts/{id}/disable": 1})(nil); err != nil {
		t.Fatal(err)
	}
	accs, err := env.client.ListAllAccounts(env.ctx(), "")
	if err != nil || len(accs) != 1 || accs[0].ID != 1 || accs[0].Status != "Disabled" {
		t.Fatalf("accounts: %+v (%v); want account 1, disabled", accs, err)
	}
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
