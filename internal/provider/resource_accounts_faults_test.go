package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// vpnresellers_accounts under faults: nothing lost, nothing duplicated.

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
						// refresh + high-water mark (2); a name check per
						// missing entry in each of the two plans; each create
						// that was not confirmed is settled first from this
						// resource's record of it (its own view, refused, and
						// the name check that tells it was not made).
						"GET /accounts": 3, "GET /accounts/check_username": 9, "GET /un/accounts/show": 3, "POST /accounts": 3,
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
						// ...and the settling of each recorded create first.
						env.expectCalls(map[string]int{"GET /accounts": 3, "GET /accounts/check_username": 6, "GET /un/accounts/show": 2, "POST /accounts": 2}),
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
