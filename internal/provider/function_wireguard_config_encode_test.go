package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The done-when of issue 28: encode and decode round-trip on the data
// source's file, and a decoded configuration can be changed and written
// back.
func TestFunction_wireguardConfigEncode_roundTrip(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-encode")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "this" {
  server_id  = 1
  account_id = %d
}

locals {
  wg   = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.this.content)
  text = provider::vpnresellers::wireguard_config_encode(local.wg)

  # Split tunnelling and a keepalive on every peer, another DNS server.
  changed = merge(local.wg, {
    interface = merge(local.wg.interface, { dns = ["10.0.0.53"] })
    peers     = [for p in local.wg.peers : merge(p, { allowed_ips = ["10.0.0.0/8"], persistent_keepalive = 25 })]
  })
  changed_text = provider::vpnresellers::wireguard_config_encode(local.changed)
  changed_back = provider::vpnresellers::wireguard_config_decode(local.changed_text)
}

output "round_trip" {
  value = nonsensitive(provider::vpnresellers::wireguard_config_decode(local.text) == local.wg)
}

output "text" {
  value     = local.text
  sensitive = true
}

output "changed" {
  value = {
    # merge() and [for ...] make tuples where decode makes lists: compare as JSON.
    same        = nonsensitive(jsonencode(local.changed_back) == jsonencode(local.changed))
    private_key = nonsensitive(local.changed_back.interface.private_key == local.wg.interface.private_key)
    dns         = nonsensitive(local.changed_back.interface.dns)
    allowed_ips = nonsensitive(local.changed_back.peers[0].allowed_ips)
    keepalive   = nonsensitive(local.changed_back.peers[0].persistent_keepalive)
  }
}
`, acc.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("round_trip", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("text", knownvalue.StringRegexp(regexp.MustCompile(`\A\[Interface\]\n`+
						`PrivateKey = `+regexp.QuoteMeta(acc.WgPrivateKey)+`\nAddress = `+regexp.QuoteMeta(acc.WgIP)+`\nDNS = 172\.16\.0\.1\n\n`+
						`\[Peer\]\nPublicKey = \S+\nAllowedIPs = 0\.0\.0\.0/0, ::/0\nEndpoint = ams-s02\.321inter\.net:51820\n\z`))),
					statecheck.ExpectKnownOutputValue("changed", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"same":        knownvalue.Bool(true),
						"private_key": knownvalue.Bool(true),
						"dns":         knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.53")}),
						"allowed_ips": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.0/8")}),
						"keepalive":   fnNumber(25),
					})),
				},
			},
		},
	})
}

// fnWireGuardLiteral is a configuration written by hand: every attribute
// is given, null for what is left out.
const fnWireGuardLiteral = `
locals {
  config = {
    interface = {
      private_key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
      addresses   = ["10.0.0.2/32", "fd00::2/128"]
      dns         = []
      listen_port = null
      mtu         = 1420
    }
    peers = [
      {
        public_key           = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
        preshared_key        = null
        endpoint             = "vpn.example.com:51820"
        allowed_ips          = ["0.0.0.0/0", "::/0"]
        persistent_keepalive = 25
      },
      {
        public_key           = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
        preshared_key        = "7Kd2mF0zqQe8rLk3Vx9pN1sT4uW6yA5bC2dE3fG4hJ0="
        endpoint             = null
        allowed_ips          = []
        persistent_keepalive = null
      },
    ]
  }
}
`

func TestFunction_wireguardConfigEncode_literal(t *testing.T) {
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: fnWireGuardLiteral + `
output "text" {
  value = provider::vpnresellers::wireguard_config_encode(local.config)
}

# The literal's lists are tuples, so compare through JSON.
output "round_trip" {
  value = jsonencode(provider::vpnresellers::wireguard_config_decode(provider::vpnresellers::wireguard_config_encode(local.config))) == jsonencode(local.config)
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("text", knownvalue.StringExact(`[Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 10.0.0.2/32, fd00::2/128
MTU = 1420

[Peer]
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = vpn.example.com:51820
PersistentKeepalive = 25

[Peer]
PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
PresharedKey = 7Kd2mF0zqQe8rLk3Vx9pN1sT4uW6yA5bC2dE3fG4hJ0=
`)),
					statecheck.ExpectKnownOutputValue("round_trip", knownvalue.Bool(true)),
				},
			},
		},
	})
}

// What cannot be written back as given fails, naming the argument and the
// attribute, not the value.
func TestFunction_wireguardConfigEncode_invalid(t *testing.T) {
	encode := func(edit string) string {
		return fnWireGuardLiteral + fmt.Sprintf(`
output "text" {
  value = provider::vpnresellers::wireguard_config_encode(%s)
}
`, edit)
	}
	steps := []resource.TestStep{}
	for _, tc := range []struct{ edit, want string }{
		{
			`merge(local.config, { peers = [local.config.peers[0], local.config.peers[0]] })`,
			`Invalid value for "config" parameter: peers[1].public_key is the public key of peers[0]: write each peer once.`,
		},
		{
			// An attempt to smuggle a PostUp line in through the key.
			`merge(local.config, { interface = merge(local.config.interface, { private_key = "abc\nPostUp = true" }) })`,
			`Invalid value for "config" parameter: interface.private_key must not contain whitespace.`,
		},
		{
			`merge(local.config, { peers = [merge(local.config.peers[0], { endpoint = "" })] })`,
			`Invalid value for "config" parameter: peers[0].endpoint must not be empty (leave out an optional value with null).`,
		},
		{
			`merge(local.config, { interface = merge(local.config.interface, { dns = null }) })`,
			`Invalid value for "config" parameter: interface.dns must be a list ([] for none).`,
		},
		{
			`merge(local.config, { interface = merge(local.config.interface, { mtu = 1.5 }) })`,
			`Invalid value for "config" parameter: interface.mtu must be a whole number.`,
		},
		{
			`merge(local.config, { peers = [merge(local.config.peers[0], { persistent_keepalive = 1e30 })] })`,
			`Invalid value for "config" parameter: peers[0].persistent_keepalive must be a whole number from 0 to 65535.`,
		},
		{
			`merge(local.config, { interface = merge(local.config.interface, { addresses = ["10.0.0.2/32,10.0.0.3/32"] }) })`,
			`Invalid value for "config" parameter: interface.addresses[0] must not contain a comma, which separates list items.`,
		},
		{
			// Terraform's own check of the object's shape also names the argument.
			`{ interface = local.config.interface }`,
			`Invalid value for "config" parameter: attribute "peers" is required.`,
		},
	} {
		steps = append(steps, resource.TestStep{Config: encode(tc.edit), ExpectError: fnError(tc.want)})
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps:                    steps,
	})
}
