package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// fleetSize checks how many entries the resource's state holds, and that
// none of gone is one of them.
func fleetSize(n int, gone ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[fleetAddr]
		if !ok {
			return fmt.Errorf("%s not in state", fleetAddr)
		}
		if got := rs.Primary.Attributes["accounts.%"]; got != fmt.Sprint(n) {
			return fmt.Errorf("state holds %s entries, want %d", got, n)
		}
		for _, name := range gone {
			if _, ok := rs.Primary.Attributes["accounts."+name+".id"]; ok {
				return fmt.Errorf("state still holds %s", name)
			}
		}
		return nil
	}
}

// A refresh of 400 entries never forgets one because the list walk went
// wrong: with the API's page size changing mid-walk, an older (hand-made)
// account deleted mid-walk, and an account repeated across pages, the walk
// reads the list again and every entry stays; the next plan is empty. An
// entry whose account someone else deletes mid-walk is dropped only once
// GET /accounts/{id} answers "Account not found."; any other answer fails
// the refresh and drops nothing. Pages are read one at a time
// (max_parallel_requests = 1) so that the calls counted are exact: 10
// hand-made and 400 managed accounts are 5 pages of 100.
func TestResourceAccounts_refreshNeverForgets(t *testing.T) {
	env := newTestEnv(t)
	handmade := env.mock.SeedAccounts(10, "handmade") // ids 1-10: older than the fleet
	cfg := env.configWith("max_parallel_requests = 1", fleetHCL(1, 400, "", 1))
	var u0200 int64
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(env.accountCount(410), fleetSize(400),
					func(s *terraform.State) error {
						_, err := fmt.Sscan(s.RootModule().Resources[fleetAddr].Primary.Attributes["accounts.u0200.id"], &u0200)
						return err
					}),
			},
			{
				// The page size drops from 100 to 80 at page 3: the walk
				// stops there and reads the list again, 6 pages of 80.
				PreConfig: func() {
					env.resetCalls()
					env.mock.SetMaxPerPageAfter(2, 80)
				},
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(fleetSize(400), env.expectCalls(listReads(3+seamed(6)))),
			},
			{
				// A hand-made account deleted before page 2: the total
				// changes, the walk reads the list again (409 accounts).
				PreConfig: func() {
					env.mock.SetMaxPerPageAfter(0, 0)
					env.resetCalls()
					env.mock.DeleteAccountAfter(1, int64(handmade[2]))
				},
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(fleetSize(400), env.expectCalls(listReads(2+seamed(5)))),
			},
			{
				// Page 2 repeats the last account of page 1 (and leaves one
				// out): the walk reads the list again.
				PreConfig: func() {
					env.resetCalls()
					env.mock.RepeatItemAfter(1)
				},
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(fleetSize(400), env.expectCalls(listReads(2+seamed(5)))),
			},
			{
				// Nothing was forgotten: the plan is empty.
				PreConfig: env.resetCalls,
				Config:    cfg,
				PlanOnly:  true,
			},
			{
				// Someone deletes u0200 during the walk, and the API fails
				// the GET that would confirm it: the refresh fails and
				// drops nothing.
				PreConfig: func() {
					env.resetCalls()
					env.mock.DeleteAccountAfter(1, u0200)
					env.mock.FailNext("GET /accounts/{id}", 1+4, mockapi.FailServerError) // the request and its 4 retries
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Unable to confirm whether the account "u0200" still exists`),
			},
			{
				// The API now answers: "Account not found." drops u0200,
				// after one GET, and only u0200. (The plan that follows the
				// refresh checks that the name is free to create it again.)
				PreConfig: func() {
					env.mock.FailNext("GET /accounts/{id}", 0, mockapi.FailServerError)
					env.resetCalls()
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // u0200 is to be created again
				Check: resource.ComposeTestCheckFunc(fleetSize(399, "u0200"),
					env.expectCalls(withCalls(listReads(seamed(5)), map[string]int{"GET /accounts/{id}": 1, "GET /accounts/check_username": 1}))),
			},
			{
				// The next apply creates it again.
				Config: cfg,
				Check:  resource.ComposeTestCheckFunc(fleetSize(400), env.accountCount(409), env.fleetTracksAll(handmadeNames(handmade, 2)...)),
			},
		},
	})
}

// handmadeNames are the usernames of the SeedAccounts(…, "handmade") ids,
// without the one at index skip (deleted).
func handmadeNames(ids []int, skip int) []string {
	var out []string
	for i := range ids {
		if i != skip {
			out = append(out, fmt.Sprintf("handmade%d", i+1))
		}
	}
	return out
}

// seamed is what a full walk of pages costs: one request per page, and one
// per seam between two pages (the client checks that nothing moved).
func seamed(pages int) int { return 2*pages - 1 }
