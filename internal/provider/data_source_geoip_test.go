package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestDataSourceGeoIP_basic(t *testing.T) {
	env := newTestEnv(t)
	const addr = "data.vpnresellers_geoip.this"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_geoip" "this" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					// The mock reports the caller's address with the document's sample location.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("ip"), knownvalue.StringExact("127.0.0.1")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("country"), knownvalue.StringExact("United States")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("iso_code"), knownvalue.StringExact("US")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("city"), knownvalue.StringExact("New Haven")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("lat"), knownvalue.Float64Exact(41.31)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("lon"), knownvalue.Float64Exact(-72.92)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("continent"), knownvalue.StringExact("NA")),
				},
				Check: env.expectCalls(map[string]int{"GET /geoip": 1}),
			},
		},
	})
}
