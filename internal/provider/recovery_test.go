package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// The recovery paths of issue 25: the safety machinery (the claim-then-PUT
// create, the record of unfinished creates, the plan-time checks) never
// traps a workspace, never lets two workspaces hold one object, and every
// way out it names is a plain Terraform command that works when followed.

// graphConfig is a project, a customer in it, n accounts of the customer
// and a fleet of m more: every dependent waits for the customer.
func graphConfig(n, m int) string {
	var b strings.Builder
	b.WriteString(`
resource "vpnresellers_project" "p" {
  name        = "Graph"
  description = "a project with dependents"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.p.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}
`)
	for i := range n {
		fmt.Fprintf(&b, `
resource "vpnresellers_account" "a%d" {
  username    = "graph-%d"
  password    = "secret-%d"
  customer_id = vpnresellers_customer.c.id
}
`, i, i, i)
	}
	if m > 0 {
		b.WriteString(`
resource "vpnresellers_accounts" "f" {
  deletion_protection  = false
  passwords_wo_version = 1
  passwords_wo         = { for k in keys(local.fleet) : k => "fleet-pass-${k}" }
  accounts             = local.fleet
}

locals {
  fleet = {
`)
		for i := range m {
			fmt.Fprintf(&b, "    \"fleet-%d\" = { customer_id = vpnresellers_customer.c.id }\n", i)
		}
		b.WriteString("  }\n}\n")
	}
	return b.String()
}

// A claim PUT that an outage answers with HTML 503s until the retries run
// out leaves the customer (or project) made but unfinished, and tainted;
// no dependent is created. A plain apply then converges: the tainted
// object's plan skips the uniqueness check of its own email, replaces it,
// and creates every dependent.
func TestRecovery_claimPutOutageConverges(t *testing.T) {
	skipWithoutWriteOnly(t)
	for _, route := range []string{"PUT /customers/{id}", "PUT /projects/{id}"} {
		t.Run(route, func(t *testing.T) {
			env := newTestEnv(t)
			w := faultWorkspace(t, env, "max_retries = 1", graphConfig(4, 3))
			env.mock.FailNext(route, 2, mockapi.FailMaintenance)
			r := apply(w)
			if r.Err == nil {
				t.Fatalf("the apply succeeded through the outage:\n%s", r.Output())
			}
			mentions(t, r.Output(), "was created, and it is this workspace's", "terraform untaint")
			failed := converge(t, w, 2)
			if len(failed) > 1 {
				t.Errorf("%d more applies failed before converging", len(failed))
			}
			checkExactly(t, env, w, noObjects(), 1, 1, 7)
		})
	}
}

// -replace of a healthy customer with accounts works in one apply: its
// create pass knows the email is its own, and its accounts go along.
func TestRecovery_replaceOfAHealthyCustomer(t *testing.T) {
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", graphConfig(2, 0))
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	before := stateObjects(t, w)
	r := w.MustRun(nil, "apply", "-auto-approve", "-no-color", "-replace=vpnresellers_customer.c")
	mentions(t, r.Output(), "3 added, 0 changed, 3 destroyed")
	after := stateObjects(t, w)
	for id := range before.Customers {
		if _, still := after.Customers[id]; still {
			t.Errorf("customer %d was not replaced", id)
		}
	}
	checkExactly(t, env, w, noObjects(), 1, 1, 2)
	mustPlanEmpty(t, w)
}

// A copy of a workspace, with the same configuration and the same
// passwords, adopts nothing of the first: its plan fails naming the taken
// usernames (single and fleet) and the import that would take them, it
// writes nothing, and its destroy leaves the first workspace's accounts,
// whose next plan is empty.
func TestRecovery_copiedWorkspaceAdoptsNothing(t *testing.T) {
	skipWithoutWriteOnly(t)
	env := newTestEnv(t)
	cfg := `
resource "vpnresellers_account" "a" {
  username            = "alice"
  password_wo         = "same-pass-1"
  password_wo_version = 1
}

resource "vpnresellers_accounts" "f" {
  deletion_protection  = false
  passwords_wo_version = 1
  passwords_wo         = { bob = "same-pass-2", carol = "same-pass-3" }
  accounts             = { bob = {}, carol = {} }
}
`
	a := namedWorkspace(t, env, "a", "", cfg)
	b := namedWorkspace(t, env, "b", "", cfg)
	a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	env.resetCalls()
	plan := b.Run(nil, "plan", "-no-color")
	if plan.Err == nil {
		t.Fatalf("the copy's plan passed:\n%s", plan.Output())
	}
	mentions(t, plan.Output(), `username "alice"`, `An account named "bob" already exists`, `An account named "carol" already exists`,
		"holds no record of having created it", "never adopted", "Only if", `id = "username:alice"`, `id = "bob,carol"`)
	if strings.Contains(plan.Output(), "is this configuration's") || strings.Contains(plan.Output(), "will be taken into state") {
		t.Errorf("the copy's plan claims the first workspace's accounts:\n%s", plan.Output())
	}
	if r := apply(b); r.Err == nil {
		t.Fatalf("the copy's apply passed:\n%s", r.Output())
	}
	if err := env.expectNoWrites(); err != nil {
		t.Error(err)
	}
	checkApart(t, a, b)
	destroyLeavesOther(t, env, b, a)
	if err := env.holds(-1, -1, 3); err != nil {
		t.Error(err)
	}
}

// A configuration with a new account, fleet entry and customer whose
// username and email someone else took: every plan fails, the one
// Terraform makes before a destroy too, and the error names the way out;
// following it destroys exactly this workspace's objects.
func TestRecovery_destroyWithTakenKeysPending(t *testing.T) {
	skipWithoutWriteOnly(t)
	env := newTestEnv(t)
	base := `
resource "vpnresellers_project" "p" {
  name        = "Mine"
  description = "this workspace's"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.p.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}

resource "vpnresellers_account" "a" {
  username    = "mine"
  password    = "secret-1"
  customer_id = vpnresellers_customer.c.id
}
`
	w := faultWorkspace(t, env, "", base)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	// Someone else takes what the next change asks for.
	project, hand := makeProjectByHand(t, env)
	theirs, err := env.client.CreateCustomer(env.ctx(), client.CreateCustomerRequest{FirstName: "T", LastName: "T", Email: "taken@example.com", ProjectID: project})
	if err != nil {
		t.Fatal(err)
	}
	hand.Customers[int(theirs.ID)] = theirs.Email
	for _, u := range []string{"taken-single", "taken-entry"} {
		acc, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: u, Password: "their-pass"})
		if err != nil {
			t.Fatal(err)
		}
		hand.Accounts[int(acc.ID)] = u
	}
	w.Write("main.tf", env.providerBlock("")+base+`
resource "vpnresellers_customer" "taken" {
  project_id = vpnresellers_project.p.id
  first_name = "T"
  last_name  = "T"
  email      = "TAKEN@example.com"
}

resource "vpnresellers_account" "taken" {
  username = "taken-single"
  password = "secret-2"
}

resource "vpnresellers_accounts" "f" {
  deletion_protection  = false
  passwords_wo_version = 1
  passwords_wo         = { "taken-entry" = "secret-3" }
  accounts             = { "taken-entry" = {} }
}
`)
	env.resetCalls()
	r := w.Run(nil, "destroy", "-auto-approve", "-no-color")
	if r.Err == nil {
		t.Fatalf("the destroy passed its own plan-time checks:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Email already taken", "Username already taken", "terraform destroy -refresh=false")
	if err := env.expectNoWrites(); err != nil {
		t.Fatal(err)
	}
	// Exactly what the error says.
	w.MustRun(nil, "destroy", "-refresh=false", "-auto-approve", "-no-color")
	if got := env.mock.Objects(); !sameObjects(got, hand) {
		t.Errorf("after the destroy the API holds %v, want only what others made: %v", got, hand)
	}
}

// Two resources of one configuration that ask for the same username (a
// single account and a fleet entry, or two fleets) or the same email (in
// any case the API considers equal) fail the plan, naming the other, with
// no write. Emails the API tells apart (İnfo and info) pass.
func TestRecovery_duplicateKeysFailThePlan(t *testing.T) {
	skipWithoutWriteOnly(t)
	env := newTestEnv(t)
	project := fmt.Sprint(env.mock.SeedProject("P", "p"))
	cases := map[string]struct {
		hcl   string
		wants []string
	}{
		"single and fleet": {`
resource "vpnresellers_account" "a" {
  username = "dup"
  password = "secret-1"
}
resource "vpnresellers_accounts" "f" {
  passwords_wo_version = 1
  passwords_wo         = { dup = "secret-2" }
  accounts             = { dup = {} }
}
`, []string{"Username asked for twice in this configuration", `vpnresellers_account with username "dup"`, `vpnresellers_accounts with the key "dup"`}},
		"two fleets": {`
resource "vpnresellers_accounts" "f" {
  passwords_wo_version = 1
  passwords_wo         = { dup = "secret-2" }
  accounts             = { dup = {} }
}
resource "vpnresellers_accounts" "g" {
  passwords_wo_version = 1
  passwords_wo         = { dup = "secret-3" }
  accounts             = { dup = {} }
}
`, []string{"Username asked for twice in this configuration", `vpnresellers_accounts with the key "dup"`}},
		"emails folding to one": {`
resource "vpnresellers_customer" "a" {
  project_id = ` + project + `
  first_name = "S"
  last_name  = "A"
  email      = "SAM@example.com"
}
resource "vpnresellers_customer" "b" {
  project_id = ` + project + `
  first_name = "S"
  last_name  = "B"
  email      = "ſam@example.com"
}
`, []string{"Email asked for twice in this configuration", "vpnresellers_customer with email"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := faultWorkspace(t, env, "", tc.hcl)
			env.resetCalls()
			r := w.Run(nil, "plan", "-no-color")
			if r.Err == nil {
				t.Fatalf("the plan passed:\n%s", r.Output())
			}
			mentions(t, r.Output(), tc.wants...)
			if err := env.expectNoWrites(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("emails the API tells apart", func(t *testing.T) {
		w := faultWorkspace(t, env, "", `
resource "vpnresellers_customer" "a" {
  project_id = `+project+`
  first_name = "I"
  last_name  = "A"
  email      = "info@example.com"
}
resource "vpnresellers_customer" "b" {
  project_id = `+project+`
  first_name = "I"
  last_name  = "B"
  email      = "İnfo@example.com"
}
`)
		w.MustRun(nil, "apply", "-auto-approve", "-no-color")
		mustPlanEmpty(t, w)
	})
}

// A username with a colon (Basic auth cannot carry it) whose create lost
// its answer, and whose settling failed too, is settled by the next plain
// apply: one account, made once, single and fleet alike.
func TestRecovery_colonUsernameSettles(t *testing.T) {
	skipWithoutWriteOnly(t)
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "max_retries = 0", `
resource "vpnresellers_account" "a" {
  username            = "co:lon"
  password_wo         = "secret-1"
  password_wo_version = 1
}

resource "vpnresellers_accounts" "f" {
  deletion_protection  = false
  passwords_wo_version = 1
  passwords_wo         = { "fleet:colon" = "secret-2" }
  accounts             = { "fleet:colon" = {} }
}
`)
	env.mock.FailNext("POST /accounts", 2, mockapi.FailAfter)
	lost := func(next http.Handler, rw http.ResponseWriter, req *http.Request) {
		env.mock.FailNext("GET /accounts", 1, mockapi.FailServerError) // the walk that would settle it
		next.ServeHTTP(rw, req)
	}
	env.mock.InterceptNext("POST /accounts", lost, lost)
	if r := apply(w); r.Err == nil && !strings.Contains(r.Output(), "were not created") {
		t.Fatalf("the creates were confirmed:\n%s", r.Output())
	}
	if err := env.holds(-1, -1, 2); err != nil {
		t.Fatal(err)
	}
	env.resetCalls()
	converge(t, w, 1)
	if n := env.mock.Count("POST /accounts"); n != 0 {
		t.Errorf("%d accounts created again", n)
	}
	checkExactly(t, env, w, noObjects(), 0, 0, 2)
}

// The delete of a customer that an account nobody deletes keeps (made in
// the web panel) fails soon after nothing moves any more, naming the
// account, with the default timeouts: not at the end of timeouts.delete.
func TestRecovery_foreignDependentFailsSoon(t *testing.T) {
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", graphConfig(1, 0))
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	cust := 0
	for id := range stateObjects(t, w).Customers {
		cust = id
	}
	if _, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: "panel-made", Password: "secret-2",
		Customer: &client.AccountCustomer{CustomerID: int64(cust)}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := w.Run(nil, "destroy", "-auto-approve", "-no-color")
	if r.Err == nil {
		t.Fatalf("the destroy succeeded:\n%s", r.Output())
	}
	t.Logf("the destroy failed after %s", time.Since(start).Round(time.Second))
	mentions(t, r.Output(), fmt.Sprintf("Unable to delete customer %d", cust), "This run does not delete them",
		fmt.Sprintf("for %s nothing has moved", deleteStall), "panel-made (id", "none of them was touched")
	if strings.Contains(r.Output(), "timeouts.delete") {
		t.Errorf("the delete waited for timeouts.delete:\n%s", r.Output())
	}
}

// A new customer's email is checked against the customers there are as the
// API compares emails (Unicode case folding): ſam@ is taken by SAM@, and
// fails the plan; İnfo@ is not taken by info@, and the API makes it.
func TestRecovery_takenEmailsFoldAsTheAPIDoes(t *testing.T) {
	env := newTestEnv(t)
	project := env.mock.SeedProject("P", "p")
	env.mock.SeedCustomer(project, "S", "A", "SAM@example.com")
	env.mock.SeedCustomer(project, "I", "A", "info@example.com")
	customer := func(email string) string {
		return fmt.Sprintf(`
resource "vpnresellers_customer" "c" {
  project_id = %d
  first_name = "New"
  last_name  = "Customer"
  email      = %q
}
`, project, email)
	}
	w := faultWorkspace(t, env, "", customer("ſam@example.com"))
	env.resetCalls()
	r := w.Run(nil, "plan", "-no-color")
	if r.Err == nil {
		t.Fatalf("ſam@ passed the plan though SAM@ has it:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Email already taken", `already has email "SAM@example.com"`)
	if err := env.expectNoWrites(); err != nil {
		t.Error(err)
	}
	w.Write("main.tf", env.providerBlock("")+customer("İnfo@example.com"))
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	mustPlanEmpty(t, w)
}
