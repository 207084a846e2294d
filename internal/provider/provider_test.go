package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Test tiers of this package:
//
//   - Mock-backed tests (unitTest, unitTestSerial) run Terraform against an
//     in-process mock API under a plain `go test ./...`: no TF_ACC, no token.
//     They need a Terraform CLI, taken from TF_ACC_TERRAFORM_PATH or PATH.
//   - TestAcc* (accTest) run against the real API, only with TF_ACC and
//     VPNRESELLERS_TOKEN set; sweepers (`make sweep`) delete what they leave.

// noTerraform is why tests that run Terraform skip, or "" when a CLI is found.
var noTerraform string

// TestMain points the testing framework at a Terraform CLI already on this
// machine (it would otherwise try to download one), then runs the tests, or
// the sweepers when `-sweep` is given.
func TestMain(m *testing.M) {
	os.Setenv("CHECKPOINT_DISABLE", "1")
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		switch {
		case err == nil:
			os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
		case os.Getenv(resource.EnvTfAcc) != "":
			fmt.Fprintln(os.Stderr, "TF_ACC is set but no terraform is on PATH and TF_ACC_TERRAFORM_PATH is unset; "+
				"run `make test`, which installs one, or set TF_ACC_TERRAFORM_PATH")
			os.Exit(1)
		default:
			noTerraform = "no terraform on PATH and TF_ACC_TERRAFORM_PATH unset: skipping tests that run Terraform (`make test` provides one)"
		}
	}
	resource.TestMain(runThenClean{m})
}

// runThenClean runs the tests, then removes what the process built for
// them (providerBinaryDir) before resource.TestMain exits.
type runThenClean struct{ m *testing.M }

func (r runThenClean) Run() int {
	code := r.m.Run()
	if builtBinaryDir != "" {
		_ = os.RemoveAll(builtBinaryDir)
	}
	return code
}

// unitTest runs a mock-backed test case in parallel, in the plain `go test`
// tier: it needs no TF_ACC, only a Terraform CLI.
func unitTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	skipWithoutTerraform(t)
	resource.ParallelTest(t, asUnitTest(tc))
}

// unitTestSerial is unitTest for cases that cannot run in parallel (t.Setenv).
func unitTestSerial(t *testing.T, tc resource.TestCase) {
	t.Helper()
	skipWithoutTerraform(t)
	resource.Test(t, asUnitTest(tc))
}

func asUnitTest(tc resource.TestCase) resource.TestCase {
	tc.IsUnitTest = true
	return tc
}

func skipWithoutTerraform(t *testing.T) {
	t.Helper()
	if noTerraform != "" {
		t.Skip(noTerraform)
	}
}

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"vpnresellers": NewServer("test", nil),
}

// testEnv is one in-process mock API with a client for out-of-band changes.
// Several workspaces can share it, each told apart by its own base URL
// (workspaceURL), as two pipelines sharing one API account are; intercept
// puts faults or a proxy's behaviour between them and the mock, through the
// mock's own interceptor knob.
type testEnv struct {
	t      *testing.T
	mock   *mockapi.Server
	url    string
	root   string // the test server's address
	client *client.Client
}

// newTestEnv starts a mock (with opts, when given) and its test server.
func newTestEnv(t *testing.T, opts ...mockapi.Options) *testEnv {
	t.Helper()
	m := mockapi.New(append(opts, mockapi.Options{})[0])
	e := &testEnv{t: t, mock: m}
	srv := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(srv.Close)
	e.root, e.url = srv.URL, srv.URL+mockapi.PathPrefix
	c, err := client.New(client.Config{BaseURL: e.url, Token: m.Token(), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	return e
}

// workspaceKey carries, in a request's context, the name of the workspace
// that sent it ("" for e.url).
type workspaceKey struct{}

// serve hands a request to the mock, with the name of the workspace that
// sent it in its context.
func (e *testEnv) serve(w http.ResponseWriter, r *http.Request) {
	workspace := ""
	if rest, ok := strings.CutPrefix(r.URL.Path, "/ws/"); ok {
		workspace, r.URL.Path, _ = strings.Cut(rest, "/")
		r.URL.Path = "/" + r.URL.Path
	}
	e.mock.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), workspaceKey{}, workspace)))
}

// interceptor serves a request that the mock has matched and counted, with
// the name of the workspace that sent it and the mock's next handler, m.
type interceptor func(workspace string, w http.ResponseWriter, r *http.Request, m http.Handler)

// intercept makes via serve every request from now on.
func (e *testEnv) intercept(via interceptor) {
	e.mock.Intercept(func(next http.Handler, w http.ResponseWriter, r *http.Request) {
		workspace, _ := r.Context().Value(workspaceKey{}).(string)
		via(workspace, w, r, next)
	})
}

// workspaceURL is the base URL of the mock for the named workspace: the
// same API account, with its requests told apart in the before hook.
func (e *testEnv) workspaceURL(name string) string {
	return e.root + "/ws/" + name + mockapi.PathPrefix
}

// onRequest makes hook see every request before the mock does.
func (e *testEnv) onRequest(hook func(workspace string, r *http.Request)) {
	e.intercept(func(workspace string, w http.ResponseWriter, r *http.Request, m http.Handler) {
		hook(workspace, r)
		m.ServeHTTP(w, r)
	})
}

// config prefixes a provider block pointing at the mock to hcl.
func (e *testEnv) config(hcl string) string {
	return e.configWith("", hcl)
}

// configWith is config with more provider arguments.
func (e *testEnv) configWith(providerArgs, hcl string) string {
	return e.providerConfig(e.url, providerArgs) + hcl
}

// providerConfig is a provider block pointing at url.
func (e *testEnv) providerConfig(url, providerArgs string) string {
	return fmt.Sprintf(`
provider "vpnresellers" {
  base_url = %q
  token    = %q
  %s
}
`, url, e.mock.Token(), providerArgs)
}

// resetCalls clears the mock's per-route counters (a PreConfig).
func (e *testEnv) resetCalls() { e.mock.ResetCounts() }

// expectCalls checks that, since the last resetCalls, the mock served
// exactly these requests (routes not listed must not have been called).
func (e *testEnv) expectCalls(want map[string]int) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := map[string]int{}
		for route, n := range e.mock.Counts() {
			if n > 0 {
				got[route] = n
			}
		}
		if !maps.Equal(got, want) {
			return fmt.Errorf("API calls:\n got  %s\n want %s", formatCalls(got), formatCalls(want))
		}
		return nil
	}
}

func formatCalls(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// holds reports how the mock's numbers of projects, customers and accounts
// differ from those wanted (a negative number: any).
func (e *testEnv) holds(projects, customers, accounts int) error {
	p, c, a := e.mock.Len()
	if (projects >= 0 && p != projects) || (customers >= 0 && c != customers) || (accounts >= 0 && a != accounts) {
		return fmt.Errorf("the API holds %d projects, %d customers, %d accounts; want %s, %s, %s",
			p, c, a, anyOr(projects), anyOr(customers), anyOr(accounts))
	}
	return nil
}

func anyOr(n int) string {
	if n < 0 {
		return "any"
	}
	return fmt.Sprint(n)
}

// checkEmpty is a CheckDestroy that the mock holds nothing any more.
func (e *testEnv) checkEmpty(*terraform.State) error { return e.holds(0, 0, 0) }

// ctx is a context for out-of-band API calls in tests.
func (e *testEnv) ctx() context.Context { return context.Background() }

// stateID reads a resource's numeric id from state.
func stateID(s *terraform.State, name string) (int64, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return 0, fmt.Errorf("%s not in state", name)
	}
	var id int64
	_, err := fmt.Sscan(rs.Primary.Attributes["id"], &id)
	return id, err
}

// compareEqual is a compare.ValueComparer for CompareValuePairs.
var compareEqual = compare.ValuesSame()

// Only the real-API tier (acc_test.go) starts with TestAcc, so that `make
// testacc` can select it with a plain ^TestAcc.
func TestNaming_onlyRealAPITestsStartWithTestAcc(t *testing.T) {
	files, err := filepath.Glob("../*/*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files found: %v", err)
	}
	decl := regexp.MustCompile(`(?m)^func (TestAcc\w*)\(`)
	for _, f := range files {
		if filepath.Base(f) == "acc_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			t.Errorf("%s: %s is not a real-API test, yet starts with TestAcc", f, m[1])
		}
	}
}

// The tests of this package are named Test<Thing>_<behaviour> (Thing:
// Account, Accounts for the fleet, Customer, Project, DataSource<Name>,
// List<Name>, Provider, Protocol, ...), and a resource is named by its
// type alone: TestResourceAccount_, never TestResourceAccount_.
func TestNaming_oneSchemeForTestNames(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files found: %v", err)
	}
	decl := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)\w*)\(`)
	scheme := regexp.MustCompile(`^(?:Test|Fuzz|Benchmark)[A-Z][A-Za-z0-9]*_[a-z][A-Za-z0-9_]*$`)
	bare := regexp.MustCompile(`^Test(Account|Accounts|Customer|Project)_`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			if name := m[1]; name != "TestMain" && (!scheme.MatchString(name) || bare.MatchString(name)) {
				t.Errorf("%s: %s is not named Test<Thing>_<behaviour> (a resource as TestResource<Type>_)", f, name)
			}
		}
	}
}
