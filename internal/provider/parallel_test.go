package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// max_parallel_requests bounds the requests the provider has in flight,
// counted at the mock (which answers each after a few milliseconds, so that
// requests sent side by side overlap there). With 2, none of these has
// more than 2 requests at the API at once:
//   - a fleet import by project:N over 20 customers, two of them with 201
//     accounts (the project's customer list, then the owner walk: the
//     customers, then their account lists side by side, each asking two
//     pages ahead: 4 at once without the client's one bound);
//   - a 300-entry fleet refresh (the account list's pages, then the
//     accounts it no longer shows, by id, side by side) planned beside a
//     data source that walks the 201 accounts of a customer;
//   - the destroy of 280 accounts.
func TestProviderConfig_maxParallelRequestsBoundsRequestsInFlight(t *testing.T) {
	env := newTestEnv(t)
	p := env.mock.SeedProject("Many", "twenty customers")
	owned := map[string]string{}
	var first int
	for i := range 20 {
		c := env.mock.SeedCustomer(p, "F", "L", fmt.Sprintf("c%02d@example.com", i))
		n := 1
		if i < 2 {
			n = 201
		}
		if i == 0 {
			first = c
		}
		prefix := fmt.Sprintf("c%02d-", i)
		for j := range env.mock.SeedCustomerAccounts(c, n, prefix) {
			owned[fmt.Sprintf("%s%d", prefix, j+1)] = fmt.Sprint(c)
		}
	}
	ids := env.mock.SeedAccounts(300, "r")
	names := make([]string, len(ids))
	for i := range ids {
		names[i] = fmt.Sprintf("r%d", i+1)
	}
	fleet := func(from, to int) string {
		return env.configWith("max_parallel_requests = 2", fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts            = { for i in range(%d, %d) : "r${i}" => {} }
  deletion_protection = false
}

data "vpnresellers_accounts" "first" {
  customer_id = %d
}
`, from, to, first))
	}
	var peaks []int
	atMost2 := func(what string) error {
		now, peak := env.mock.InFlight()
		peaks = append(peaks, peak)
		if peak > 2 {
			return fmt.Errorf("%s: %d requests in flight at once, with max_parallel_requests = 2", what, peak)
		}
		if now != 0 {
			return fmt.Errorf("%s: %d requests still in flight", what, now)
		}
		return nil
	}
	start := func() {
		env.mock.SetLatency(2 * time.Millisecond)
		env.mock.ResetInFlight()
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := atMost2("destroy"); err != nil {
				return err
			}
			t.Logf("most requests in flight at once: %v (import by project, import by usernames, refresh and apply, destroy)", peaks)
			return env.holds(1, 20, len(owned))
		},
		Steps: []resource.TestStep{
			{
				PreConfig:     start,
				Config:        fleet(1, 301),
				ResourceName:  fleetAddr,
				ImportState:   true,
				ImportStateId: fmt.Sprintf("project:%d", p),
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					a := states[0].Attributes
					if a["accounts.%"] != fmt.Sprint(len(owned)) {
						return fmt.Errorf("%s accounts imported, want %d", a["accounts.%"], len(owned))
					}
					for name, cust := range owned {
						if a["accounts."+name+".customer_id"] != cust {
							return fmt.Errorf("%s imported with customer_id %q, want %s", name, a["accounts."+name+".customer_id"], cust)
						}
					}
					return atMost2("import by project")
				},
			},
			{
				PreConfig:          start,
				Config:             fleet(1, 301),
				ResourceName:       fleetAddr,
				ImportState:        true,
				ImportStateId:      strings.Join(names, ","),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if n := states[0].Attributes["accounts.%"]; n != "300" {
						return fmt.Errorf("%s accounts imported, want 300", n)
					}
					return atMost2("import by usernames")
				},
			},
			{
				// 20 accounts deleted elsewhere (and from the
				// configuration): the refresh reads the list, then asks
				// for each of the 20 by id.
				PreConfig: func() {
					for _, id := range ids[:20] {
						if err := env.client.DeleteAccount(env.ctx(), int64(id)); err != nil {
							t.Fatal(err)
						}
					}
					start()
				},
				Config: fleet(21, 301),
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error { return atMost2("refresh and apply") },
					func(*terraform.State) error { env.mock.ResetInFlight(); return nil },
				),
			},
		},
	})
}
