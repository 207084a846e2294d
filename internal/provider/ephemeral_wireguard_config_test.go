package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// dsEchoProviderFactories adds the echo provider, which copies its `data`
// argument (where ephemeral values are allowed) into the `data` attribute of
// its `echo` resource, so that a test can look at ephemeral values.
func dsEchoProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"vpnresellers": NewServer("test", nil),
		"echo":         echoprovider.NewProviderServer(),
	}
}

// dsEphemeralVersions skips ephemeral tests on Terraform older than 1.10.
var dsEphemeralVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// dsNoSecretInState fails when secret appears anywhere in the state:
// resources, data sources and outputs, sensitive or not.
type dsNoSecretInState struct{ secret string }

func (c dsNoSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if dsContainsSecret(req.State, c.secret) {
		resp.Error = fmt.Errorf("the state holds the secret")
	}
}

// dsNoSecretInPlan fails when secret appears anywhere in the plan.
type dsNoSecretInPlan struct{ secret string }

func (c dsNoSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if dsContainsSecret(req.Plan, c.secret) {
		resp.Error = fmt.Errorf("the plan holds the secret")
	}
}

func dsContainsSecret(v any, secret string) bool {
	if secret == "" {
		panic("empty secret")
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.Contains(b.String(), secret)
}

// dsCheckNoAttributeHolds walks every resource and data source in the state
// (as the legacy Check functions see it) and fails when an attribute value
// contains secret.
func dsCheckNoAttributeHolds(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		n := 0
		for _, m := range s.Modules {
			for name, rs := range m.Resources {
				if rs.Primary == nil {
					continue
				}
				for attr, v := range rs.Primary.Attributes {
					n++
					if strings.Contains(v, secret) {
						return fmt.Errorf("%s.%s holds the secret", name, attr)
					}
				}
			}
			for name, out := range m.Outputs {
				if strings.Contains(fmt.Sprint(out.Value), secret) {
					return fmt.Errorf("output %s holds the secret", name)
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("the state has no attributes to look at")
		}
		return nil
	}
}

func TestEphemeralWireGuardConfig_echo(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-ephemeral")
	data := tfjsonpath.New("data")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
ephemeral "vpnresellers_wireguard_config" "x" {
  server_id  = 1
  account_id = %d
}

provider "echo" {
  data = ephemeral.vpnresellers_wireguard_config.x
}

resource "echo" "test" {}
`, acc.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("server_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("account_id"), knownvalue.Int64Exact(acc.ID)),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("name"), knownvalue.StringExact("wg0.conf")),
					statecheck.ExpectKnownValue("echo.test", data.AtMapKey("content"), dsWireGuardContent(acc)),
				},
				// Ephemeral resources are opened afresh by the plan and by the apply.
				Check: env.expectCalls(map[string]int{"GET /configuration/wireguard": 2}),
			},
		},
	})
}

// A pipeline that only uses the ephemeral resource keeps the account's
// private key out of the state and the plan.
func TestEphemeralWireGuardConfig_keyNotInStateOrPlan(t *testing.T) {
	env := newTestEnv(t)
	created := dsCreateAccount(env, "wg-secret")
	// Fetch the key out-of-band, as the API reports it now.
	acc, err := env.client.GetAccount(env.ctx(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	secret := acc.WgPrivateKey
	config := env.config(fmt.Sprintf(`
data "vpnresellers_servers" "nl" { country_code = "NL" }

ephemeral "vpnresellers_wireguard_config" "x" {
  server_id  = data.vpnresellers_servers.nl.servers[0].id
  account_id = %d
}

# Stands for any ephemeral context (a write-only argument, a provider
# block): only derived, non-secret facts reach the echo resource.
provider "echo" {
  data = {
    name    = ephemeral.vpnresellers_wireguard_config.x.name
    has_key = strcontains(ephemeral.vpnresellers_wireguard_config.x.content, "PrivateKey = %s")
  }
}

resource "echo" "test" {}

output "server" { value = data.vpnresellers_servers.nl.servers[0].name }
`, acc.ID, secret))
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{dsNoSecretInPlan{secret}},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// The ephemeral resource was opened and its content held the key...
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("has_key"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("name"), knownvalue.StringExact("wg0.conf")),
					// ...which is nowhere in the state.
					dsNoSecretInState{secret},
				},
				Check: dsCheckNoAttributeHolds(secret),
			},
		},
	})
}

func TestEphemeralWireGuardConfig_invalidIDs(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
ephemeral "vpnresellers_wireguard_config" "bad" {
  server_id  = 1
  account_id = 999
}

provider "echo" {
  data = ephemeral.vpnresellers_wireguard_config.bad
}

resource "echo" "test" {}
`),
				ExpectError: regexp.MustCompile(`(?s)Unable to get the WireGuard configuration of account 999 for server 1.*` +
					`account_id\s+= 999\n.*The API rejected this value: The selected account id is invalid\.`),
			},
		},
	})
}

// The contrast, which also shows the checks above can fail: the data source
// puts the key into the state.
func TestEphemeralWireGuardConfig_dataSourceStoresKey(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-stored")
	config := env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "x" {
  server_id  = 1
  account_id = %d
}
`, acc.ID))
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{dsNoSecretInState{acc.WgPrivateKey}},
				ExpectError:       regexp.MustCompile(`the state holds the secret`),
			},
			{
				Config:      config,
				Check:       dsCheckNoAttributeHolds(acc.WgPrivateKey),
				ExpectError: regexp.MustCompile(`data\.vpnresellers_wireguard_config\.x\.content holds the secret`),
			},
		},
	})
}

// An account created in the same run: the ephemeral resource is opened once
// the account exists (during the plan its arguments are unknown).
func TestEphemeralWireGuardConfig_withAccountResource(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsEchoProviderFactories(),
		TerraformVersionChecks:   dsEphemeralVersions,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_account" "a" {
  username = "wg-same-run"
  password = "password1"
}

ephemeral "vpnresellers_wireguard_config" "x" {
  server_id  = 3
  account_id = vpnresellers_account.a.id
}

provider "echo" {
  data = ephemeral.vpnresellers_wireguard_config.x
}

resource "echo" "test" {}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("echo.test", tfjsonpath.New("data").AtMapKey("content"),
						"vpnresellers_account.a", tfjsonpath.New("wg_ip"), dsContainsComparer{}),
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("content"),
						knownvalue.StringRegexp(regexp.MustCompile(`Endpoint = bkk-s02\.321inter\.net:51820`))),
				},
			},
		},
	})
}
