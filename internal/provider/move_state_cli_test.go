package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// CLI tests of the migration from Mastercard/restapi (move_state.go): real
// restapi_object resources made by the real restapi provider against the
// mock, then moved into this provider's resources, as the guide
// "Migrating from restapi and http" tells.

// restapiPeer is the script, kept next to the checkout, that prints a
// filesystem mirror holding restapi 3.0.0 (see ../shared/peers/README.md).
const restapiPeer = "../shared/peers/restapi-3.0.0"

// useRestapiMirror points the workspace's CLI configuration at the
// filesystem mirror holding restapi 3.0.0, or skips the test, saying why.
// The workspace needs Terraform 1.8 or later (moves across providers).
func (w *cliWorkspace) useRestapiMirror() {
	w.t.Helper()
	root, err := repoRoot()
	if err != nil {
		w.t.Fatal(err)
	}
	peer := filepath.Join(root, restapiPeer)
	if _, err := os.Stat(peer); err != nil {
		w.t.Skipf("no %s next to the checkout: the restapi migration tests need Mastercard/restapi 3.0.0 in a "+
			"filesystem mirror, which the script %s prints (see ../shared/peers/README.md)", peer, restapiPeer)
	}
	out, err := exec.Command(peer).Output()
	if err != nil {
		w.t.Fatalf("%s: %v", peer, err)
	}
	w.skipBelow("1.8.0")
	w.Write(".terraformrc", fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/mastercard/restapi"]
  }
  direct {
    exclude = ["registry.terraform.io/mastercard/restapi"]
  }
}
`, strings.TrimSpace(string(out))))
}

// repoRoot is the directory holding go.mod, above the test's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test directory")
		}
		dir = parent
	}
}

// restapiProviders is the terraform block and the restapi provider blocks
// against env's mock: the default one with the host as uri (paths start
// with /v4_1), and restapi.v41 with the base URL, /v4_1 included, as uri.
func (e *testEnv) restapiProviders() string {
	provider := func(alias, uri string) string {
		return fmt.Sprintf(`
provider "restapi" {
  %s
  uri                  = %q
  id_attribute         = "data/id"
  write_returns_object = true
  headers = {
    Authorization = "Bearer %s"
    Content-Type  = "application/json"
  }
}
`, alias, uri, e.mock.Token())
	}
	return `
terraform {
  required_providers {
    restapi      = { source = "Mastercard/restapi", version = "3.0.0" }
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}
` + provider("", strings.TrimSuffix(e.url, "/v4_1")) + provider(`alias = "v41"`, e.url) + e.configWith("", "")
}

// fleetLocals are the 10 brands (projects, for_each), the brand of each
// of the 10 customers (count) and the 30 accounts (username to customer
// index). With oneProject every customer is in the first brand.
func fleetLocals(oneProject bool) string {
	brand := `"brand${i}"`
	if oneProject {
		brand = `"brand0"`
	}
	return `
locals {
  brands         = { for i in range(10) : "brand${i}" => i }
  customer_brand = [for i in range(10) : ` + brand + `]
  accounts       = { for i in range(30) : format("user%02d", i) => i % 10 }
}
`
}

// restapiFleet is the configuration a reseller has before this provider:
// projects (for_each, through restapi.v41 with paths without /v4_1),
// customers and accounts (count), the accounts' passwords in data.
const restapiFleet = `
resource "restapi_object" "project" {
  provider                = restapi.v41
  for_each                = local.brands
  path                    = "/projects"
  data                    = jsonencode({ name = "Brand ${each.value}", description = "VPN sold as brand ${each.value}" })
  ignore_server_additions = true
}

resource "restapi_object" "customer" {
  count = 10
  path  = "/v4_1/customers"
  data = jsonencode({
    first_name = "First"
    last_name  = "Last${count.index}"
    email      = "customer${count.index}@example.com"
    project_id = tonumber(restapi_object.project[local.customer_brand[count.index]].id)
  })
  ignore_server_additions = true
}

resource "restapi_object" "account" {
  count = 30
  path  = "/v4_1/accounts"
  data = jsonencode({
    username = format("user%02d", count.index)
    password = format("pw-secret-%02d", count.index)
    customer = { customer_id = tonumber(restapi_object.customer[count.index % 10].id) }
  })
  ignore_server_additions = true
}
`

// typedProjectsAndCustomers replaces the restapi projects and customers:
// whole-resource moves, the keys (for_each and count) unchanged.
const typedProjectsAndCustomers = `
resource "vpnresellers_project" "project" {
  for_each    = local.brands
  name        = "Brand ${each.value}"
  description = "VPN sold as brand ${each.value}"
}

resource "vpnresellers_customer" "customer" {
  count      = 10
  project_id = vpnresellers_project.project[local.customer_brand[count.index]].id
  first_name = "First"
  last_name  = "Last${count.index}"
  email      = "customer${count.index}@example.com"
}

moved {
  from = restapi_object.project
  to   = vpnresellers_project.project
}

moved {
  from = restapi_object.customer
  to   = vpnresellers_customer.customer
}
`

// typedAccounts replaces the restapi accounts (count) by vpnresellers_account
// keyed by username (for_each); passwordArgs go into each block.
func typedAccounts(passwordArgs string) string {
	var moved strings.Builder
	// One moved block per instance, as the guide generates them when the
	// keys change (count index to username).
	for i := range 30 {
		fmt.Fprintf(&moved, "\nmoved {\n  from = restapi_object.account[%d]\n  to   = vpnresellers_account.account[%q]\n}\n", i, fmt.Sprintf("user%02d", i))
	}
	return `
resource "vpnresellers_account" "account" {
  for_each    = local.accounts
  username    = each.key
  customer_id = vpnresellers_customer.customer[each.value].id
  ` + passwordArgs + `
}
` + moved.String()
}

// buildRestapiFleet applies the restapi configuration and checks that its
// state holds the passwords, as restapi keeps them.
func buildRestapiFleet(t *testing.T, env *testEnv, w *cliWorkspace, oneProject bool) {
	t.Helper()
	w.Write("main.tf", env.restapiProviders()+fleetLocals(oneProject)+restapiFleet)
	w.MustRun(nil, "init", "-no-color")
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if err := env.holds(10, 10, 30); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Read("terraform.tfstate"), "pw-secret-07") {
		t.Fatal("the restapi state does not hold the passwords: the test proves nothing")
	}
}

// expectNoWrite fails the test when the mock served anything but reads
// since the last resetCalls, and returns the number of reads.
func expectNoWrite(t *testing.T, env *testEnv, what string) int {
	t.Helper()
	reads := 0
	for route, n := range env.mock.Counts() {
		switch {
		case n == 0:
		case strings.HasPrefix(route, "GET "):
			reads += n
		default:
			t.Errorf("%s wrote to the API: %s called %d times", what, route, n)
		}
	}
	return reads
}

// expectNoSecret fails the test when the state holds a password or a
// WireGuard private key of the accounts.
func expectNoSecret(t *testing.T, env *testEnv, w *cliWorkspace) {
	t.Helper()
	state := w.Read("terraform.tfstate")
	if strings.Contains(state, "pw-secret-") {
		t.Error("the state still holds a password")
	}
	accounts, err := env.client.ListAllAccounts(env.ctx(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if full, err := env.client.GetAccount(env.ctx(), a.ID); err != nil {
			t.Fatal(err)
		} else if full.WgPrivateKey != "" && strings.Contains(state, full.WgPrivateKey) {
			t.Errorf("the state holds the WireGuard private key of %s", a.Username)
		}
	}
	if strings.Contains(state, "restapi_object") {
		t.Error("the state still holds restapi_object resources")
	}
}

// The "done when": 10 projects, 10 customers and 30 accounts made
// with restapi (for_each and count) move into typed resources with a plan
// of moves only, an apply that writes nothing, no password left in state
// and an empty plan after. The moved accounts then take password_wo: the
// first version is recorded without a write, the next one is sent.
func TestMoveState_cliFromRestapi(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.useRestapiMirror()
	buildRestapiFleet(t, env, w, false)

	w.Write("main.tf", env.restapiProviders()+fleetLocals(false)+typedProjectsAndCustomers+typedAccounts(""))
	env.resetCalls()
	start := time.Now()
	plan := w.MustRun(nil, "plan", "-no-color", "-out=move.plan").Stdout
	elapsed := time.Since(start)
	if !strings.Contains(plan, "Plan: 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the move plan is not moves only:\n%s", plan)
	}
	if n := strings.Count(plan, " has moved to "); n != 50 {
		t.Errorf("the plan shows %d moves, want 50:\n%s", n, plan)
	}
	if strings.Contains(plan, "will be updated") || strings.Contains(plan, "must be replaced") {
		t.Errorf("the move plan changes objects:\n%s", plan)
	}
	reads := expectNoWrite(t, env, "the move plan")
	t.Logf("move plan of 50 objects: %s, %d API reads %s", elapsed.Round(time.Millisecond), reads, formatCalls(env.mock.Counts()))

	env.resetCalls()
	w.MustRun(nil, "apply", "-no-color", "move.plan")
	expectNoWrite(t, env, "the move apply")
	expectNoSecret(t, env, w)
	if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the move is not empty:\n%s", out)
	}
	state := w.Read("terraform.tfstate")
	wants := []string{`"wg_public_key": "`, `"status": "Active"`}
	if w.atLeast("1.12.0") {
		wants = append(wants, `"identity": {`) // identity needs Terraform 1.12+
	}
	for _, want := range wants {
		if !strings.Contains(state, want) {
			t.Errorf("the moved state lacks %s", want)
		}
	}

	// The restapi provider block goes once nothing refers to it.
	w.Write("main.tf", env.providerBlock("")+fleetLocals(false)+typedProjectsAndCustomers+typedAccounts(""))
	if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan without the restapi provider is not empty:\n%s", out)
	}

	w.skipBelow("1.11.0")
	password := func(version int) string {
		return fmt.Sprintf("password_wo = format(\"pw-secret-%%s\", each.key)\n  password_wo_version = %d", version)
	}
	w.Write("main.tf", env.providerBlock("")+fleetLocals(false)+typedProjectsAndCustomers+typedAccounts(password(1)))
	env.resetCalls()
	out := w.MustRun(nil, "apply", "-auto-approve", "-no-color").Output()
	if !strings.Contains(out, "A moved account keeps its password") || !strings.Contains(out, "0 added, 30 changed, 0 destroyed") {
		t.Errorf("the first password_wo_version:\n%s", out)
	}
	expectNoWrite(t, env, "the first password_wo_version of moved accounts")

	w.Write("main.tf", env.providerBlock("")+fleetLocals(false)+typedProjectsAndCustomers+typedAccounts(password(2)))
	env.resetCalls()
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if n := env.mock.Counts()["PUT /accounts/{id}/change_password"]; n != 30 {
		t.Errorf("the next version sent %d passwords, want 30", n)
	}
	expectNoSecret(t, env, w)
}

// The same 30 accounts into one vpnresellers_accounts: a moved block cannot
// merge resources, so the restapi accounts leave the state with removed {
// lifecycle { destroy = false } } and one import block brings them in, by
// project:N when they are one project's, by a list of usernames otherwise.
func TestMoveState_cliRestapiAccountsIntoFleet(t *testing.T) {
	for _, tc := range []struct {
		name       string
		oneProject bool
		importID   string // an HCL expression
	}{
		{"project", true, ""}, // project:N, N known once restapi made it
		{"usernames", false, `join(",", keys(local.accounts))`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			w := newCLIWorkspace(t)
			w.useRestapiMirror()
			buildRestapiFleet(t, env, w, tc.oneProject)
			if tc.oneProject {
				projects, err := env.client.ListAllProjects(env.ctx())
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range projects {
					if p.Name == "Brand 0" {
						tc.importID = fmt.Sprintf(`"project:%d"`, p.ID)
					}
				}
			}
			fleet := `
resource "vpnresellers_accounts" "fleet" {
  accounts = {
    for username, customer in local.accounts : username => {
      customer_id = vpnresellers_customer.customer[customer].id
    }
  }
}

removed {
  from = restapi_object.account
  lifecycle {
    destroy = false
  }
}

import {
  to = vpnresellers_accounts.fleet
  id = ` + tc.importID + `
}
`
			w.Write("main.tf", env.restapiProviders()+fleetLocals(tc.oneProject)+typedProjectsAndCustomers+fleet)
			env.resetCalls()
			plan := w.MustRun(nil, "plan", "-no-color", "-out=fleet.plan").Stdout
			if !regexp.MustCompile(`Plan: 1 to import, 0 to add, 0 to change, 0 to destroy`).MatchString(plan) {
				t.Fatalf("plan:\n%s", plan)
			}
			if n := strings.Count(plan, " has moved to "); n != 20 {
				t.Errorf("the plan shows %d moves, want 20", n)
			}
			if n := len(regexp.MustCompile(`# restapi_object\.account\[\d+\] will no longer be managed by Terraform`).FindAllString(plan, -1)); n != 30 {
				t.Errorf("the plan forgets %d restapi accounts, want 30:\n%s", n, plan)
			}
			w.MustRun(nil, "apply", "-no-color", "fleet.plan")
			expectNoWrite(t, env, "moving into one vpnresellers_accounts")
			if err := env.holds(-1, -1, 30); err != nil {
				t.Fatal(err)
			}
			expectNoSecret(t, env, w)
			state := w.Read("terraform.tfstate")
			if n := strings.Count(state, `"wg_public_key": "`); n != 30 {
				t.Errorf("the fleet holds %d accounts, want 30", n)
			}
			if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
				t.Fatalf("the plan after the import is not empty:\n%s", out)
			}
		})
	}
}
