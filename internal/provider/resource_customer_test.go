package provider

import (
	"fmt"
	"regexp"
	"strings"
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

func TestResourceCustomer_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	const addr = "vpnresellers_customer.test"
	var id int64
	unitTest(t, resource.TestCase{
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
					env.expectCalls(map[string]int{"POST /projects": 2, "PUT /projects/{id}": 2, "POST /customers": 1, "PUT /customers/{id}": 1, "GET /projects": 3, "GET /customers": 3}), // + high-water marks, + the PUT that replaces each claim, + the walks for taken emails and for an unfinished twin of each project (the plan and the apply's own plan)
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

func TestResourceCustomer_validation(t *testing.T) {
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
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
				// A taken email fails the plan, on the attribute.
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
				ExpectError: regexp.MustCompile(`(?s)Email already taken.*with vpnresellers_customer.test,.*Customer 1 \(in project 1\) already has email.*"taken@example.com"`),
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

// What really happens when a customer's project_id changes: the plan warns
// on the customer and on each of its accounts, and the apply deletes the
// accounts, replaces the customer and creates the accounts again (new ids).
// When the customer also owns an account this configuration does not
// manage, the API would refuse the customer's delete after the managed
// accounts were deleted: the plan fails instead, naming that account, and
// nothing is deleted.
func TestResourceCustomer_projectChangeCascades(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	cfg := func(project string) string {
		return env.providerBlock("") + fmt.Sprintf(`
resource "vpnresellers_project" "one" {
  name        = "One"
  description = "first"
}

resource "vpnresellers_project" "two" {
  name        = "Two"
  description = "second"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.%s.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}

resource "vpnresellers_account" "a" {
  username    = "cascade"
  password    = "secret-1"
  customer_id = vpnresellers_customer.c.id
}
`, project)
	}
	w.Write("main.tf", cfg("one"))
	w.MustRun(nil, "init", "-no-color")
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")

	w.Write("main.tf", cfg("two"))
	out := w.MustRun(nil, "plan", "-no-color").Output()
	for _, want := range []string{
		"Warning: Customer jane@example.com (id 1) will be replaced, with its accounts",
		`Warning: Account "cascade" (id 1) will be replaced`,
		"2 to add, 0 to change, 2 to destroy",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan output lacks %q:\n%s", want, out)
		}
	}
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	accs, err := env.client.ListAllCustomerAccounts(env.ctx(), 2)
	if err != nil || len(accs) != 1 || accs[0].ID != 2 || accs[0].Username != "cascade" {
		t.Fatalf("after the apply, customer 2 has %+v (%v); want the account re-created as id 2", accs, err)
	}
	if err := env.holds(-1, 1, 1); err != nil {
		t.Fatal(err)
	}

	// An account of the customer made outside Terraform.
	outside, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: "outside", Password: "secret-2",
		Customer: &client.AccountCustomer{CustomerID: 2}})
	if err != nil {
		t.Fatal(err)
	}
	w.Write("main.tf", cfg("one"))
	env.resetCalls()
	r := w.Run(nil, "apply", "-auto-approve", "-no-color")
	if r.Err == nil {
		t.Fatalf("the move was applied:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Customer 2 cannot be replaced", fmt.Sprintf("outside (id %d)", outside.ID),
		"not managed by this configuration", "Nothing was written")
	if err := env.expectNoWrites(); err != nil {
		t.Error(err)
	}
	accs, err = env.client.ListAllCustomerAccounts(env.ctx(), 2)
	if err != nil || len(accs) != 2 {
		t.Fatalf("customer 2 has %+v (%v); want the managed account and the outside one, untouched", accs, err)
	}
	// Undoing the change, as the error says, plans nothing.
	w.Write("main.tf", cfg("two"))
	mustPlanEmpty(t, w)
}

// A new customer whose email is taken (in another letter case) fails the
// plan on email, with the import command, before the project it needs is
// made: 5 new customers in one plan cost one paged walk of the customers
// (3 pages of 100 here, and 2 seams) and no write. Without it, the 4 others apply.
func TestResourceCustomer_takenEmailFailsAtPlan(t *testing.T) {
	env := newTestEnv(t)
	seeded := env.mock.SeedProject("Seeded", "holds 250 customers")
	var holder int
	for i := range 250 {
		id := env.mock.SeedCustomer(seeded, "Seed", "Customer", fmt.Sprintf("seed%d@example.com", i))
		if i == 200 {
			holder = id
		}
	}
	cfg := func(emails ...string) string {
		hcl := `
resource "vpnresellers_project" "p" {
  name        = "New"
  description = "made with its customers"
}
`
		for i, e := range emails {
			hcl += fmt.Sprintf(`
resource "vpnresellers_customer" "c%d" {
  project_id = vpnresellers_project.p.id
  first_name = "New"
  last_name  = "Customer"
  email      = %q
}
`, i, e)
		}
		return env.config(hcl)
	}
	free := []string{"new0@example.com", "new1@example.com", "new2@example.com", "new3@example.com"}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCalls,
				Config:    cfg(append(free, "Seed200@Example.com")...),
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Email already taken.*with vpnresellers_customer.c4,.*`+
					`email += "Seed200@Example.com".*Customer %d \(in project %d\) already has email.*"seed200@example.com".*`+
					`id = "%d"`, holder, seeded, holder)),
			},
			{
				PreConfig: func() {
					// The customers' 3 pages and their 2 seams, and the one
					// page of projects the new project's plan checks for an
					// unfinished twin.
					if err := env.expectCalls(map[string]int{"GET /customers": 5, "GET /projects": 1})(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(free...),
				Check: func(*terraform.State) error {
					if _, customers, _ := env.mock.Len(); customers != 250+len(free) {
						return fmt.Errorf("%d customers on the API, want %d", customers, 250+len(free))
					}
					return nil
				},
			},
		},
	})
}

// A customer is imported by its id, plain or with the id: prefix an account
// import takes too; an email is no import id, and the error says what is.
func TestResourceCustomer_importByPrefixedID(t *testing.T) {
	env := newTestEnv(t)
	project := env.mock.SeedProject("Acme", "Acme brand")
	id := env.mock.SeedCustomer(project, "Jane", "Doe", "jane@example.com")
	w := faultWorkspace(t, env, "", fmt.Sprintf(`
resource "vpnresellers_customer" "c" {
  project_id = %d
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}
`, project))
	r := w.Run(nil, "import", "-no-color", "vpnresellers_customer.c", "jane@example.com")
	if r.Err == nil {
		t.Fatalf("an import by email succeeded:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Invalid import ID", "imported by its numeric id, such as 42 (or id:42)")
	w.MustRun(nil, "import", "-no-color", "vpnresellers_customer.c", fmt.Sprintf("id:%d", id))
	if got := stateObjects(t, w).Customers; got[id] != "jane@example.com" || len(got) != 1 {
		t.Fatalf("state holds %v", got)
	}
	mustPlanEmpty(t, w)
}
