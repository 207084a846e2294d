package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestDataSourceProject_lookups(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedProject("Other", "another project")
	acme := env.mock.SeedProject("Acme", "Acme brand")
	env.mock.SeedProject("acme", "same name but for case")
	checks := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(int64(acme))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Acme")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Acme brand")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.Int64Exact(mockapi.ResellerUserID)),
		}
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:         env.resetCalls,
				Config:            env.config(fmt.Sprintf(`data "vpnresellers_project" "this" { id = %d }`, acme)),
				ConfigStateChecks: checks("data.vpnresellers_project.this"),
				Check:             env.expectCalls(map[string]int{"GET /projects/{id}": 1}),
			},
			{
				// Names match exactly ("acme" is another project).
				PreConfig:         env.resetCalls,
				Config:            env.config(`data "vpnresellers_project" "this" { name = "Acme" }`),
				ConfigStateChecks: checks("data.vpnresellers_project.this"),
				Check:             env.expectCalls(map[string]int{"GET /projects": 1}),
			},
		},
	})
}

// dsWrapped matches msg as Terraform prints it, wrapped over several lines.
func dsWrapped(msg string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(msg)), `\s+`)
}

func TestDataSourceProject_noneOrMany(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedProject("Acme", "one")
	dup1 := env.mock.SeedProject("Dup", "first")
	dup2 := env.mock.SeedProject("Dup", "second")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "vpnresellers_project" "x" {
  name = "Dup"
}
`),
				ExpectError: regexp.MustCompile(`(?s)More than one project found.*name = "Dup"\n.*` + dsWrapped(fmt.Sprintf(
					"2 projects have name %q (ids %d, %d). Project names are not unique: look the project up by `id` instead.",
					"Dup", dup1, dup2))),
			},
			{
				Config: env.config(`
data "vpnresellers_project" "x" {
  name = "Nope"
}
`),
				ExpectError: regexp.MustCompile(`(?s)No project found.*name = "Nope"\n.*There is no project with name "Nope"\.`),
			},
			{
				Config: env.config(`
data "vpnresellers_project" "x" {
  id = 999
}
`),
				ExpectError: regexp.MustCompile(`(?s)No project found.*id = 999\n.*There is no project with id 999\.`),
			},
			{
				Config:      env.config(`data "vpnresellers_project" "x" {}`),
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be\s+configured: \[id,name\]`),
			},
		},
	})
}

// A project managed in the same configuration, found by its name once it
// exists.
func TestDataSourceProject_withProjectResource(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "vpnresellers_project" "p" {
  name        = "Managed"
  description = "by Terraform"
}

data "vpnresellers_project" "by_name" {
  name       = vpnresellers_project.p.name
  depends_on = [vpnresellers_project.p]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vpnresellers_project.by_name", tfjsonpath.New("description"), knownvalue.StringExact("by Terraform")),
				},
			},
		},
	})
}
