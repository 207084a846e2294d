package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Two workspaces, A and B (two state directories, two pipelines), share one
// API account on one mock. Whatever goes wrong with A's creates, A never
// adopts, and so never deletes, an object that B made: no id is ever in
// both states, B's objects survive A's destroy, and B's next plan is empty.
// Each workspace sends its requests to its own base URL (workspaceURL), so
// that a fault can be aimed at A's requests alone.

// namedWorkspace is faultWorkspace for the named workspace.
func namedWorkspace(t *testing.T, env *testEnv, name, providerArgs, hcl string) *cliWorkspace {
	t.Helper()
	w := newCLIWorkspace(t)
	w.Write("main.tf", env.workspaceBlock(name, providerArgs)+hcl)
	w.MustRun(nil, "init", "-no-color")
	return w
}

// onceOn runs do, once, when workspace ws sends method to the mock's path,
// before the mock sees that request. Anything do reports is an error of the
// test (it runs in the server's goroutine, so it must not stop the test).
func onceOn(t *testing.T, env *testEnv, ws, method, path string, do func() error) {
	var once sync.Once
	env.onRequest(func(from string, r *http.Request) {
		if from != ws || r.Method != method || r.URL.Path != mockapi.PathPrefix+path {
			return
		}
		once.Do(func() {
			if err := do(); err != nil {
				t.Error(err)
			}
		})
	})
}

// runIn runs a command in w from a hook: an error instead of t.Fatal.
func runIn(w *cliWorkspace, args ...string) error {
	if r := w.Run(nil, args...); r.Err != nil {
		return fmt.Errorf("terraform %s: %v\n%s", strings.Join(args, " "), r.Err, r.Output())
	}
	return nil
}

// checkApart fails the test when an object is in both workspaces' states.
func checkApart(t *testing.T, a, b *cliWorkspace) {
	t.Helper()
	sa, sb := stateObjects(t, a), stateObjects(t, b)
	for _, k := range []struct {
		kind string
		a, b map[int]string
	}{{"project", sa.Projects, sb.Projects}, {"customer", sa.Customers, sb.Customers}, {"account", sa.Accounts, sb.Accounts}} {
		for id, key := range k.a {
			if _, both := k.b[id]; both {
				t.Errorf("%s %d (%s) is in both workspaces' states", k.kind, id, key)
			}
		}
	}
}

// destroyLeavesOther destroys A and checks that every object in B's state
// still exists and that B's next plan is empty.
func destroyLeavesOther(t *testing.T, env *testEnv, a, b *cliWorkspace) {
	t.Helper()
	a.MustRun(nil, "destroy", "-auto-approve", "-no-color")
	sb, got := stateObjects(t, b), env.mock.Objects()
	for _, k := range []struct {
		kind       string
		held, live map[int]string
	}{{"project", sb.Projects, got.Projects}, {"customer", sb.Customers, got.Customers}, {"account", sb.Accounts, got.Accounts}} {
		for id, key := range k.held {
			if _, ok := k.live[id]; !ok {
				t.Errorf("B's %s %d (%s) is gone after A's destroy", k.kind, id, key)
			}
		}
	}
	mustPlanEmpty(t, b)
}

const sharedProject = `
resource "vpnresellers_project" "p" {
  name        = "Brand"
  description = "the same in both workspaces"
}
`

// Scenario 1: A's project create is answered 500 without being carried
// out, while B creates a project with the same name and description.
func TestOwnership_refusedProjectCreateNeverAdoptsTheTwin(t *testing.T) {
	env := newTestEnv(t)
	a := namedWorkspace(t, env, "a", "", sharedProject)
	b := namedWorkspace(t, env, "b", "", sharedProject)
	onceOn(t, env, "a", http.MethodPost, "/projects", func() error {
		err := runIn(b, "apply", "-auto-approve", "-no-color")
		env.mock.FailNext("POST /projects", 1, mockapi.FailServerError)
		return err
	})
	r := apply(a)
	if r.Err != nil {
		t.Fatalf("A's apply: %v\n%s", r.Err, r.Output())
	}
	if err := env.holds(2, -1, -1); err != nil {
		t.Error(err)
	}
	checkApart(t, a, b)
	mustPlanEmpty(t, a)
	destroyLeavesOther(t, env, a, b)
}

// Scenario 2: A's account create is left unsettled, and B creates the same
// username with a different password. A's plan names B's account as
// possibly someone else's and advises nothing that would hold it; doing
// what it says (another username) converges.
func TestOwnership_unsettledAccountNeverAdoptsAnotherPassword(t *testing.T) {
	env := newTestEnv(t)
	account := func(username, password string) string {
		return fmt.Sprintf(`
resource "vpnresellers_account" "a" {
  username            = %q
  password_wo         = %q
  password_wo_version = 1
}
`, username, password)
	}
	a := namedWorkspace(t, env, "a", "max_retries = 0", account("alice", "password-of-a"))
	a.skipBelow("1.11.0") // password_wo
	b := namedWorkspace(t, env, "b", "", account("alice", "password-of-b"))
	env.mock.FailNext("POST /accounts", 1, mockapi.FailServerError)
	r := apply(a)
	if r.Err == nil {
		t.Fatalf("A's apply succeeded through a refused create:\n%s", r.Output())
	}
	mentions(t, r.Output(), "may have been created", "Run terraform apply again")
	b.MustRun(nil, "apply", "-auto-approve", "-no-color")
	bID := 0
	for id := range stateObjects(t, b).Accounts {
		bID = id
	}

	plan := a.Run(nil, "plan", "-no-color")
	if plan.Err == nil {
		t.Fatalf("A's plan accepts B's account:\n%s", plan.Output())
	}
	mentions(t, plan.Output(), fmt.Sprintf("(id %d)", bID), "does not accept the password", "may belong to someone else",
		"Choose another one", "Only if it is yours and nothing else manages it, import it")
	for _, advice := range []string{"untaint", "state rm"} {
		if strings.Contains(plan.Output(), advice) {
			t.Errorf("A's plan advises %q about B's account:\n%s", advice, plan.Output())
		}
	}
	checkApart(t, a, b)

	// What the error says: choose another username.
	a.Write("main.tf", env.workspaceBlock("a", "")+account("alice-a", "password-of-a"))
	a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	checkApart(t, a, b)
	mustPlanEmpty(t, a)
	destroyLeavesOther(t, env, a, b)
}

// The same account create, made by the API and left unsettled, with no one
// else in the way: this state's record of the create is what lets the next
// plan say that the account it made (newer than the create, accepting the
// configured password) is taken into state, and the apply takes it without
// a second create.
func TestOwnership_unsettledAccountAdoptedByItsPassword(t *testing.T) {
	env := newTestEnv(t)
	a := namedWorkspace(t, env, "a", "max_retries = 0", `
resource "vpnresellers_account" "a" {
  username            = "alice"
  password_wo         = "password-of-a"
  password_wo_version = 1
}
`)
	a.skipBelow("1.11.0") // password_wo
	env.mock.FailNext("POST /accounts", 1, mockapi.FailAfter)
	env.mock.FailNext("GET /un/accounts/show", 1, mockapi.FailServerError)
	if r := apply(a); r.Err == nil {
		t.Fatalf("A's apply succeeded though the create was not confirmed:\n%s", r.Output())
	}
	if err := env.holds(-1, -1, 1); err != nil {
		t.Fatal(err)
	}
	plan := a.MustRun(nil, "plan", "-no-color")
	mentions(t, plan.Output(), "is the one an earlier apply of this workspace created", "recorded that in its state",
		"The apply takes it into state instead of creating another")
	env.mock.ResetCounts()
	a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if err := env.holds(-1, -1, 1); err != nil {
		t.Error(err)
	}
	if len(stateObjects(t, a).Accounts) != 1 {
		t.Error("the adopted account is not in state")
	}
	mustPlanEmpty(t, a)
}

// Scenario 3: A's project create is left unsettled, and B creates a project
// with the same name and description. A's next plain apply leaves B's
// project alone and creates its own.
func TestOwnership_unsettledProjectNeverAdoptsTheTwin(t *testing.T) {
	env := newTestEnv(t)
	a := namedWorkspace(t, env, "a", "max_retries = 0", sharedProject)
	b := namedWorkspace(t, env, "b", "", sharedProject)
	env.mock.FailNext("POST /projects", 1, mockapi.FailServerError)
	if r := apply(a); r.Err == nil {
		t.Fatalf("A's apply succeeded through a refused create:\n%s", r.Output())
	}
	b.MustRun(nil, "apply", "-auto-approve", "-no-color")
	r := a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if strings.Contains(r.Output(), "Found the project") {
		t.Errorf("A's apply claims B's project:\n%s", r.Output())
	}
	checkApart(t, a, b)
	mustPlanEmpty(t, a)
	destroyLeavesOther(t, env, a, b)
}

// A's project create is made by the API and left unsettled while B creates
// its twin. The next plan finds A's own project by its claim, says so, and
// advises untaint; doing exactly that keeps A's project, finished in place.
func TestOwnership_unsettledProjectFoundByItsClaim(t *testing.T) {
	env := newTestEnv(t)
	a := namedWorkspace(t, env, "a", "max_retries = 0", sharedProject)
	b := namedWorkspace(t, env, "b", "", sharedProject)
	env.mock.FailNext("POST /projects", 1, mockapi.FailAfter)
	onceOn(t, env, "a", http.MethodPost, "/projects", func() error {
		// The look-up after the lost answer fails too.
		env.mock.FailNext("GET /projects", 1, mockapi.FailServerError)
		return nil
	})
	if r := apply(a); r.Err == nil {
		t.Fatalf("A's apply succeeded though the create was not confirmed:\n%s", r.Output())
	}
	env.onRequest(func(string, *http.Request) {})
	b.MustRun(nil, "apply", "-auto-approve", "-no-color")

	plan := a.MustRun(nil, "plan", "-no-color")
	mentions(t, plan.Output(), "Found the project an earlier apply created", "one-time claim", "terraform untaint")

	a.MustRun(nil, "untaint", "vpnresellers_project.p")
	env.mock.ResetCounts()
	a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if n := env.mock.Count("POST /projects") + env.mock.Count("DELETE /projects/{id}"); n != 0 {
		t.Errorf("the apply after untaint created or deleted %d projects", n)
	}
	aID := 0
	for id := range stateObjects(t, a).Projects {
		aID = id
	}
	if got := env.mock.Objects().Projects[aID]; got != "Brand" {
		t.Errorf("A's project %d is %q after the apply", aID, got)
	}
	checkApart(t, a, b)
	mustPlanEmpty(t, a)
	destroyLeavesOther(t, env, a, b)
}

// Scenario 4: two workspaces apply the same 10 projects at once, with
// random 500s (no lost answers). Each ends up with its own 10.
func TestOwnership_concurrentWorkspacesWithRandomFailures(t *testing.T) {
	env := newTestEnv(t)
	var hcl strings.Builder
	for i := range 10 {
		fmt.Fprintf(&hcl, `
resource "vpnresellers_project" "p%d" {
  name        = "Brand %d"
  description = "the same in both workspaces"
}
`, i, i)
	}
	a := namedWorkspace(t, env, "a", "", hcl.String())
	b := namedWorkspace(t, env, "b", "", hcl.String())
	env.mock.SetFailureRate(0.2)
	var wg sync.WaitGroup
	for _, w := range []*cliWorkspace{a, b} {
		wg.Go(func() { w.Run(nil, "apply", "-auto-approve", "-no-color") })
	}
	wg.Wait()
	checkApart(t, a, b)
	converge(t, a, 4)
	converge(t, b, 4)
	env.mock.SetFailureRate(0)
	checkApart(t, a, b)
	sa, sb := stateObjects(t, a), stateObjects(t, b)
	if len(sa.Projects) != 10 || len(sb.Projects) != 10 {
		t.Errorf("A holds %d projects and B %d, want 10 each", len(sa.Projects), len(sb.Projects))
	}
	if err := env.holds(20, -1, -1); err != nil {
		t.Error(err)
	}
	destroyLeavesOther(t, env, a, b)
}

// A project whose create is proven but whose finishing PUT fails is kept
// in state, tainted, and the error offers two steps; each is followed as
// written. Untaint, then apply: the same project is finished in place.
// Apply again: it is replaced by a new one. Neither touches another
// workspace's twin.
func TestOwnership_unfinishedCreateAdviceFollowed(t *testing.T) {
	for _, step := range []string{"untaint", "apply again"} {
		t.Run(step, func(t *testing.T) {
			env := newTestEnv(t)
			a := namedWorkspace(t, env, "a", "max_retries = 0", sharedProject)
			b := namedWorkspace(t, env, "b", "", sharedProject)
			b.MustRun(nil, "apply", "-auto-approve", "-no-color")
			env.mock.FailNext("PUT /projects/{id}", 1, mockapi.FailServerError)
			r := apply(a)
			if r.Err == nil {
				t.Fatalf("A's apply succeeded though the PUT failed:\n%s", r.Output())
			}
			mentions(t, r.Output(), "was created, and it is this workspace's", "terraform untaint", "replaces it")
			made := 0
			for id := range stateObjects(t, a).Projects {
				made = id
			}
			if made == 0 {
				t.Fatal("the created project is not in state")
			}
			if step == "untaint" {
				a.MustRun(nil, "untaint", "vpnresellers_project.p")
			}
			env.mock.ResetCounts()
			a.MustRun(nil, "apply", "-auto-approve", "-no-color")
			posts, deletes := env.mock.Count("POST /projects"), env.mock.Count("DELETE /projects/{id}")
			held := stateObjects(t, a).Projects
			switch {
			case step == "untaint" && (posts != 0 || deletes != 0 || held[made] != "Brand"):
				t.Errorf("after untaint: %d creates, %d deletes, state %v; want project %d finished in place", posts, deletes, held, made)
			case step == "apply again" && (posts != 1 || deletes != 1 || held[made] != ""):
				t.Errorf("after apply: %d creates, %d deletes, state %v; want project %d replaced", posts, deletes, held, made)
			}
			checkApart(t, a, b)
			mustPlanEmpty(t, a)
			destroyLeavesOther(t, env, a, b)
		})
	}
}

// The customer's claim PUT failing gives the same advice as a project's;
// its untaint is followed as written: the same customer is finished in
// place, its account created under it, and the second workspace's
// customer (same configuration but its own email) is not touched.
func TestOwnership_unfinishedCustomerUntaintFollowed(t *testing.T) {
	skipWithoutWriteOnly(t) // matrixConfig's account takes password_wo
	env := newTestEnv(t)
	b := namedWorkspace(t, env, "b", "", matrixConfig("b", "Doe"))
	b.MustRun(nil, "apply", "-auto-approve", "-no-color")
	a := namedWorkspace(t, env, "a", "max_retries = 0", matrixConfig("a", "Doe"))
	env.mock.FailNext("PUT /customers/{id}", 1, mockapi.FailServerError)
	r := apply(a)
	if r.Err == nil {
		t.Fatalf("A's apply succeeded though the PUT failed:\n%s", r.Output())
	}
	mentions(t, r.Output(), "was created, and it is this workspace's", "terraform untaint")
	made := 0
	for id := range stateObjects(t, a).Customers {
		made = id
	}
	if made == 0 {
		t.Fatal("the created customer is not in state")
	}
	a.MustRun(nil, "untaint", "vpnresellers_customer.c")
	env.mock.ResetCounts()
	a.MustRun(nil, "apply", "-auto-approve", "-no-color")
	posts, deletes := env.mock.Count("POST /customers"), env.mock.Count("DELETE /customers/{id}")
	held := stateObjects(t, a)
	if posts != 0 || deletes != 0 || held.Customers[made] != "a@example.com" || len(held.Accounts) != 1 {
		t.Errorf("after untaint: %d creates, %d deletes, state %+v; want customer %d finished in place with its account", posts, deletes, held, made)
	}
	checkApart(t, a, b)
	mustPlanEmpty(t, a)
	destroyLeavesOther(t, env, a, b)
}
