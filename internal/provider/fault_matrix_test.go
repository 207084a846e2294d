package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// The fault matrix (issue 25): every write step of the provider, under every
// fault, ends with the plain Terraform commands its messages name, and
// never with two workspaces holding one object.
//
// Each row is one workspace A (a project, a customer in it and an account
// of the customer) and, on the same mock, a second workspace B with the
// same kind of configuration and a project made in the web panel. A's
// command that reaches the step meets the fault. Then the test does what
// the output says, and nothing else: an import block for each object an
// error or warning names with one (written as the message shows it, to the
// address Terraform names), `terraform destroy -refresh=false` when a
// destroy's plan names it, else the plain command again (apply, or destroy
// for a destroy). At the end A's state holds exactly its configured
// objects (none after a destroy), the API holds exactly A's, B's and the
// panel's objects, and both workspaces' next plans are empty.

// matrixStep is a write the provider makes, and what reaches it.
type matrixStep struct {
	name  string
	route string // the mock's route key
	// prepared: A applied its configuration cleanly first; the step is
	// then an update (of the customer's last name) or, with destroy, the
	// destroy's deletes.
	prepared, destroy bool
}

var matrixSteps = []matrixStep{
	{name: "account POST", route: "POST /accounts"},
	{name: "project POST", route: "POST /projects"},
	{name: "project claim PUT", route: "PUT /projects/{id}"},
	{name: "customer POST", route: "POST /customers"},
	{name: "customer claim PUT", route: "PUT /customers/{id}"},
	{name: "update PUT", route: "PUT /customers/{id}", prepared: true},
	{name: "DELETE", route: "DELETE /accounts/{id}", prepared: true, destroy: true},
}

// matrixFault is how the step fails.
type matrixFault struct {
	name     string
	provider string                                       // provider arguments
	inject   func(m *mockapi.Server, route string)        // a fault of the mock
	signal   func(t *testing.T, w *cliWorkspace, pid int) // a signal once the step is in flight
	binary   bool                                         // the provider runs as its own process
}

var matrixFaults = []matrixFault{
	{name: "500 not acted", provider: "max_retries = 0",
		inject: func(m *mockapi.Server, r string) { m.FailNext(r, 1, mockapi.FailServerError) }},
	{name: "500 acted", provider: "max_retries = 0",
		inject: func(m *mockapi.Server, r string) { m.FailNext(r, 1, mockapi.FailAfter) }},
	{name: "lost answer", provider: "max_retries = 0",
		inject: func(m *mockapi.Server, r string) { m.FailNext(r, 1, mockapi.FailDropAfter) }},
	{name: "HTML 503 outage", provider: "max_retries = 1",
		inject: func(m *mockapi.Server, r string) { m.FailNext(r, 3, mockapi.FailMaintenance) }},
	{name: "SIGINT", signal: func(t *testing.T, _ *cliWorkspace, pid int) {
		if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "kill -9 of Terraform", signal: func(t *testing.T, _ *cliWorkspace, pid int) {
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "kill -9 of the plugin", binary: true, signal: func(t *testing.T, _ *cliWorkspace, pid int) {
		kids := childProcesses(t, pid)
		if len(kids) == 0 {
			t.Fatal("terraform has no provider process to kill")
		}
		for _, k := range kids {
			_ = syscall.Kill(k, syscall.SIGKILL)
		}
	}},
}

// matrixConfig is a workspace's configuration: names and keys of its own.
func matrixConfig(ws, lastName string) string {
	return fmt.Sprintf(`
resource "vpnresellers_project" "p" {
  name        = "Matrix"
  description = "the project of workspace %[1]s"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.p.id
  first_name = "Customer"
  last_name  = %[2]q
  email      = "%[1]s@example.com"
}

resource "vpnresellers_account" "a" {
  username            = "%[1]s-user"
  password_wo         = "secret-%[1]s-1"
  password_wo_version = 1
  customer_id         = vpnresellers_customer.c.id
}
`, ws, lastName)
}

func TestFaults_matrix(t *testing.T) {
	skipWithoutWriteOnly(t) // every workspace of a row takes password_wo
	for _, step := range matrixSteps {
		for _, fault := range matrixFaults {
			t.Run(step.name+"/"+fault.name, func(t *testing.T) {
				t.Parallel()
				runMatrixRow(t, step, fault)
			})
		}
	}
}

func runMatrixRow(t *testing.T, step matrixStep, fault matrixFault) {
	env := newTestEnv(t)
	// B and the panel first: what must survive whatever A does.
	b := namedWorkspace(t, env, "b", "", matrixConfig("b", "Doe"))
	b.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if _, err := env.client.CreateProject(env.ctx(), client.ProjectRequest{Name: "Matrix", Description: "made in the panel"}); err != nil {
		t.Fatal(err)
	}
	others := env.mock.Objects()

	a := newCLIWorkspace(t)
	if fault.binary {
		a.UseProviderBinary()
	}
	a.Write("main.tf", env.workspaceBlock("a", fault.provider)+matrixConfig("a", "Doe"))
	if !fault.binary {
		a.MustRun(nil, "init", "-no-color")
	}
	if step.prepared {
		a.MustRun(nil, "apply", "-auto-approve", "-no-color")
		a.Write("main.tf", env.workspaceBlock("a", fault.provider)+matrixConfig("a", "Roe"))
	}
	command := []string{"apply", "-auto-approve", "-no-color"}
	if step.destroy {
		command[0] = "destroy"
	}

	// The command that meets the fault.
	var r cliResult
	if fault.signal == nil {
		fault.inject(env.mock, step.route)
		r = a.Run(nil, command...)
	} else {
		r = runUntil(t, env, a, step.route, fault, command)
	}
	t.Logf("%s under %s: %v", step.name, fault.name, r.Err)

	// The way out, as the output says, and again while it says so.
	followAdvice(t, a, r, command)

	want := 3
	if step.destroy {
		want = 0
	}
	held := stateObjects(t, a)
	if n := len(held.Projects) + len(held.Customers) + len(held.Accounts); n != want {
		t.Errorf("A's state holds %d objects, want %d: %+v", n, want, held)
	}
	if got, wantAll := env.mock.Objects(), union(t, others, held); !sameObjects(got, wantAll) {
		t.Errorf("the API holds %+v, want B's and the panel's and A's state: %+v", got, wantAll)
	}
	checkApart(t, a, b)
	mustPlanEmpty(t, b)
	if !step.destroy {
		mustPlanEmpty(t, a)
	}
}

// runUntil runs command in w and signals Terraform from the mock, as the
// step's request arrives and before the mock acts on it: the request is
// sent, its outcome not known. The mock then acts, whether or not anyone
// still waits for the answer.
func runUntil(t *testing.T, env *testEnv, w *cliWorkspace, route string, fault matrixFault, command []string) cliResult {
	t.Helper()
	env.mock.SetActOnDisconnect(true)
	var pid atomic.Int64
	reached := make(chan struct{})
	env.mock.InterceptNext(route, func(next http.Handler, rw http.ResponseWriter, req *http.Request) {
		close(reached)
		fault.signal(t, w, int(pid.Load()))
		time.Sleep(300 * time.Millisecond)
		next.ServeHTTP(rw, req)
	})
	cmd, out, stop := w.Start(nil, command...)
	defer stop()
	pid.Store(int64(cmd.Process.Pid))
	select {
	case <-reached:
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("%s was never reached:\n%s%s", route, out.stdout.String(), out.stderr.String())
	}
	err := cmd.Wait()
	// What a killed provider or Terraform left in flight lands now.
	time.Sleep(500 * time.Millisecond)
	return cliResult{Stdout: out.stdout.String(), Stderr: out.stderr.String(), Err: err}
}

// importAdvice finds, in Terraform's output, each diagnostic that gives an
// import block, and returns the address it is about (Terraform's "with"
// line) and the id the block gives.
var (
	diagStart   = regexp.MustCompile(`(?m)^(Error|Warning): `)
	diagAddress = regexp.MustCompile(`(?m)^\s*with ([^\s,]+),`)
	diagImport  = regexp.MustCompile(`import \{\s*to = <[^>]+>\s*id = "([^"]+)"`)
)

func importAdvice(out string) map[string]string {
	found := map[string]string{}
	starts := diagStart.FindAllStringIndex(out, -1)
	for i, s := range starts {
		end := len(out)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		block := out[s[0]:end]
		addr, id := diagAddress.FindStringSubmatch(block), diagImport.FindStringSubmatch(block)
		if addr != nil && id != nil {
			found[addr[1]] = id[1]
		}
	}
	return found
}

// followAdvice does what the last output says until a command succeeds: it
// plans first, and writes an import block for every object a diagnostic
// names one for; a destroy whose plan names terraform destroy
// -refresh=false runs exactly that.
func followAdvice(t *testing.T, w *cliWorkspace, last cliResult, command []string) {
	t.Helper()
	imports := map[string]string{}
	for round := 0; round < 4; round++ {
		if last.Err == nil && round > 0 {
			return
		}
		planArgs := []string{"plan", "-no-color"}
		if command[0] == "destroy" {
			planArgs = append(planArgs, "-destroy")
		}
		plan := w.Run(nil, planArgs...)
		advice := importAdvice(plan.Output())
		for addr, id := range importAdvice(last.Output()) {
			advice[addr] = id
		}
		grew := false
		for addr, id := range advice {
			if _, ok := imports[addr]; !ok {
				imports[addr], grew = id, true
			}
		}
		if grew {
			var b strings.Builder
			for _, addr := range slices.Sorted(func(yield func(string) bool) {
				for k := range imports {
					if !yield(k) {
						return
					}
				}
			}) {
				fmt.Fprintf(&b, "import {\n  to = %s\n  id = %q\n}\n", addr, imports[addr])
			}
			w.Write("imports.tf", b.String())
			t.Logf("round %d: import blocks, as the output says: %v", round, imports)
		}
		args := command
		if command[0] == "destroy" && strings.Contains(plan.Output(), "terraform destroy -refresh=false") {
			args = []string{"destroy", "-refresh=false", "-auto-approve", "-no-color"}
		} else if plan.Err != nil && !grew {
			t.Fatalf("round %d: the plan fails and names no way out:\n%s", round, plan.Output())
		}
		last = w.Run(nil, args...)
		t.Logf("round %d: terraform %s: %v", round, strings.Join(args, " "), last.Err)
		if last.Err == nil {
			if command[0] == "destroy" {
				_ = os.Remove(w.Dir + "/imports.tf")
			}
			return
		}
	}
	t.Fatalf("4 rounds of doing what the output says did not converge:\n%s", last.Output())
}
