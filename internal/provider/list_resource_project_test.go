package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// firstObject picks the query result of identity { id = 1 }: the mock
// numbers each kind of object from 1.
var firstObject = queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(1)})

// The real-CLI path of `terraform query` and of an import by identity
// (the protocol tests cover the same on machines without Terraform 1.14).
func TestListProject_query(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.config(projectConfig("Acme", "Acme brand"))},
			{
				// The provider block of the step before stays in force.
				Query: true,
				Config: `
list "vpnresellers_project" "all" {
  provider         = vpnresellers
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("vpnresellers_project.all", 1),
					querycheck.ExpectIdentity("vpnresellers_project.all", map[string]knownvalue.Check{"id": knownvalue.Int64Exact(1)}),
					querycheck.ExpectResourceDisplayName("vpnresellers_project.all", firstObject, knownvalue.StringExact("Acme")),
					querycheck.ExpectResourceKnownValues("vpnresellers_project.all", firstObject, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("Acme brand")},
					}),
				},
			},
			{
				ResourceName:    "vpnresellers_project.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
