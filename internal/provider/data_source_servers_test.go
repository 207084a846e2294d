package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// serverIDs is a check that a list of servers holds exactly these ids, in
// this order.
func dsServerIDs(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)})
	}
	return knownvalue.ListExact(checks)
}

func TestDataSourceServers_filters(t *testing.T) {
	env := newTestEnv(t)
	servers := tfjsonpath.New("servers")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The filter ignores case; the servers come with every field.
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_servers" "nl" { country_code = "nl" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_servers.nl", servers, knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":           knownvalue.Int64Exact(1),
							"name":         knownvalue.StringExact("ams-s02.321inter.net"),
							"ip":           knownvalue.StringExact("46.249.36.188"),
							"country_code": knownvalue.StringExact("NL"),
							"city":         knownvalue.StringExact("Amsterdam"),
							"capacity":     knownvalue.Int64Exact(0),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":           knownvalue.Int64Exact(2),
							"name":         knownvalue.StringExact("rtm-s01.321inter.net"),
							"ip":           knownvalue.StringExact("213.163.64.39"),
							"country_code": knownvalue.StringExact("NL"),
							"city":         knownvalue.StringExact("Rotterdam"),
							"capacity":     knownvalue.Int64Exact(0),
						}),
					})),
					statecheck.ExpectKnownValue("data.vpnresellers_servers.nl", tfjsonpath.New("country_code"), knownvalue.StringExact("nl")),
				},
				// One request per read, whatever the filter.
				Check: env.expectCalls(map[string]int{"GET /servers": 1}),
			},
			{
				Config: env.config(`
data "vpnresellers_servers" "all" {}
data "vpnresellers_servers" "rotterdam" { city = "ROTTERDAM" }
data "vpnresellers_servers" "bangkok" {
  country_code = "TH"
  city         = "bangkok"
}
data "vpnresellers_servers" "none" { country_code = "DE" }
data "vpnresellers_servers" "mismatch" {
  country_code = "NL"
  city         = "Bangkok"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_servers.all", servers, dsServerIDs(1, 2, 3, 4)),
					statecheck.ExpectKnownValue("data.vpnresellers_servers.all", tfjsonpath.New("country_code"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.vpnresellers_servers.rotterdam", servers, dsServerIDs(2)),
					statecheck.ExpectKnownValue("data.vpnresellers_servers.bangkok", servers, dsServerIDs(3)),
					// No match is an empty list, not null and not an error.
					statecheck.ExpectKnownValue("data.vpnresellers_servers.none", servers, knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.vpnresellers_servers.mismatch", servers, knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

func TestDataSourceServers_validation(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(`data "vpnresellers_servers" "bad" { country_code = "NLD" }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*must be a two-letter country code`),
			},
			{
				Config:      env.config(`data "vpnresellers_servers" "bad" { city = " " }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid city.*must not be empty`),
			},
		},
	})
}
