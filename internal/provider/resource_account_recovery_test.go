package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// vpnresellers_account: creates whose outcome was unknown, follow-up calls
// that failed, and the untaint advice, each followed to the end.

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

// The plan of a tainted account says that it replaces it, what that costs,
// and what keeps it instead; doing exactly that works: after `terraform untaint`,
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
	mentions(t, plan, "must be replaced", `Account "half-made" (id 1) is tainted: this plan replaces it`,
		"new id and new WireGuard keys", "terraform untaint")
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
