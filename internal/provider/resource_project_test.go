package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

func projectConfig(name, description string) string {
	return `
resource "vpnresellers_project" "test" {
  name        = "` + name + `"
  description = "` + description + `"
}
`
}

func TestResourceProject_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	const addr = "vpnresellers_project.test"
	var id int64
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    env.config(projectConfig("Acme", "Acme brand")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Acme")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Acme brand")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.NotNull()),
				},
				// A create answered with the object is not read back.
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"POST /projects": 1, "PUT /projects/{id}": 1, "GET /projects": 3}), // + the high-water mark, + the PUT that replaces the claim, + the walks for an unfinished twin (the plan and the apply's own plan)
					func(s *terraform.State) (err error) { id, err = stateID(s, addr); return err },
				),
			},
			{
				PreConfig: env.resetCalls,
				Config:    env.config(projectConfig("Acme Inc", "Acme brand, renamed")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Acme Inc")),
				},
				// One refresh, one edit; the edit's answer has no project and
				// is not read back.
				Check: env.expectCalls(map[string]int{"GET /projects/{id}": 1, "PUT /projects/{id}": 1}),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// Out-of-band rename: the plan puts the configured name back.
				PreConfig: func() {
					if err := env.client.UpdateProject(env.ctx(), id, client.ProjectRequest{Name: "Changed", Description: "Acme brand, renamed"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(projectConfig("Acme Inc", "Acme brand, renamed")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Acme Inc")),
					},
				},
			},
			{
				// Out-of-band delete: the project is created again.
				PreConfig: func() {
					if err := env.client.DeleteProject(env.ctx(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(projectConfig("Acme Inc", "Acme brand, renamed")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(2)),
				},
			},
		},
	})
}

func TestResourceProject_importBlock(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: env.config(projectConfig("Acme", "Acme brand"))},
			{
				ResourceName:    "vpnresellers_project.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestResourceProject_validation(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(projectConfig("  ", "x")),
				ExpectError: regexp.MustCompile(`(?s)Invalid name.*must not be empty`),
				PlanOnly:    true,
			},
			{
				Config:      env.config(`resource "vpnresellers_project" "bad" { name = "x" }`),
				ExpectError: regexp.MustCompile(`(?s)Missing required argument.*description`),
				PlanOnly:    true,
			},
			{
				Config: env.config(`
resource "vpnresellers_project" "test" {
  name        = "p"
  description = "d"
}
resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.test.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}
resource "terraform_data" "oob" {
  # Deleting the project behind Terraform's back is refused by the API while
  # the customer exists; deleting through Terraform orders it correctly.
  input = vpnresellers_customer.c.id
}
`),
			},
		},
		CheckDestroy: env.checkEmpty,
	})
}

func TestResourceProject_deleteWithCustomersIsExplained(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_project" "test" {
  name        = "p"
  description = "d"
  timeouts {
    delete = "1s"
  }
}
`),
				Check: func(s *terraform.State) error {
					id, err := stateID(s, "vpnresellers_project.test")
					if err != nil {
						return err
					}
					_, err = env.client.CreateCustomer(env.ctx(), client.CreateCustomerRequest{FirstName: "A", LastName: "B", Email: "a@example.com", ProjectID: id})
					return err
				},
			},
			{
				Config:      env.config(`# project removed`),
				ExpectError: regexp.MustCompile(`(?s)Unable to delete project 1.*has customers`),
			},
			{
				PreConfig: func() {
					custs, err := env.client.ListAllCustomers(env.ctx())
					if err != nil || len(custs) != 1 {
						t.Fatalf("customers: %v %v", custs, err)
					}
					if err := env.client.DeleteCustomer(env.ctx(), custs[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(`# project removed`),
			},
		},
		CheckDestroy: env.checkEmpty,
	})
}
