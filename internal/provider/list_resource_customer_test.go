package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestListCustomer_query(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.config(customerConfig("b", "Jane", "Doe", "jane@example.com"))},
			{
				Query: true,
				Config: `
list "vpnresellers_customer" "in_b" {
  provider         = vpnresellers
  include_resource = true
  config {
    project_id = vpnresellers_project.b.id
  }
}

list "vpnresellers_customer" "in_a" {
  provider = vpnresellers
  config {
    project_id = vpnresellers_project.a.id
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("vpnresellers_customer.in_b", 1),
					querycheck.ExpectLength("vpnresellers_customer.in_a", 0),
					querycheck.ExpectResourceDisplayName("vpnresellers_customer.in_b", firstObject, knownvalue.StringExact("jane@example.com")),
					querycheck.ExpectResourceKnownValues("vpnresellers_customer.in_b", firstObject, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("first_name"), KnownValue: knownvalue.StringExact("Jane")},
					}),
				},
			},
			{
				ResourceName:    "vpnresellers_customer.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
