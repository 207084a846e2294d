package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// What needs which CLI: the fleet's passwords are write-only, so on
// Terraform 1.5 to 1.10 a plan that creates accounts fails at plan time,
// naming the version it needs, while accounts that exist are managed.

func TestCLIVersion_below(t *testing.T) {
	for v, want := range map[cliVersion]bool{
		"1.5.7": true, "1.10.5": true, "1.11.0": false, "1.15.9": false, "1.11.0-beta1": true,
		"": false, "not a version": false,
	} {
		if got := v.below(writeOnlyVersion); got != want {
			t.Errorf("%q below %s: %v, want %v", v, writeOnlyVersion, got, want)
		}
	}
}

// On a CLI without write-only arguments, creating fleet accounts fails at
// plan, naming Terraform 1.11, and writes nothing.
func TestResourceAccounts_createNeedsWriteOnlyCLI(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipAbove(version.Must(version.NewVersion("1.10.99"))),
		},
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "vpnresellers_accounts" "fleet" {
  accounts = { ann = {}, bob = {} }
}
`),
			ExpectError: regexp.MustCompile(`(?s)Terraform 1.11 or later needed to create these accounts.*2 accounts \("ann",\s+"bob"\).*this\s+CLI\s+is\s+version\s+1\.`),
		}},
		CheckDestroy: env.checkEmpty,
	})
}

// Accounts that exist need no password: an import block brings them into
// the fleet, and a change of enabled is applied, on every CLI from 1.5 on.
func TestResourceAccounts_existingAccountsWithoutPasswords(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedAccounts(2, "old") // old1, old2
	cfg := env.config(`
import {
  to = vpnresellers_accounts.fleet
  id = "old1,old2"
}

resource "vpnresellers_accounts" "fleet" {
  accounts = {
    old1 = { enabled = false }
    old2 = {}
  }
  deletion_protection = false
}
`)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				fleetEntryValue("old1", "status", knownvalue.StringExact("Disabled")),
				fleetEntryValue("old2", "status", knownvalue.StringExact("Active")),
			},
		}},
	})
}
