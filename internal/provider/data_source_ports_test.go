package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestDataSourcePorts_filter(t *testing.T) {
	env := newTestEnv(t)
	ports := tfjsonpath.New("ports")
	defaultID := tfjsonpath.New("default_port_id")
	udp := func(id, number int64, def bool) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":       knownvalue.Int64Exact(id),
			"protocol": knownvalue.StringExact("udp"),
			"number":   knownvalue.Int64Exact(number),
			"default":  knownvalue.Bool(def),
		})
	}
	allPorts := knownvalue.ListExact([]knownvalue.Check{udp(1, 1194, true), udp(2, 118, false), udp(3, 123, false)})
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(`data "vpnresellers_ports" "bad" { protocol = "icmp" }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*protocol`),
			},
			{
				PreConfig: env.resetCalls,
				Config:    env.config(`data "vpnresellers_ports" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_ports.all", ports, allPorts),
					statecheck.ExpectKnownValue("data.vpnresellers_ports.all", defaultID, knownvalue.Int64Exact(1)),
				},
				Check: env.expectCalls(map[string]int{"GET /ports": 1}),
			},
			{
				// The mock's ports (the document's) are all UDP.
				Config: env.config(`
data "vpnresellers_ports" "udp" { protocol = "UDP" }
data "vpnresellers_ports" "tcp" { protocol = "tcp" }
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_ports.udp", ports, allPorts),
					statecheck.ExpectKnownValue("data.vpnresellers_ports.udp", defaultID, knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("data.vpnresellers_ports.tcp", ports, knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.vpnresellers_ports.tcp", defaultID, knownvalue.Null()),
				},
			},
		},
	})
}
