package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The done-when of issue 28: the data source's file, for a server and a
// port chosen through the lookups, decodes to that server and port.
func TestFunction_openvpnConfigDecode_dataSource(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_servers" "th" { country_code = "TH" }
data "vpnresellers_ports" "udp" { protocol = "udp" }

locals {
  port = one([for p in data.vpnresellers_ports.udp.ports : p if p.number == 123])
}

data "vpnresellers_openvpn_config" "th" {
  server_id = data.vpnresellers_servers.th.servers[0].id
  port_id   = local.port.id
}

locals {
  ovpn = provider::vpnresellers::openvpn_config_decode(data.vpnresellers_openvpn_config.th.content)
}

output "remotes" { value = local.ovpn.remotes }

output "chosen" {
  value = (local.ovpn.remotes[0].host == data.vpnresellers_servers.th.servers[0].name &&
    local.ovpn.remotes[0].port == local.port.number && local.ovpn.remotes[0].proto == local.port.protocol)
}

output "rest" {
  value = {
    proto    = local.ovpn.proto
    dev      = local.ovpn.dev
    cipher   = local.ovpn.cipher
    blocks   = keys(local.ovpn.inline)
    ca_start = substr(local.ovpn.inline["ca"], 0, 31)
    auth     = one([for o in local.ovpn.options : o.args if o.name == "auth"])
  }
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("remotes", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"host":  knownvalue.StringExact("bkk-s02.321inter.net"),
							"port":  fnNumber(123),
							"proto": knownvalue.StringExact("udp"),
						}),
					})),
					statecheck.ExpectKnownOutputValue("chosen", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("rest", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"proto":    knownvalue.StringExact("udp"),
						"dev":      knownvalue.StringExact("tun"),
						"cipher":   knownvalue.StringExact("AES-256-CBC"),
						"blocks":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("ca")}),
						"ca_start": knownvalue.StringExact("    -----BEGIN CERTIFICATE-----"),
						"auth":     knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("SHA256")}),
					})),
				},
			},
		},
	})
}

// A file of another provider's making: CRLF, comments, several remotes with
// and without their own port and protocol, a port directive after them,
// inline client certificate, key and tls-crypt key.
func TestFunction_openvpnConfigDecode_literal(t *testing.T) {
	text := strings.Join([]string{
		"# generated",
		"client",
		"dev tun",
		"proto tcp-client",
		"remote vpn1.example.com 443 ; the primary",
		"remote vpn2.example.com 1194 udp",
		"remote vpn3.example.com",
		"port 8443",
		"<cert>",
		"CERT",
		"</cert>",
		"<key>",
		"KEY",
		"</key>",
		"<tls-crypt>",
		"TLS",
		"</tls-crypt>",
		"",
	}, "\r\n")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
locals {
  ovpn = provider::vpnresellers::openvpn_config_decode(%q)
}

output "remotes" { value = [for r in local.ovpn.remotes : "${r.proto}://${r.host}:${r.port}"] }
output "inline" { value = local.ovpn.inline }
output "cipher" { value = local.ovpn.cipher == null }
`, text),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("remotes", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("tcp-client://vpn1.example.com:443"),
						knownvalue.StringExact("udp://vpn2.example.com:1194"),
						knownvalue.StringExact("tcp-client://vpn3.example.com:8443"),
					})),
					statecheck.ExpectKnownOutputValue("inline", knownvalue.MapExact(map[string]knownvalue.Check{
						"cert":      knownvalue.StringExact("CERT\n"),
						"key":       knownvalue.StringExact("KEY\n"),
						"tls-crypt": knownvalue.StringExact("TLS\n"),
					})),
					statecheck.ExpectKnownOutputValue("cipher", knownvalue.Bool(true)),
				},
			},
		},
	})
}

// A bad file fails naming the argument and the line (not its content).
func TestFunction_openvpnConfigDecode_invalid(t *testing.T) {
	decode := func(text string) string {
		return fmt.Sprintf(`output "x" { value = provider::vpnresellers::openvpn_config_decode(%q) }`, text)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config:      decode("client\ndev tun\nremote vpn.example.com 99999\n"),
				ExpectError: fnError(`Invalid value for "text" parameter: line 3 of the OpenVPN configuration: the port of remote must be a whole number from 1 to 65535.`),
			},
			{
				Config:      decode("client\ndev tun\n<key>\nsecret-key-material\n"),
				ExpectError: fnError(`Invalid value for "text" parameter: line 3 of the OpenVPN configuration: the inline block "key" has no closing tag.`),
			},
			{
				// A WireGuard file is not an OpenVPN one.
				Config:      decode("[Interface]\nPrivateKey = abc\n"),
				ExpectError: fnError(`Invalid value for "text" parameter: not a usable OpenVPN configuration: no dev directive (such as dev tun).`),
			},
			{
				Config:      decode("dev tun\nproto sctp\n"),
				ExpectError: fnError(`line 2 of the OpenVPN configuration: proto must be one of udp, tcp,`),
			},
		},
	})
}
