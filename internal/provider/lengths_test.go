package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Length limits count characters, as the API's validation does (Laravel's
// max:255 counts characters, not bytes): a username of 255 "é" (510 bytes)
// or of 100 CJK characters (300 bytes) is accepted, one of 256 ASCII
// letters is not.

var (
	e255     = strings.Repeat("é", 255)
	cjk100   = strings.Repeat("漢", 100)
	ascii256 = strings.Repeat("a", 256)
)

func longNamedAccounts(password string) string {
	return fmt.Sprintf(`
resource "vpnresellers_account" "e" {
  username = %q
  password = %q
}

resource "vpnresellers_account" "cjk" {
  username = %q
  password = %q
}
`, e255, password, cjk100, password)
}

func TestLengths_accountUsernamesCountCharacters(t *testing.T) {
	env := newTestEnv(t)
	verify := []string{"password"}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
resource "vpnresellers_account" "long" {
  username = %q
  password = "pw-123456"
}
`, ascii256)),
				ExpectError: regexp.MustCompile(`(?s)username.*256 characters long; the API takes at most 255`),
				PlanOnly:    true,
			},
			{
				// Six characters of twelve bytes are a valid password; five
				// of ten bytes are not.
				Config:      env.config(longNamedAccounts("ééééé")),
				ExpectError: regexp.MustCompile(`(?s)password.*5 characters long; the API takes at least 6`),
				PlanOnly:    true,
			},
			{
				Config: env.config(longNamedAccounts("éééééé")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vpnresellers_account.e", tfjsonpath.New("username"), knownvalue.StringExact(e255)),
					statecheck.ExpectKnownValue("vpnresellers_account.cjk", tfjsonpath.New("username"), knownvalue.StringExact(cjk100)),
				},
			},
			{
				ResourceName: "vpnresellers_account.e", ImportState: true, ImportStateVerify: true,
				ImportStateId: "username:" + e255, ImportStateVerifyIgnore: verify,
			},
			{
				ResourceName: "vpnresellers_account.cjk", ImportState: true, ImportStateVerify: true,
				ImportStateId: cjk100, ImportStateVerifyIgnore: verify,
			},
		},
	})
}

func TestLengths_fleetUsernamesCountCharacters(t *testing.T) {
	env := newTestEnv(t)
	fleet := func(names ...string) string {
		var accounts, passwords []string
		for _, n := range names {
			accounts = append(accounts, fmt.Sprintf("%q = {}", n))
			passwords = append(passwords, fmt.Sprintf("%q = \"pw-123456\"", n))
		}
		return env.config(fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = { %s }
  passwords_wo         = { %s }
  passwords_wo_version = 1
  deletion_protection  = false
}
`, strings.Join(accounts, ", "), strings.Join(passwords, ", ")))
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config:      fleet(ascii256),
				ExpectError: regexp.MustCompile(`(?s)accounts.*256 characters long; the API takes at most 255`),
				PlanOnly:    true,
			},
			{
				Config: fleet(e255, cjk100),
				Check:  resource.ComposeTestCheckFunc(env.fleetTracksAll(), env.accountCount(2)),
			},
			{
				ResourceName: fleetAddr, ImportState: true, ImportStateId: e255 + "," + cjk100,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					a := states[0].Attributes
					if a["accounts.%"] != "2" || a["accounts."+e255+".id"] == "" || a["accounts."+cjk100+".id"] == "" {
						return fmt.Errorf("imported %s accounts: %v", a["accounts.%"], a)
					}
					return nil
				},
			},
		},
	})
}

// A project made in the panel with a description of 150 Cyrillic
// characters (278 bytes) imports, with a configuration that holds it.
func TestLengths_projectDescriptionImports(t *testing.T) {
	env := newTestEnv(t)
	desc := strings.Repeat("Ж", 140) + strings.Repeat("ъ", 10)
	if len(desc) <= 255 {
		t.Fatalf("the description is only %d bytes", len(desc))
	}
	p, err := env.client.CreateProject(env.ctx(), client.ProjectRequest{Name: "Панель", Description: desc})
	if err != nil {
		t.Fatal(err)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
import {
  to = vpnresellers_project.p
  id = %q
}

resource "vpnresellers_project" "p" {
  name        = "Панель"
  description = %q
}
`, strconv.FormatInt(p.ID, 10), desc)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("vpnresellers_project.p", tfjsonpath.New("description"), knownvalue.StringExact(desc)),
			},
			Check: func(*terraform.State) error { return env.holds(1, 0, 0) },
		}},
	})
}
