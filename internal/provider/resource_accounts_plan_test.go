package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The plan promises of vpnresellers_accounts: replacements and
// deletions announced by username, refused under deletion_protection, and
// first applies that finish with plain applies.

// writes counts the requests that may change something: every route but
// the GETs and the password check (POST /accounts/{id}/validate), which
// changes nothing.
func writes(env *testEnv) map[string]int {
	out := map[string]int{}
	for route, n := range env.mock.Counts() {
		if n > 0 && !strings.HasPrefix(route, "GET ") && route != "POST /accounts/{id}/validate" {
			out[route] = n
		}
	}
	return out
}

func noWrites(t *testing.T, env *testEnv, what string) {
	t.Helper()
	if w := writes(env); len(w) > 0 {
		t.Errorf("%s sent %s", what, formatCalls(w))
	}
}

// fleetOf is a vpnresellers_accounts of the given entries (HCL object
// expressions keyed by username), each with password "password-<username>";
// protection is the deletion_protection line ("" leaves it out).
func fleetOf(entries, protection string) string {
	return fmt.Sprintf(`
locals {
  users = %s
}

resource "vpnresellers_accounts" "fleet" {
  accounts             = local.users
  passwords_wo         = { for u, _ in local.users : u => "password-${u}" }
  passwords_wo_version = 1
  %s
}
`, entries, protection)
}

// plannedUnknownIDs lists the entries whose id a saved plan leaves unknown.
func plannedUnknownIDs(t *testing.T, w *cliWorkspace, planFile string) []string {
	t.Helper()
	r := w.MustRun(nil, "show", "-json", planFile)
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				AfterUnknown struct {
					Accounts map[string]map[string]any `json:"accounts"`
				} `json:"after_unknown"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, r.Output())
	}
	var out []string
	for _, rc := range p.ResourceChanges {
		if rc.Address != fleetAddr {
			continue
		}
		for name, attrs := range rc.Change.AfterUnknown.Accounts {
			if attrs["id"] == true {
				out = append(out, name)
			}
		}
	}
	return out
}

// A customer_id change and a removed key each warn by username; with
// deletion_protection = true both fail at plan with no write, and so does a
// destroy. Each way forward the errors give is then taken, exactly as
// written: protection off in the same change; a removed block; an import
// block of the usernames that stay; protection off, then destroy.
func TestResourceAccounts_announcedAndProtectedChanges(t *testing.T) {
	env := newTestEnv(t)
	ctx := env.ctx()
	hand := env.mock.SeedAccounts(1, "handmade")
	p, err := env.client.CreateProject(ctx, client.ProjectRequest{Name: "Brand", Description: "Brand"})
	if err != nil {
		t.Fatal(err)
	}
	var customers [2]int64
	for i := range customers {
		c, err := env.client.CreateCustomer(ctx, client.CreateCustomerRequest{FirstName: "J", LastName: "D",
			Email: fmt.Sprintf("j%d@example.com", i), ProjectID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		customers[i] = c.ID
	}
	entries := func(aCustomer int64, withC bool) string {
		c := ""
		if withC {
			c = `, c = {}`
		}
		return fmt.Sprintf(`{ a = { customer_id = %d }, b = { customer_id = %d }%s }`, aCustomer, customers[0], c)
	}
	provider := env.providerBlock("")
	w := faultWorkspace(t, env, "", fleetOf(entries(customers[0], true), "deletion_protection = false"))
	w.skipBelow("1.11.0") // passwords_wo
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	before := stateObjects(t, w).Accounts
	idOf := func(objs map[int]string, name string) int {
		for id, n := range objs {
			if n == name {
				return id
			}
		}
		return 0
	}

	// "a" moves to another customer (a replacement), "c" is removed.
	changed := fleetOf(entries(customers[1], false), "deletion_protection = false")
	w.Write("main.tf", provider+changed)
	env.resetCalls()
	r := w.MustRun(nil, "plan", "-out=tfplan", "-no-color")
	mentions(t, r.Output(),
		"Warning: 2 accounts of vpnresellers_accounts will be replaced or deleted",
		`This plan replaces 1 account, because customer_id changes`, `: "a".`,
		`This plan deletes 1 account, because their keys are no longer in accounts: "c".`,
		"new id and new WireGuard keys", "stops working", "deletion_protection = true makes such a plan fail")
	noWrites(t, env, "the plan")
	if got := plannedUnknownIDs(t, w, "tfplan"); len(got) != 1 || got[0] != "a" {
		t.Errorf("the plan leaves the id of %v unknown, want only [a]", got)
	}

	// The same change under deletion protection fails at plan.
	w.Write("main.tf", provider+fleetOf(entries(customers[1], false), "deletion_protection = true"))
	env.resetCalls()
	r = w.Run(nil, "plan", "-no-color")
	if r.Err == nil {
		t.Fatalf("the plan replacing and deleting accounts under deletion_protection passed:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Error: Deletion protection is on", "this plan would delete 2 accounts", `: "a".`, `: "c".`,
		"set deletion_protection = false in the same change")
	noWrites(t, env, "the refused plan")

	// Doing what it says: protection off in the same change.
	w.Write("main.tf", provider+changed)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	after := env.mock.Objects().Accounts
	if idOf(after, "a") == 0 || idOf(after, "a") == idOf(before, "a") || idOf(after, "c") != 0 ||
		idOf(after, "b") != idOf(before, "b") || after[hand[0]] != "handmade1" {
		t.Errorf("accounts before %v, after %v: want a replaced, c deleted, b and handmade1 kept", before, after)
	}
	mustPlanEmpty(t, w)

	// Protection back on (the default): a destroy fails at plan.
	protected := fleetOf(entries(customers[1], false), "")
	w.Write("main.tf", provider+protected)
	env.resetCalls()
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	noWrites(t, env, "turning deletion protection on")
	r = w.Run(nil, "destroy", "-auto-approve", "-no-color")
	if r.Err == nil {
		t.Fatalf("the destroy under deletion_protection passed:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Error: Deletion protection is on", "because the resource is destroyed", `"a", "b"`,
		"first apply deletion_protection = false, then destroy", "lifecycle { destroy = false }")
	noWrites(t, env, "the refused destroy")

	// Doing what it says to stop managing them: a removed block.
	w.Write("main.tf", provider+`
removed {
  from = vpnresellers_accounts.fleet
  lifecycle {
    destroy = false
  }
}
`)
	env.resetCalls()
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	noWrites(t, env, "the removed block")
	if n := len(stateObjects(t, w).Accounts); n != 0 || len(env.mock.Objects().Accounts) != 3 {
		t.Errorf("after the removed block, state holds %d accounts and the API %v; want 0 and all 3", n, env.mock.Objects().Accounts)
	}

	// Taking them back with an import block of the usernames, as the
	// deletion_protection description says, then destroying with
	// protection applied off first.
	w.Write("main.tf", provider+protected+`
import {
  to = vpnresellers_accounts.fleet
  id = join(",", keys(local.users))
}
`)
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	mustPlanEmpty(t, w)
	if got := stateObjects(t, w).Accounts; len(got) != 2 || idOf(got, "a") != idOf(after, "a") {
		t.Errorf("the import block took %v into state, want a and b as they were (%v)", got, after)
	}
	w.Write("main.tf", provider+fleetOf(entries(customers[1], false), "deletion_protection = false"))
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	w.MustRun(nil, "destroy", "-auto-approve", "-no-color")
	if got := env.mock.Objects().Accounts; len(got) != 1 || got[hand[0]] != "handmade1" {
		t.Errorf("after the destroy the API holds %v, want only handmade1", got)
	}
}

// Removing an entry whose password stays in passwords_wo plans one delete
// and no error: offboarding is one edit.
func TestResourceAccounts_offboardingInOneEdit(t *testing.T) {
	env := newTestEnv(t)
	cfg := func(users string) string {
		return env.config(fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = { for u in %s : u => {} }
  passwords_wo         = { for u in ["u1", "u2", "u3"] : u => "password-${u}" }
  passwords_wo_version = 1
  deletion_protection  = false
}
`, users))
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg(`["u1", "u2", "u3"]`)},
			{
				PreConfig: env.resetCalls,
				Config:    cfg(`["u1", "u2"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(map[string]int{"GET /accounts": 1, "DELETE /accounts/{id}": 1}),
					env.accountCount(2), env.fleetTracksAll()),
			},
		},
	})
}

// A state written before deletion_protection existed (schema version 0)
// upgrades to the default with no change planned.
func TestResourceAccounts_upgradePlansNoChange(t *testing.T) {
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", fleetOf(`{ a = {}, b = {} }`, ""))
	w.skipBelow("1.11.0") // passwords_wo
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	var st map[string]any
	if err := json.Unmarshal([]byte(w.Read("terraform.tfstate")), &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st["resources"].([]any) {
		for _, in := range r.(map[string]any)["instances"].([]any) {
			in := in.(map[string]any)
			in["schema_version"] = 0
			delete(in["attributes"].(map[string]any), "deletion_protection")
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	w.Write("terraform.tfstate", string(b))
	env.resetCalls()
	mustPlanEmpty(t, w)
	noWrites(t, env, "the plan of the upgraded state")
	if r := w.Run(nil, "destroy", "-auto-approve", "-no-color"); r.Err == nil {
		t.Errorf("the upgraded state is not protected: the destroy passed")
	}
}

// A taken username is an error naming it and the import that would take
// it, never adopted, not even when its account accepts the configured
// password (a copy of this configuration would know it too): only this
// resource's own record of a create makes an account its own. Doing what
// the error says for an account that is yours (the import block) takes it,
// with no write to it, and the apply creates the rest.
func TestResourceAccounts_takenUsernameNeverAdoptedByItsPassword(t *testing.T) {
	env := newTestEnv(t)
	seeded := env.mock.SeedAccounts(1, "taken") // taken1, password "password1"
	cfg := func(extra string) string {
		return env.config(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = { ann = {}, taken1 = {} }
  passwords_wo         = { ann = "secret-1", taken1 = "password1" }
  passwords_wo_version = 1
  deletion_protection  = false
}
` + extra)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config:   cfg(""),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(strings.ReplaceAll(`(?s)Username already taken.*"taken1" `+
					`already exists on the server, and this resource's state holds no record of having created it.*`+
					`never adopted, whatever password it accepts.*import {.*id = "taken1"`, " ", `\s+`)),
			},
			{
				PreConfig: func() {
					if n := len(writes(env)); n != 0 {
						t.Errorf("the refused plan sent %s", formatCalls(writes(env)))
					}
				},
				// What the error says, for an account that is yours.
				Config: cfg(`
import {
  to = vpnresellers_accounts.fleet
  id = "taken1"
}
`),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(fleetAddr, "accounts.taken1.id", fmt.Sprint(seeded[0])),
					env.accountCount(2), env.fleetTracksAll()),
			},
		},
	})
}

// A customer_id known only at apply cannot be checked at plan: the plan
// warns, and under deletion_protection the apply refuses the replacement
// when Terraform plans the resource again with the value known (no
// delete) instead of cutting the end user off.
func TestResourceAccounts_protectionHoldsAtApply(t *testing.T) {
	env := newTestEnv(t)
	cfg := func(customer, protection string) string {
		other := ""
		if strings.Contains(customer, "other") {
			other = `
resource "vpnresellers_customer" "other" {
  project_id = vpnresellers_project.p.id
  first_name = "Joe"
  last_name  = "Roe"
  email      = "joe@example.com"
}
`
		}
		return env.config(accountParents + other + fmt.Sprintf(`
resource "vpnresellers_accounts" "fleet" {
  accounts             = { a = { customer_id = %s } }
  passwords_wo         = { a = "secret-1" }
  passwords_wo_version = 1
  deletion_protection  = %s
}
`, customer, protection))
	}
	var id string
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg("vpnresellers_customer.c.id", "true"),
				Check: resource.TestCheckResourceAttrWith(fleetAddr, "accounts.a.id", func(v string) error {
					id = v
					return nil
				}),
			},
			{
				// "other" is new: its id, and so a's customer_id, is
				// unknown at plan.
				PreConfig: env.resetCalls,
				Config:    cfg("vpnresellers_customer.other.id", "true"),
				ExpectError: regexp.MustCompile(`(?s)Deletion protection is on.*replaces 1 account, because customer_id ` +
					`changes.*"a"`),
			},
			{
				PreConfig: func() {
					if n := env.mock.Count("DELETE /accounts/{id}"); n != 0 {
						t.Errorf("%d accounts deleted under deletion_protection", n)
					}
				},
				Config: cfg("vpnresellers_customer.c.id", "false"),
				Check: resource.TestCheckResourceAttrWith(fleetAddr, "accounts.a.id", func(v string) error {
					if v != id {
						return fmt.Errorf("a is id %s, was %s: replaced", v, id)
					}
					return nil
				}),
			},
		},
	})
}

// A tainted fleet (by `terraform taint`, or by an older version of the
// provider whose first apply failed) is planned as a replacement, which
// the plan cannot see; the delete refuses it under deletion_protection, and
// doing what its error says (untaint) leaves every account as it was.
func TestResourceAccounts_taintedFleetIsNotReplaced(t *testing.T) {
	env := newTestEnv(t)
	w := faultWorkspace(t, env, "", fleetOf(`{ a = {}, b = {} }`, ""))
	w.skipBelow("1.11.0") // passwords_wo
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	before := env.mock.Objects().Accounts
	w.MustRun(nil, "taint", "-no-color", fleetAddr)
	env.resetCalls()
	r := apply(w)
	if r.Err == nil {
		t.Fatalf("the tainted fleet was replaced under deletion_protection:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Error: Deletion protection is on", "none of the 2 accounts of this resource was deleted",
		"run `terraform untaint <address>`")
	noWrites(t, env, "the refused replacement")
	w.MustRun(nil, "untaint", "-no-color", fleetAddr)
	mustPlanEmpty(t, w)
	if got := env.mock.Objects().Accounts; !maps.Equal(got, before) {
		t.Errorf("accounts before %v, after %v", before, got)
	}
}
