package provider

import (
	"math/big"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// decimal parses s as Terraform parses a number literal.
func dsDecimal(t *testing.T, s string) *big.Float {
	t.Helper()
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDataSourceProfile_balance(t *testing.T) {
	env := newTestEnv(t)
	const addr = "data.vpnresellers_profile.this"
	config := env.config(`
data "vpnresellers_profile" "this" {}

check "balance" {
  assert {
    condition     = data.vpnresellers_profile.this.balance > 10
    error_message = "The reseller balance is ${data.vpnresellers_profile.this.balance_text}."
  }
}

output "rich"  { value = data.vpnresellers_profile.this.balance > 100 }
output "plus"  { value = data.vpnresellers_profile.this.balance + 0.3 }
output "tenth" { value = data.vpnresellers_profile.this.balance == 0.1 }
output "large" { value = data.vpnresellers_profile.this.balance == 12345678901234567.89 }
`)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("balance"), knownvalue.NumberExact(dsDecimal(t, "253.7"))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("balance_text"), knownvalue.StringExact("253.70")),
					statecheck.ExpectKnownOutputValue("rich", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("plus", knownvalue.NumberExact(dsDecimal(t, "254"))),
					statecheck.ExpectKnownOutputValue("tenth", knownvalue.Bool(false)),
				},
				Check: env.expectCalls(map[string]int{"GET /profile": 1}),
			},
			{
				// Decimals are exact: "0.10" equals the literal 0.1, which a
				// float64 would not (the check block only warns).
				PreConfig: func() { env.mock.SetBalance("0.10") },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("balance"), knownvalue.NumberExact(dsDecimal(t, "0.1"))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("balance_text"), knownvalue.StringExact("0.10")),
					statecheck.ExpectKnownOutputValue("rich", knownvalue.Bool(false)),
					statecheck.ExpectKnownOutputValue("plus", knownvalue.NumberExact(dsDecimal(t, "0.4"))),
					statecheck.ExpectKnownOutputValue("tenth", knownvalue.Bool(true)),
				},
			},
			{
				// More digits than a float64 holds.
				PreConfig: func() { env.mock.SetBalance("12345678901234567.89") },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("balance"), knownvalue.NumberExact(dsDecimal(t, "12345678901234567.89"))),
					statecheck.ExpectKnownOutputValue("large", knownvalue.Bool(true)),
				},
			},
			{
				// A precondition on the balance stops the run.
				PreConfig: func() { env.mock.SetBalance("5.00") },
				Config: env.config(`
data "vpnresellers_profile" "this" {}

resource "terraform_data" "guard" {
  lifecycle {
    precondition {
      condition     = data.vpnresellers_profile.this.balance >= 10
      error_message = "Balance too low: ${data.vpnresellers_profile.this.balance_text}."
    }
  }
}
`),
				ExpectError: regexp.MustCompile(`Balance too low: 5\.00\.`),
			},
		},
	})
}
