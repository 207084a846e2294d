package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// dsCreateAccount creates an account out-of-band and returns it with its
// private key.
func dsCreateAccount(env *testEnv, username string) *client.Account {
	env.t.Helper()
	acc, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: username, Password: "password1"})
	if err != nil {
		env.t.Fatal(err)
	}
	if acc.WgPrivateKey == "" {
		env.t.Fatal("the new account has no WireGuard private key")
	}
	return acc
}

// wireGuardContent checks a WireGuard configuration for server 1 (the mock's
// ams-s02) holding this private key and address.
func dsWireGuardContent(acc *client.Account) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(`(?s)^\[Interface\]\nPrivateKey = ` + regexp.QuoteMeta(acc.WgPrivateKey) +
		`\nAddress = ` + regexp.QuoteMeta(acc.WgIP) + `\n.*\[Peer\].*Endpoint = ams-s02\.321inter\.net:51820\n$`))
}

func TestDataSourceWireGuardConfig_basic(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-user")
	const addr = "data.vpnresellers_wireguard_config.this"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "this" {
  server_id  = 1
  account_id = %d
}
`, acc.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("wg0.conf")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"), dsWireGuardContent(acc)),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("content")),
				},
				Check: env.expectCalls(map[string]int{"GET /configuration/wireguard": 1}),
			},
		},
	})
}

// dsContainsComparer passes when the first value (a string) contains every
// other one.
type dsContainsComparer struct{}

func (dsContainsComparer) CompareValues(values ...any) error {
	s, ok := values[0].(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", values[0])
	}
	for _, v := range values[1:] {
		sub, ok := v.(string)
		if !ok || sub == "" || !strings.Contains(s, sub) {
			return fmt.Errorf("the value does not contain %v", v)
		}
	}
	return nil
}

var _ compare.ValueComparer = dsContainsComparer{}

// The configuration of an account managed in the same configuration: the
// data source is read once the account exists.
func TestDataSourceWireGuardConfig_withAccountResource(t *testing.T) {
	env := newTestEnv(t)
	const addr = "data.vpnresellers_wireguard_config.this"
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_account" "a" {
  username = "wg-resource"
  password = "password1"
}

data "vpnresellers_wireguard_config" "this" {
  server_id  = 2
  account_id = vpnresellers_account.a.id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(addr, tfjsonpath.New("content"),
						"vpnresellers_account.a", tfjsonpath.New("wg_ip"), dsContainsComparer{}),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"),
						knownvalue.StringRegexp(regexp.MustCompile(`Endpoint = rtm-s01\.321inter\.net:51820`))),
				},
			},
		},
	})
}

func TestDataSourceWireGuardConfig_invalidIDs(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-user")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_wireguard_config" "bad" {
  server_id  = 1
  account_id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)Unable to get the WireGuard configuration of account 999 for server 1.*` +
					`account_id\s+= 999\n.*The API rejected this value: The selected account id is invalid\.`),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "vpnresellers_wireguard_config" "bad" {
  server_id  = 42
  account_id = %d
}
`, acc.ID)),
				ExpectError: regexp.MustCompile(`(?s)server_id\s+= 42\n.*The API rejected this value: The selected server id is invalid\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_wireguard_config" "bad" {
  server_id  = 1
  account_id = 0
}
`),
				ExpectError: regexp.MustCompile(`(?s)account_id.*value must be at least 1`),
			},
		},
	})
}
