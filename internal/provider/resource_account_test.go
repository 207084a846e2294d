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
					env.expectCalls(map[string]int{"POST /projects": 1, "PUT /projects/{id}": 1, "POST /customers": 1, "PUT /customers/{id}": 1, "POST /accounts": 1, "GET /accounts/check_username": 2, "GET /projects": 3, "GET /customers": 3, "GET /accounts": 1}), // + the walks for an unfinished twin of the project (the plan and the apply's own plan)
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
				// A username taken outside Terraform: found at plan time, on
				// the attribute, as possibly someone else's.
				PreConfig: func() {
					env.mock.SetBalance("100.00")
					env.mock.SeedAccounts(1, "frank")
				},
				Config:      env.config(`resource "vpnresellers_account" "test" {` + "\n" + `username = "frank1"` + "\n" + `password = "secret-1"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Username already taken.*with vpnresellers_account.test,.*username = "frank1".*holds no\s+record.*may\s+belong\s+to\s+someone\s+else.*Choose\s+another\s+one`),
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
