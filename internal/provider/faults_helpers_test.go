package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// The CLI workspace drivers and object checks of faults_test.go, shared by
// the ownership and fleet fault tests.

// faultWorkspace is an initialised CLI workspace whose main.tf is the
// provider block (with providerArgs) and hcl.
func faultWorkspace(t *testing.T, env *testEnv, providerArgs, hcl string) *cliWorkspace {
	t.Helper()
	w := newCLIWorkspace(t)
	w.Write("main.tf", env.providerBlock(providerArgs)+hcl)
	w.MustRun(nil, "init", "-no-color")
	return w
}

func apply(w *cliWorkspace) cliResult {
	w.t.Helper()
	return w.Run(nil, "apply", "-auto-approve", "-no-color")
}

// converge runs apply until one succeeds, at most maxApplies times, then
// requires an empty plan. It returns the output of the failed applies.
func converge(t *testing.T, w *cliWorkspace, maxApplies int) []string {
	t.Helper()
	var failed []string
	for range maxApplies {
		r := apply(w)
		if r.Err == nil {
			mustPlanEmpty(t, w)
			return failed
		}
		t.Logf("apply %d failed: %v\n%s", len(failed)+1, r.Err, r.Output())
		failed = append(failed, r.Output())
	}
	t.Fatalf("%d applies did not converge:\n%s", maxApplies, strings.Join(failed, "\n-----\n"))
	return nil
}

// applyWhile runs apply, killing it as soon as ok turns false, so that a
// regression (a runaway loop of requests) fails fast instead of running
// until the test binary's timeout.
func applyWhile(w *cliWorkspace, ok func() bool) cliResult {
	w.t.Helper()
	cmd, out, stop := w.Start(nil, "apply", "-auto-approve", "-no-color")
	defer stop()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return cliResult{Stdout: out.stdout.String(), Stderr: out.stderr.String(), Err: err}
		case <-tick.C:
			if !ok() {
				_ = cmd.Process.Kill()
				err := <-done
				return cliResult{Stdout: out.stdout.String(), Stderr: out.stderr.String(), Err: err}
			}
		}
	}
}

func mustPlanEmpty(t *testing.T, w *cliWorkspace) {
	t.Helper()
	if r := w.Run(nil, "plan", "-detailed-exitcode", "-no-color"); r.Err != nil {
		t.Fatalf("the plan is not empty (%v):\n%s", r.Err, r.Output())
	}
}

// mentions fails the test unless out holds every phrase, whatever the line
// wrapping of Terraform's diagnostics.
func mentions(t *testing.T, out string, phrases ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, p := range phrases {
		if !strings.Contains(flat, p) {
			t.Errorf("the output does not mention %q:\n%s", p, out)
		}
	}
}

// stateObjects reads the workspace's terraform.tfstate into the mock's view:
// id -> key of every managed project, customer and account instance
// (tainted ones included: they are still tracked; the placeholder of a
// create left unsettled holds no id, and no object).
func stateObjects(t *testing.T, w *cliWorkspace) mockapi.Objects {
	t.Helper()
	o := mockapi.Objects{Projects: map[int]string{}, Customers: map[int]string{}, Accounts: map[int]string{}}
	raw := w.Read("terraform.tfstate")
	if raw == "" {
		return o
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		var dst map[int]string
		var keyAttr string
		switch r.Type {
		case "vpnresellers_project":
			dst, keyAttr = o.Projects, "name"
		case "vpnresellers_customer":
			dst, keyAttr = o.Customers, "email"
		case "vpnresellers_account":
			dst, keyAttr = o.Accounts, "username"
		case "vpnresellers_accounts":
			for _, in := range r.Instances {
				entries, _ := in.Attributes["accounts"].(map[string]any)
				for name, v := range entries {
					e, _ := v.(map[string]any)
					if e["id"] == nil {
						continue // a failed create's placeholder: no object
					}
					f, _ := e["id"].(float64)
					if _, dup := o.Accounts[int(f)]; dup || f <= 0 {
						t.Errorf("vpnresellers_accounts entry %q has id %v, in state twice or not an id", name, e["id"])
					}
					o.Accounts[int(f)] = name
				}
			}
			continue
		default:
			continue
		}
		for _, in := range r.Instances {
			f, ok := in.Attributes["id"].(float64)
			if !ok && in.Attributes["id"] == nil {
				continue // the placeholder of an unsettled create: no object
			}
			id := int(f)
			if _, dup := dst[id]; dup || id <= 0 {
				t.Errorf("%s id %v is in state twice or is not an id", r.Type, in.Attributes["id"])
			}
			dst[id], _ = in.Attributes[keyAttr].(string)
		}
	}
	return o
}

// union merges object sets; an id in both is reported.
func union(t *testing.T, a, b mockapi.Objects) mockapi.Objects {
	t.Helper()
	out := mockapi.Objects{Projects: maps.Clone(a.Projects), Customers: maps.Clone(a.Customers), Accounts: maps.Clone(a.Accounts)}
	for _, p := range []struct{ dst, src map[int]string }{
		{out.Projects, b.Projects}, {out.Customers, b.Customers}, {out.Accounts, b.Accounts},
	} {
		for id, key := range p.src {
			if _, dup := p.dst[id]; dup {
				t.Errorf("object %d (%s) was made by hand and is also in state: taken over", id, key)
			}
			p.dst[id] = key
		}
	}
	return out
}

// checkExactly checks that the mock holds exactly what the state holds plus
// what the test made by hand, and that the state holds the configured
// numbers of projects, customers and accounts.
func checkExactly(t *testing.T, env *testEnv, w *cliWorkspace, byHand mockapi.Objects, projects, customers, accounts int) {
	t.Helper()
	st := stateObjects(t, w)
	if len(st.Projects) != projects || len(st.Customers) != customers || len(st.Accounts) != accounts {
		t.Errorf("state holds %d projects, %d customers, %d accounts; want %d, %d, %d",
			len(st.Projects), len(st.Customers), len(st.Accounts), projects, customers, accounts)
	}
	want := union(t, st, byHand)
	got := env.mock.Objects()
	for _, c := range []struct {
		kind      string
		got, want map[int]string
	}{
		{"projects", got.Projects, want.Projects}, {"customers", got.Customers, want.Customers}, {"accounts", got.Accounts, want.Accounts},
	} {
		if !maps.Equal(c.got, c.want) {
			t.Errorf("%s on the API %v, want (state and by hand) %v", c.kind, c.got, c.want)
		}
	}
}

func noObjects() mockapi.Objects {
	return mockapi.Objects{Projects: map[int]string{}, Customers: map[int]string{}, Accounts: map[int]string{}}
}

// makeProjectByHand creates a project "Billed" (the same name and description as
// the configured one) and returns it as made by hand.
func makeProjectByHand(t *testing.T, env *testEnv) (int64, mockapi.Objects) {
	t.Helper()
	p, err := env.client.CreateProject(env.ctx(), client.ProjectRequest{Name: "Billed", Description: "billed monthly"})
	if err != nil {
		t.Fatal(err)
	}
	o := noObjects()
	o.Projects[int(p.ID)] = p.Name
	return p.ID, o
}

// billedConfig is one object of each kind, created side by side: a project
// with the same name as one made by hand, a customer in the hand-made
// project, and a standalone account.
func billedConfig(projectID int64) string {
	return `
resource "vpnresellers_project" "p" {
  name        = "Billed"
  description = "billed monthly"
}
` + customerAndAccountConfig(projectID)
}

// customerAndAccountConfig is billedConfig without its project: a customer
// in the project projectID and a standalone account.
func customerAndAccountConfig(projectID int64) string {
	return fmt.Sprintf(`
resource "vpnresellers_customer" "c" {
  project_id = %d
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}

resource "vpnresellers_account" "a" {
  username = "alice"
  password = "secret-1"
}
`, projectID)
}

var createRoutes = []string{"POST /projects", "POST /customers", "POST /accounts"}

func sameObjects(a, b mockapi.Objects) bool {
	return maps.Equal(a.Projects, b.Projects) && maps.Equal(a.Customers, b.Customers) && maps.Equal(a.Accounts, b.Accounts)
}
