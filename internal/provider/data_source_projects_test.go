package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestDataSourceProjects_empty(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_projects" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_projects.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(0)),
				},
				Check: env.expectCalls(map[string]int{"GET /projects": 1}),
			},
		},
	})
}

func TestDataSourceProjects_pagination(t *testing.T) {
	env := newTestEnv(t)
	var ids []int
	for i := range 230 {
		ids = append(ids, env.mock.SeedProject(fmt.Sprintf("p%d", i), fmt.Sprintf("project %d", i)))
	}
	projects := tfjsonpath.New("projects")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(`
data "vpnresellers_projects" "all" {}

output "named_p229" {
  value = [for p in data.vpnresellers_projects.all.projects : p.id if p.name == "p229"]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_projects.all", projects, knownvalue.ListSizeExact(230)),
					statecheck.ExpectKnownValue("data.vpnresellers_projects.all", projects.AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.Int64Exact(int64(ids[0])),
						"name":        knownvalue.StringExact("p0"),
						"description": knownvalue.StringExact("project 0"),
						"user_id":     knownvalue.Int64Exact(mockapi.ResellerUserID),
					})),
					statecheck.ExpectKnownOutputValue("named_p229", knownvalue.ListExact([]knownvalue.Check{knownvalue.Int64Exact(int64(ids[229]))})),
				},
				// Three pages of 100.
				Check: env.expectCalls(map[string]int{"GET /projects": seamed(3)}),
			},
		},
	})
}
