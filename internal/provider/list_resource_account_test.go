package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestListAccount_query(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.config(accountConfig("alice", `password = "s3cret-pass"
  enabled = false`))},
			{
				Query: true,
				Config: `
list "vpnresellers_account" "disabled" {
  provider         = vpnresellers
  include_resource = true
  config {
    status = "Disabled"
  }
}

list "vpnresellers_account" "active" {
  provider = vpnresellers
  config {
    status      = "Active"
    customer_id = vpnresellers_customer.c.id
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("vpnresellers_account.disabled", 1),
					querycheck.ExpectLength("vpnresellers_account.active", 0),
					querycheck.ExpectResourceDisplayName("vpnresellers_account.disabled", firstObject, knownvalue.StringExact("alice")),
					querycheck.ExpectResourceKnownValues("vpnresellers_account.disabled", firstObject, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("customer_id"), KnownValue: knownvalue.Int64Exact(1)},
						{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(false)},
					}),
				},
			},
		},
	})
}
