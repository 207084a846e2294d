package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// skipBelow skips a CLI-harness test unless the workspace's CLI is
// Terraform least or later (OpenTofu, which prints "OpenTofu v...", has
// neither `terraform query` nor import by identity).
func (w *cliWorkspace) skipBelow(least string) {
	w.t.Helper()
	if ok, have := w.version(least); !ok {
		w.t.Skipf("needs Terraform >= %s, have %s", least, have)
	}
}

// atLeast reports whether the workspace's CLI is Terraform least or later.
func (w *cliWorkspace) atLeast(least string) bool {
	w.t.Helper()
	ok, _ := w.version(least)
	return ok
}

// version compares the workspace's CLI with Terraform least; have is what
// `terraform version` said.
func (w *cliWorkspace) version(least string) (ok bool, have string) {
	w.t.Helper()
	r := w.Run(nil, "version")
	m := regexp.MustCompile(`^Terraform v(\S+)`).FindStringSubmatch(r.Stdout)
	if r.Err != nil || m == nil {
		return false, fmt.Sprintf("%q (`%s version`)", strings.TrimSpace(r.Output()), w.tf)
	}
	v, err := version.NewVersion(m[1])
	return err == nil && !v.LessThan(version.Must(version.NewVersion(least))), m[1]
}

// queryAll is a query file listing every project, customer and account, at
// Terraform's default limit.
const queryAll = `
list "vpnresellers_project" "all" {
  provider = vpnresellers
}

list "vpnresellers_customer" "all" {
  provider = vpnresellers
}

list "vpnresellers_account" "all" {
  provider = vpnresellers
}
`

// A fleet made outside Terraform is adopted with
// `terraform query -generate-config-out` and one plan of imports only.
func TestAdopt_fleet(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	f := makeOutside(t, env, 2, 2, 6, 8) // 2 projects, 4 customers, 24 accounts (3 disabled)

	w.Write("main.tf", env.providerBlock(""))
	w.Write("adopt.tfquery.hcl", queryAll)
	w.MustRun(nil, "init", "-no-color")
	w.MustRun(nil, "query", "-no-color", "-generate-config-out=generated.tf")
	gen := w.Read("generated.tf")
	if n := strings.Count(gen, "\nimport {"); n != 30 {
		t.Fatalf("generated.tf has %d import blocks, want 30:\n%s", n, gen)
	}
	// The query file has done its job; plan with main.tf + generated.tf.
	w.Write("adopt.tfquery.hcl", "")
	w.MustRun(nil, "validate", "-no-color")
	env.resetCalls()
	plan := w.MustRun(nil, "plan", "-no-color", "-out=adopt.plan").Stdout
	if !strings.Contains(plan, "Plan: 30 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan:\n%s", plan)
	}
	w.MustRun(nil, "apply", "-no-color", "adopt.plan")
	for route, n := range env.mock.Counts() {
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			t.Errorf("adopting wrote to the API: %s called %d times", route, n)
		}
	}
	if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", out)
	}

	// Every object is in state with its identity; disabled accounts came in
	// with enabled = false.
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type            string         `json:"type"`
					Values          map[string]any `json:"values"`
					IdentityVersion *int           `json:"identity_schema_version"`
					Identity        map[string]any `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(w.MustRun(nil, "show", "-json").Stdout), &state); err != nil {
		t.Fatal(err)
	}
	resources := state.Values.RootModule.Resources
	if len(resources) != 30 {
		t.Fatalf("state holds %d resources, want 30", len(resources))
	}
	for _, r := range resources {
		id := r.Values["id"]
		if r.Identity == nil || r.Identity["id"] != id {
			t.Errorf("%s %v: identity %v", r.Type, id, r.Identity)
		}
		if r.Type == "vpnresellers_account" {
			aid := int64(id.(float64))
			if r.Values["enabled"] != !f.disabled[aid] || r.Values["customer_id"] != float64(f.owner[aid]) {
				t.Errorf("account %d: enabled %v, customer_id %v; want disabled %v, customer %d",
					aid, r.Values["enabled"], r.Values["customer_id"], f.disabled[aid], f.owner[aid])
			}
		}
	}
}

// A hand-written import block by identity plans one import and nothing else.
func TestAdopt_importBlockByIdentity(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.12.0")
	f := makeOutside(t, env, 1, 1, 0, 0)
	c := f.customers[0]
	w.Write("main.tf", env.providerBlock("")+fmt.Sprintf(`
import {
  to       = vpnresellers_customer.adopted
  identity = { id = %d }
}

resource "vpnresellers_customer" "adopted" {
  project_id = %d
  first_name = %q
  last_name  = %q
  email      = %q
}
`, c.ID, c.ProjectID, c.FirstName, c.LastName, c.Email))
	w.MustRun(nil, "init", "-no-color")
	plan := w.MustRun(nil, "plan", "-no-color").Stdout
	if !regexp.MustCompile(`Plan: 1 to import, 0 to add, 0 to change, 0 to destroy\.`).MatchString(plan) {
		t.Fatalf("plan:\n%s", plan)
	}
}

// adoptScale is the size of TestAdopt_callsByPages: 50 customers of 10
// accounts by default (about 12 s); ADOPT_CUSTOMERS and ADOPT_ACCOUNTS_PER
// set another for a measurement.
func adoptScale(t *testing.T) (customers, accountsPer int) {
	customers, accountsPer = 50, 10
	for name, v := range map[string]*int{"ADOPT_CUSTOMERS": &customers, "ADOPT_ACCOUNTS_PER": &accountsPer} {
		if s := os.Getenv(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				t.Fatalf("%s=%q: want a positive number", name, s)
			}
			*v = n
		}
	}
	return customers, accountsPer
}

// Issue 18: adopting a customer base costs pages, not calls per object.
// Every account import needs its owner, and who owns which account comes
// from one walk of the customers' account lists per provider process, so
// the plan that imports everything the query found makes about one call
// per object plus the pages of that one walk.
func TestAdopt_callsByPages(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	customers, per := adoptScale(t)
	makeOutside(t, env, 1, customers, per, 0)
	objects := 1 + customers + customers*per

	w.Write("main.tf", env.providerBlock(""))
	w.Write("adopt.tfquery.hcl", fmt.Sprintf(`
list "vpnresellers_project" "all" {
  provider = vpnresellers
  limit    = %[1]d
}

list "vpnresellers_customer" "all" {
  provider = vpnresellers
  limit    = %[1]d
}

list "vpnresellers_account" "all" {
  provider = vpnresellers
  limit    = %[1]d
}
`, objects))
	w.MustRun(nil, "init", "-no-color")
	env.resetCalls()
	w.MustRun(nil, "query", "-no-color", "-generate-config-out=generated.tf")
	query := totalCalls(env)
	if n := strings.Count(w.Read("generated.tf"), "\nimport {"); n != objects {
		t.Fatalf("generated.tf has %d import blocks, want %d", n, objects)
	}
	w.Write("adopt.tfquery.hcl", "")
	env.resetCalls()
	plan := w.MustRun(nil, "plan", "-no-color", "-out=adopt.plan").Stdout
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", objects); !strings.Contains(plan, want) {
		t.Fatalf("plan, want %q:\n%s", want, plan)
	}
	planCalls := totalCalls(env)
	t.Logf("%d customers, %d accounts: query %d calls, plan %d calls (%v)", customers, customers*per, query, planCalls, callsByRoute(env))
	// The bound is 2 per object, 2 per customer and 20 more. What
	// is made: one read per object (Terraform reads each import), and the
	// pages of one owner walk (GET /customers, each customer's accounts).
	if bound := objects + customers + 20; planCalls > bound {
		t.Errorf("the plan importing %d objects made %d calls, more than %d: %v", objects, planCalls, bound, callsByRoute(env))
	}
	// The customers' account lists are walked once: one page each.
	if n := env.mock.Counts()["GET /customers/{id}/accounts"]; n > customers {
		t.Errorf("GET /customers/{id}/accounts called %d times for %d customers: the owners were walked more than once", n, customers)
	}
	w.MustRun(nil, "apply", "-no-color", "adopt.plan")
	if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", out)
	}

	// Issue 25: the adopted base, whose generated configuration refers to
	// the objects by literal id (Terraform knows no order between them),
	// goes in one destroy: a customer or project refused because of its
	// dependents deletes those this destroy deletes anyway, instead of
	// holding one of Terraform's slots while they wait for theirs.
	env.resetCalls()
	dr := w.Run(nil, "destroy", "-auto-approve", "-no-color")
	out := dr.Stdout
	if want := fmt.Sprintf("Destroy complete! Resources: %d destroyed.", objects); !strings.Contains(out, want) {
		t.Fatalf("destroy, want %q:\n%s", want, out)
	}
	if err := env.checkEmpty(nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("the destroy of %d objects: %v", objects, callsByRoute(env))
}

func totalCalls(env *testEnv) int {
	n := 0
	for _, c := range env.mock.Counts() {
		n += c
	}
	return n
}

func callsByRoute(env *testEnv) map[string]int {
	out := map[string]int{}
	for route, n := range env.mock.Counts() {
		if n > 0 {
			out[route] = n
		}
	}
	return out
}

// The fleet as an adoption target: one import block by project adopts all
// its 500 accounts, its generated block plans no change, and the plan, the
// apply and the next plan cost at most 80 calls in all, none a write.
func TestAdopt_fleetByProject(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	makeOutside(t, env, 1, 5, 100, 0) // 1 project, 5 customers, 500 accounts
	w.Write("main.tf", env.providerBlock("")+`
import {
  to = vpnresellers_accounts.f
  id = "project:1"
}
`)
	w.MustRun(nil, "init", "-no-color")
	env.resetCalls()
	plan := w.MustRun(nil, "plan", "-no-color", "-generate-config-out=fleet.tf", "-out=adopt.plan").Stdout
	if !strings.Contains(plan, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan:\n%s", plan)
	}
	w.MustRun(nil, "apply", "-no-color", "adopt.plan")
	if out := w.MustRun(nil, "plan", "-no-color", "-detailed-exitcode").Stdout; !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", out)
	}
	total := 0
	for route, n := range env.mock.Counts() {
		total += n
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			t.Errorf("adopting wrote to the API: %s called %d times", route, n)
		}
	}
	t.Logf("fleet adoption of 500 accounts (plan, apply, plan): %d calls: %v", total, env.mock.Counts())
	if total > 80 {
		t.Errorf("adopting 500 accounts into the fleet took %d calls, more than 80: %v", total, env.mock.Counts())
	}
}
