package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestEphemeralOpenVPNConfig_echo(t *testing.T) {
	env := newTestEnv(t)
	data := tfjsonpath.New("data")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(`
ephemeral "vpnresellers_openvpn_config" "x" {
  server_id = 2
  port_id   = 2
}

provider "echo" {
  data = ephemeral.vpnresellers_openvpn_config.x
}

resource "echo" "test" {}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("server_id"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("port_id"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("name"), knownvalue.StringExact("NL-118.ovpn")),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("content"),
						knownvalue.StringRegexp(regexp.MustCompile(`(?s)^client\n.*remote rtm-s01\.321inter\.net\nport 118\nproto udp\n`))),
				},
				// Ephemeral resources are opened afresh by the plan and by the apply.
				Check: env.expectCalls(map[string]int{"GET /configuration/openvpn": 2}),
			},
		},
	})
}

func TestEphemeralOpenVPNConfig_invalidIDs(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
ephemeral "vpnresellers_openvpn_config" "bad" {
  server_id = 1
  port_id   = 999
}

provider "echo" {
  data = ephemeral.vpnresellers_openvpn_config.bad
}

resource "echo" "test" {}
`),
				ExpectError: regexp.MustCompile(`(?s)Unable to get the OpenVPN configuration for server 1 and port 999.*` +
					`port_id\s+= 999\n.*The API rejected this value: The selected port id is invalid\.`),
			},
		},
	})
}
