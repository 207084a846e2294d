package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The real-API tier: TestAcc* tests run Terraform against the API that
// VPNRESELLERS_BASE_URL (default: production) and VPNRESELLERS_TOKEN point at.
// Everything they create is named with accPrefix, so that `make sweep` can
// delete what a failed run leaves behind without touching anything else.

// accPrefix starts the name of every object the real-API tier creates: project
// names, customer emails and account usernames.
const accPrefix = "tfacc-"

// accName is a fresh name under accPrefix.
func accName() string {
	return accPrefix + acctest.RandString(10)
}

// accTest runs a real-API test case, or skips with a one-line reason when
// TF_ACC or VPNRESELLERS_TOKEN is unset.
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	switch {
	case os.Getenv(resource.EnvTfAcc) == "":
		t.Skip("real-API acceptance test: set TF_ACC=1 and VPNRESELLERS_TOKEN to run it")
	case os.Getenv(EnvToken) == "":
		t.Skip("real-API acceptance test: VPNRESELLERS_TOKEN is unset")
	}
	skipWithoutTerraform(t)
	resource.Test(t, tc)
}

// accClient is a client for the API the real-API tier runs against, for
// out-of-band checks and the sweepers.
func accClient() (*client.Client, error) {
	token := os.Getenv(EnvToken)
	if token == "" {
		return nil, errors.New(EnvToken + " is unset")
	}
	return client.New(client.Config{BaseURL: os.Getenv(EnvBaseURL), Token: token})
}

// accConfig is a project with one customer and one account, all named after
// name; description is the part the test changes in place.
func accConfig(name, description string) string {
	return fmt.Sprintf(`
provider "vpnresellers" {}

resource "vpnresellers_project" "test" {
  name        = %[1]q
  description = %[2]q
}

resource "vpnresellers_customer" "test" {
  project_id = vpnresellers_project.test.id
  first_name = "Terraform"
  last_name  = "Acceptance"
  email      = "%[1]s@example.com"
}

resource "vpnresellers_account" "test" {
  username    = %[1]q
  password    = %[3]q
  customer_id = vpnresellers_customer.test.id
}
`, name, description, "pw-"+acctest.RandString(16))
}

func TestAccProjectCustomerAccount_lifecycle(t *testing.T) {
	name := accName()
	config := accConfig(name, "created by the acceptance tests")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             accCheckGone(name),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vpnresellers_project.test", tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue("vpnresellers_customer.test", tfjsonpath.New("email"), knownvalue.StringExact(name+"@example.com")),
					statecheck.ExpectKnownValue("vpnresellers_account.test", tfjsonpath.New("username"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue("vpnresellers_account.test", tfjsonpath.New("status"), knownvalue.StringExact(client.StatusActive)),
				},
			},
			{
				// Nothing changed: the API reads back what was written.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: accConfig(name, "updated by the acceptance tests"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vpnresellers_project.test", plancheck.ResourceActionUpdate),
					},
				},
			},
			{
				ResourceName:            "vpnresellers_account.test",
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
		},
	})
}

// accCheckGone is a CheckDestroy: the API holds nothing named name any more.
func accCheckGone(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := accClient()
		if err != nil {
			return err
		}
		ctx := context.Background()
		var left []string
		for _, s := range sweepers {
			names, err := s.list(ctx, c)
			if err != nil {
				return err
			}
			for _, n := range names {
				if strings.HasPrefix(n.name, name) {
					left = append(left, fmt.Sprintf("%s %d (%s)", s.resourceType, n.id, n.name))
				}
			}
		}
		if len(left) > 0 {
			return fmt.Errorf("after destroy the API still holds: %s", strings.Join(left, ", "))
		}
		return nil
	}
}
