package provider

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// fnVersions: provider functions need Terraform 1.8 (OpenTofu 1.7, which
// reports its own version and passes).
var fnVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// fnEphemeralVersions: functions of ephemeral values (Terraform 1.10).
var fnEphemeralVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

func fnNumber(n int64) knownvalue.Check { return knownvalue.NumberExact(big.NewFloat(float64(n))) }

// fnError matches a diagnostic holding these words in order, however the
// CLI wraps its lines.
func fnError(words string) *regexp.Regexp {
	return regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(words)), `\s+`))
}

// The done-when of issue 28: the data source's file decodes to the account's
// private key and address, and the server's endpoint with 0.0.0.0/0.
func TestFunction_wireguardConfigDecode_dataSource(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-decode")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "this" {
  server_id  = 1
  account_id = %d
}

locals {
  wg = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.this.content)
}

output "private_key" {
  value     = local.wg.interface.private_key
  sensitive = true
}

output "rest" {
  value = {
    addresses   = nonsensitive(local.wg.interface.addresses)
    dns         = nonsensitive(local.wg.interface.dns)
    endpoint    = nonsensitive(local.wg.peers[0].endpoint)
    allowed_ips = nonsensitive(local.wg.peers[0].allowed_ips)
    peers       = nonsensitive(length(local.wg.peers))
    listen_port = nonsensitive(local.wg.interface.listen_port)
    keepalive   = nonsensitive(local.wg.peers[0].persistent_keepalive)
  }
}
`, acc.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("private_key", knownvalue.StringExact(acc.WgPrivateKey)),
					statecheck.ExpectKnownOutputValue("rest", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"addresses":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(acc.WgIP)}),
						"dns":         knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("172.16.0.1")}),
						"endpoint":    knownvalue.StringExact("ams-s02.321inter.net:51820"),
						"allowed_ips": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("0.0.0.0/0"), knownvalue.StringExact("::/0")}),
						"peers":       fnNumber(1),
						"listen_port": knownvalue.Null(),
						"keepalive":   knownvalue.Null(),
					})),
				},
				// A function calls no API: the data source's read is the only request.
				Check: env.expectCalls(map[string]int{"GET /configuration/wireguard": 1}),
			},
		},
	})
}

// The data source's content is sensitive, so the whole decoded object is:
// Terraform marks a function's result with its arguments' marks. An output
// of any part of it needs sensitive = true, and a resource argument holding
// it is sensitive in the state.
func TestFunction_wireguardConfigDecode_sensitiveInSensitiveOut(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-sensitive")
	source := env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "this" {
  server_id  = 2
  account_id = %d
}

locals {
  wg = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.this.content)
}
`, acc.ID))
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				// Even the endpoint, which is no secret, is sensitive.
				Config:      source + `output "endpoint" { value = local.wg.peers[0].endpoint }`,
				ExpectError: regexp.MustCompile(`(?s)Output refers to sensitive values`),
			},
			{
				Config: source + `
resource "terraform_data" "peer" {
  input = local.wg.peers[0]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectSensitiveValue("terraform_data.peer", tfjsonpath.New("input")),
					statecheck.ExpectKnownValue("terraform_data.peer", tfjsonpath.New("output").AtMapKey("endpoint"),
						knownvalue.StringExact("rtm-s01.321inter.net:51820")),
				},
			},
		},
	})
}

// An account created in the same run: its file is unknown during the plan,
// so is the decoded object (Terraform does not call the function with an
// unknown argument), and the apply gives the real values.
func TestFunction_wireguardConfigDecode_unknownAtPlan(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_account" "a" {
  username = "wg-same-run-fn"
  password = "password1"
}

data "vpnresellers_wireguard_config" "this" {
  server_id  = 3
  account_id = vpnresellers_account.a.id
}

resource "terraform_data" "addresses" {
  input = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.this.content).interface.addresses
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue("terraform_data.addresses", tfjsonpath.New("input"))},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("terraform_data.addresses", tfjsonpath.New("output").AtSliceIndex(0),
						"vpnresellers_account.a", tfjsonpath.New("wg_ip"), compare.ValuesSame()),
				},
			},
		},
	})
}

// A value that is not sensitive gives a result that is not: nothing is
// marked by the function itself. The text exercises the format: comments,
// CRLF, case, repeated list keys, ignored wg-quick keys, two peers.
func TestFunction_wireguardConfigDecode_literal(t *testing.T) {
	text := strings.Join([]string{
		"# office",
		"[interface]",
		"PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
		"Address = 10.0.0.2/32, fd00::2/128",
		"DNS = 10.0.0.1",
		"ListenPort = 51820",
		"MTU = 1420",
		"PostUp = echo up",
		"[Peer]",
		"PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
		"PresharedKey = 7Kd2mF0zqQe8rLk3Vx9pN1sT4uW6yA5bC2dE3fG4hJ0=",
		"AllowedIPs = 10.0.0.0/8",
		"AllowedIPs = 192.168.0.0/16 # more",
		"Endpoint = vpn.example.com:51820",
		"PersistentKeepalive = 25",
		"[Peer]",
		"PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=",
		"",
	}, "\r\n")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`output "wg" { value = provider::vpnresellers::wireguard_config_decode(%q) }`, text),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("wg", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"interface": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"private_key": knownvalue.StringExact("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="),
							"addresses":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.2/32"), knownvalue.StringExact("fd00::2/128")}),
							"dns":         knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.1")}),
							"listen_port": fnNumber(51820),
							"mtu":         fnNumber(1420),
						}),
						"peers": knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"public_key":           knownvalue.StringExact("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="),
								"preshared_key":        knownvalue.StringExact("7Kd2mF0zqQe8rLk3Vx9pN1sT4uW6yA5bC2dE3fG4hJ0="),
								"endpoint":             knownvalue.StringExact("vpn.example.com:51820"),
								"allowed_ips":          knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.0/8"), knownvalue.StringExact("192.168.0.0/16")}),
								"persistent_keepalive": fnNumber(25),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"public_key":           knownvalue.StringExact("TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="),
								"preshared_key":        knownvalue.Null(),
								"endpoint":             knownvalue.Null(),
								"allowed_ips":          knownvalue.ListExact([]knownvalue.Check{}),
								"persistent_keepalive": knownvalue.Null(),
							}),
						}),
					})),
				},
			},
		},
	})
}

// A bad configuration fails naming the argument and the line.
func TestFunction_wireguardConfigDecode_invalid(t *testing.T) {
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   fnVersions,
		Steps: []resource.TestStep{
			{
				Config: `
output "wg" {
  value = provider::vpnresellers::wireguard_config_decode("[Interface]\nPrivateKey = abc\nAddresses = 10.0.0.2/32\n")
}
`,
				ExpectError: fnError(`Invalid value for "text" parameter: line 3 of the WireGuard configuration: unknown key "Addresses" in [Interface].`),
			},
			{
				Config:      `output "wg" { value = provider::vpnresellers::wireguard_config_decode("client\ndev tun\n") }`,
				ExpectError: fnError(`Invalid value for "text" parameter: line 1 of the WireGuard configuration: not a [Section] header`),
			},
			{
				Config:      `output "wg" { value = provider::vpnresellers::wireguard_config_decode("[Interface]\nAddress = 10.0.0.2/32\n") }`,
				ExpectError: fnError(`Invalid value for "text" parameter: line 1 of the WireGuard configuration: the [Interface] section has no PrivateKey.`),
			},
		},
	})
}

// From the ephemeral resource the decoded object is ephemeral: it reaches
// an ephemeral context (the echo provider's block) and nothing stores it,
// and an ordinary resource argument refuses it.
func TestFunction_wireguardConfigDecode_ephemeralInEphemeralOut(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-ephemeral-fn")
	source := env.config(fmt.Sprintf(`
ephemeral "vpnresellers_wireguard_config" "x" {
  server_id  = 1
  account_id = %d
}

locals {
  wg = provider::vpnresellers::wireguard_config_decode(ephemeral.vpnresellers_wireguard_config.x.content)
}
`, acc.ID))
	data := tfjsonpath.New("data")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   fnEphemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: source + `
resource "terraform_data" "endpoint" {
  input = local.wg.peers[0].endpoint
}
`,
				// Terraform 1.11: "Invalid use of ephemeral value ... Ephemeral
				// values are not valid for "input""; OpenTofu 1.12: "Ephemeral
				// value used in non-ephemeral context".
				ExpectError: regexp.MustCompile(`(?is)ephemeral value.*(not valid|not allowed|cannot|non-ephemeral context)`),
			},
			{
				Config: source + fmt.Sprintf(`
provider "echo" {
  data = {
    endpoint = local.wg.peers[0].endpoint
    key_ok   = local.wg.interface.private_key == %q
  }
}

resource "echo" "test" {}
`, acc.WgPrivateKey),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("endpoint"), knownvalue.StringExact("ams-s02.321inter.net:51820")),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("key_ok"), knownvalue.Bool(true)),
					dsNoSecretInState{acc.WgPrivateKey},
				},
			},
		},
	})
}
