package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestDataSourceCustomer_lookups(t *testing.T) {
	env := newTestEnv(t)
	project := env.mock.SeedProject("Acme", "Acme brand")
	// 150 customers: two pages of 100 for the lookup by email.
	for i := range 149 {
		if env.mock.SeedCustomer(project, "First", "Last", fmt.Sprintf("c%d@example.com", i)) == 0 {
			t.Fatal("seeding customers failed")
		}
	}
	jane := env.mock.SeedCustomer(project, "Jane", "Doe", "jane@example.com")
	want := func(email string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"id":         knownvalue.Int64Exact(int64(jane)),
			"first_name": knownvalue.StringExact("Jane"),
			"last_name":  knownvalue.StringExact("Doe"),
			"email":      knownvalue.StringExact(email),
			"project_id": knownvalue.Int64Exact(int64(project)),
			"user_id":    knownvalue.Int64Exact(mockapi.ResellerUserID),
		}
	}
	checks := func(addr string, fields map[string]knownvalue.Check) []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for name, check := range fields {
			out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), check))
		}
		return out
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:         env.resetCalls,
				Config:            env.config(fmt.Sprintf(`data "vpnresellers_customer" "this" { id = %d }`, jane)),
				ConfigStateChecks: checks("data.vpnresellers_customer.this", want("jane@example.com")),
				Check:             env.expectCalls(map[string]int{"GET /customers/{id}": 1}),
			},
			{
				// Emails match without regard to case; the attribute keeps
				// the value as written.
				PreConfig:         env.resetCalls,
				Config:            env.config(`data "vpnresellers_customer" "this" { email = "Jane@Example.com" }`),
				ConfigStateChecks: checks("data.vpnresellers_customer.this", want("Jane@Example.com")),
				Check:             env.expectCalls(map[string]int{"GET /customers": seamed(2)}),
			},
		},
	})
}

func TestDataSourceCustomer_noMatch(t *testing.T) {
	env := newTestEnv(t)
	project := env.mock.SeedProject("Acme", "Acme brand")
	env.mock.SeedCustomer(project, "Jane", "Doe", "jane@example.com")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_customer" "x" {
  id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No customer found.*id = 999\n.*There is no customer with id 999\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_customer" "x" {
  email = "john@example.com"
}
`),
				ExpectError: regexp.MustCompile(`(?s)No customer found.*email = "john@example.com"\n.*There is no customer with email\s+"john@example.com"\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_customer" "x" {
  id    = 1
  email = "jane@example.com"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be\s+configured: \[id,email\]`),
			},
		},
	})
}
