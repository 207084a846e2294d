package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestDataSourceCustomers_list(t *testing.T) {
	env := newTestEnv(t)
	big := env.mock.SeedProject("Big", "many customers")
	small := env.mock.SeedProject("Small", "two customers")
	empty := env.mock.SeedProject("Empty", "no customers")
	for i := range 230 {
		env.mock.SeedCustomer(big, "First", "Last", fmt.Sprintf("big%d@example.com", i))
	}
	s1 := env.mock.SeedCustomer(small, "Ann", "A", "ann@example.com")
	s2 := env.mock.SeedCustomer(small, "Ben", "B", "ben@example.com")
	customers := tfjsonpath.New("customers")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_customers" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_customers.all", customers, knownvalue.ListSizeExact(232)),
					statecheck.ExpectKnownValue("data.vpnresellers_customers.all", customers.AtSliceIndex(231).AtMapKey("email"),
						knownvalue.StringExact("ben@example.com")),
				},
				// 232 customers: three pages of 100.
				Check: env.expectCalls(map[string]int{"GET /customers": seamed(3)}),
			},
			{
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_customers" "small" { project_id = %d }
data "vpnresellers_customers" "empty" { project_id = %d }
`, small, empty)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_customers.small", customers, knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.Int64Exact(int64(s1)), "first_name": knownvalue.StringExact("Ann"),
							"last_name": knownvalue.StringExact("A"), "email": knownvalue.StringExact("ann@example.com"),
							"project_id": knownvalue.Int64Exact(int64(small)), "user_id": knownvalue.Int64Exact(mockapi.ResellerUserID),
						}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(int64(s2))}),
					})),
					statecheck.ExpectKnownValue("data.vpnresellers_customers.empty", customers, knownvalue.ListSizeExact(0)),
				},
				Check: env.expectCalls(map[string]int{"GET /projects/{id}/customers": 2}),
			},
			{
				Config: env.config(`
data "vpnresellers_customers" "x" {
  project_id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No project found.*project_id = 999\n.*There is no project with id 999\.`),
			},
		},
	})
}
