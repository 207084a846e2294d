package provider

import (
	"context"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// vpnresellers_account: state shapes: fractional ids and the v0 upgrade.

// A fractional id is an error on the attribute that says so, not an
// internal error of the provider.
func TestResourceAccount_fractionalIDs(t *testing.T) {
	env := newTestEnv(t)
	steps := []resource.TestStep{
		{
			Config: env.config(`
resource "vpnresellers_account" "test" {
  username    = "frac"
  password    = "secret-1"
  customer_id = 1.5
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid customer_id.*with vpnresellers_account.test,.*1\.5 is not a whole number`),
		},
		{
			Config: env.config(`
resource "vpnresellers_customer" "test" {
  project_id = 3.25
  first_name = "A"
  last_name  = "B"
  email      = "ab@example.com"
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid project_id.*3\.25 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_account" "x" { id = 2.5 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*2\.5 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_customer" "x" { id = 7.1 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*7\.1 is not a whole number`),
		},
		{
			Config:      env.config(`data "vpnresellers_project" "x" { id = 0.5 }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*0\.5 is not a whole number`),
		},
		{
			Config: env.config(`data "vpnresellers_wireguard_config" "x" {
  server_id  = 1.5
  account_id = 1
}`),
			ExpectError: regexp.MustCompile(`(?s)Invalid server_id.*1\.5 is not a whole number`),
		},
		{
			Config: env.config(`data "vpnresellers_openvpn_config" "x" {
  server_id = 1
  port_id   = 2.5
}`),
			ExpectError: regexp.MustCompile(`(?s)Invalid port_id.*2\.5 is not a whole number`),
		},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	unitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// A state written by schema version 0 holds the WireGuard private key; the
// upgrade to version 1 leaves it behind and keeps everything else.
func TestResourceAccount_upgradeFromV0DropsPrivateKey(t *testing.T) {
	ctx := context.Background()
	srv, err := NewServer("test", nil)()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := schemas.ResourceSchemas["vpnresellers_account"]
	if s.Version != 1 {
		t.Fatalf("schema version %d, want 1", s.Version)
	}
	v0 := `{"id":7,"username":"alice","password":"secret-1","password_wo":null,"password_wo_version":null,` +
		`"customer_id":3,"enabled":true,"expire_at":"2031-01-31","status":"Active","wg_ip":"10.8.0.7",` +
		`"wg_public_key":"PUBLIC-KEY","wg_private_key":"PRIVATE-KEY-v0","created":"2024-01-01 00:00:00","updated":"2024-01-02 00:00:00"}`
	resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "vpnresellers_account", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(v0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	if resp.UpgradedState == nil {
		t.Fatal("no upgraded state")
	}
	if strings.Contains(string(resp.UpgradedState.MsgPack)+string(resp.UpgradedState.JSON), "PRIVATE-KEY-v0") {
		t.Fatal("the upgraded state still holds the private key")
	}
	v, err := resp.UpgradedState.Unmarshal(s.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if _, ok := attrs["wg_private_key"]; ok {
		t.Fatal("wg_private_key is still an attribute")
	}
	want := map[string]string{"username": "alice", "wg_public_key": "PUBLIC-KEY", "expire_at": "2031-01-31", "password": "secret-1"}
	for name, w := range want {
		var got string
		if err := attrs[name].As(&got); err != nil || got != w {
			t.Errorf("%s = %q (%v), want %q", name, got, err, w)
		}
	}
	var cust big.Float
	if err := attrs["customer_id"].As(&cust); err != nil || cust.String() != "3" {
		t.Errorf("customer_id = %s (%v), want 3", cust.String(), err)
	}
}
