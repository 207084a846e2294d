package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

func customerConfig(project, first, last, email string) string {
	return fmt.Sprintf(`
resource "vpnresellers_project" "a" {
  name        = "Brand A"
  description = "First brand"
}

resource "vpnresellers_project" "b" {
  name        = "Brand B"
  description = "Second brand"
}

resource "vpnresellers_customer" "test" {
  project_id = vpnresellers_project.%s.id
  first_name = %q
  last_name  = %q
  email      = %q
}
`, project, first, last, email)
}

func TestAccCustomer_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	const addr = "vpnresellers_customer.test"
	var id int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(customerConfig("a", "Jane", "Doe", "jane@example.com")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("project_id"), "vpnresellers_project.a", tfjsonpath.New("id"), compareEqual),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("jane@example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"POST /projects": 2, "POST /customers": 1, "GET /projects": 1, "GET /customers": 1}), // + high-water marks
					func(s *terraform.State) (err error) { id, err = stateID(s, addr); return err },
				),
			},
			{
				// Only the changed field is sent, in place.
				PreConfig: env.resetCalls,
				Config:    env.config(customerConfig("a", "Jane", "Smith", "jane@example.com")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_name"), knownvalue.StringExact("Smith")),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /projects/{id}": 2, "GET /customers/{id}": 1, "PUT /customers/{id}": 1}),
					func(*terraform.State) error {
						c, err := env.client.GetCustomer(env.ctx(), id)
						if err != nil {
							return err
						}
						if c.LastName != "Smith" || c.FirstName != "Jane" {
							return fmt.Errorf("API holds %+v", c)
						}
						return nil
					},
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// Moving to another project replaces the customer.
				Config: env.config(customerConfig("b", "Jane", "Smith", "jane@example.com")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(2)),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("project_id"), "vpnresellers_project.b", tfjsonpath.New("id"), compareEqual),
				},
				Check: func(s *terraform.State) (err error) { id, err = stateID(s, addr); return err },
			},
			{
				// Out-of-band edit is detected and put back.
				PreConfig: func() {
					email := "other@example.com"
					if err := env.client.UpdateCustomer(env.ctx(), id, client.UpdateCustomerRequest{Email: &email}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(customerConfig("b", "Jane", "Smith", "jane@example.com")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("jane@example.com")),
					},
				},
			},
			{
				// Out-of-band delete: created again.
				PreConfig: func() {
					if err := env.client.DeleteCustomer(env.ctx(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(customerConfig("b", "Jane", "Smith", "jane@example.com")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccCustomer_validation(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config:      env.config(customerConfig("a", "Jane", "Doe", "not-an-email")),
				ExpectError: regexp.MustCompile(`(?s)Invalid email.*not an email address`),
				PlanOnly:    true,
			},
			{
				Config:      env.config(customerConfig("a", "", "Doe", "jane@example.com")),
				ExpectError: regexp.MustCompile(`(?s)Invalid first_name.*must not be empty`),
				PlanOnly:    true,
			},
			{
				// A taken email is a 422 from the API, shown on the attribute.
				PreConfig: func() {
					p, err := env.client.CreateProject(env.ctx(), client.ProjectRequest{Name: "x", Description: "y"})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := env.client.CreateCustomer(env.ctx(), client.CreateCustomerRequest{FirstName: "T", LastName: "Aken", Email: "taken@example.com", ProjectID: p.ID}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      env.config(`resource "vpnresellers_customer" "test" {` + "\n" + `project_id = 1` + "\n" + `first_name = "J"` + "\n" + `last_name = "D"` + "\n" + `email = "taken@example.com"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)with vpnresellers_customer.test,.*email.*has already been taken`),
			},
			{
				// Clean up the out-of-band objects so destroy leaves the API empty.
				PreConfig: func() {
					if err := env.client.DeleteCustomer(env.ctx(), 1); err != nil {
						t.Fatal(err)
					}
					if err := env.client.DeleteProject(env.ctx(), 1); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(``),
			},
		},
	})
}
