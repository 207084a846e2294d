package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestDataSourceOpenVPNConfig_basic(t *testing.T) {
	env := newTestEnv(t)
	const addr = "data.vpnresellers_openvpn_config.th"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(`
data "vpnresellers_openvpn_config" "th" {
  server_id = 3
  port_id   = 3
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("TH-123.ovpn")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"),
						knownvalue.StringRegexp(regexp.MustCompile(`(?s)^client\n.*remote bkk-s02\.321inter\.net\nport 123\nproto udp\n.*<ca>`))),
				},
				Check: env.expectCalls(map[string]int{"GET /configuration/openvpn": 1}),
			},
			{
				// Chained from the server and port lists.
				Config: env.config(`
data "vpnresellers_servers" "ca" { country_code = "CA" }
data "vpnresellers_ports" "all" {}

data "vpnresellers_openvpn_config" "ca" {
  server_id = data.vpnresellers_servers.ca.servers[0].id
  port_id   = data.vpnresellers_ports.all.default_port_id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_openvpn_config.ca", tfjsonpath.New("name"), knownvalue.StringExact("CA-1194.ovpn")),
					statecheck.ExpectKnownValue("data.vpnresellers_openvpn_config.ca", tfjsonpath.New("content"),
						knownvalue.StringRegexp(regexp.MustCompile(`remote yvr-s01\.321inter\.net\nport 1194\n`))),
				},
			},
		},
	})
}

// The API's 422 answers are attribute errors on the argument it rejects.
func TestDataSourceOpenVPNConfig_invalidIDs(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_openvpn_config" "bad" {
  server_id = 1
  port_id   = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)Unable to get the OpenVPN configuration for server 1 and port 999.*` +
					`port_id\s+= 999\n.*The API rejected this value: The selected port id is invalid\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_openvpn_config" "bad" {
  server_id = 99
  port_id   = 1
}
`),
				ExpectError: regexp.MustCompile(`(?s)server_id\s+= 99\n.*The API rejected this value: The selected server id is invalid\.`),
			},
			{
				Config:      env.config(`data "vpnresellers_openvpn_config" "bad" { server_id = 1 }`),
				ExpectError: regexp.MustCompile(`(?s)Missing required argument.*"port_id" is required`),
			},
		},
	})
}
