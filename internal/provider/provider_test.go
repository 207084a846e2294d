package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// TestMain makes the acceptance tests use a Terraform CLI that is already on
// this machine: the testing framework would otherwise try to download one.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "TF_ACC is set but no terraform is on PATH and TF_ACC_TERRAFORM_PATH is unset; "+
				"run `make test`, which installs one, or set TF_ACC_TERRAFORM_PATH")
			os.Exit(1)
		}
		os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
	os.Exit(m.Run())
}

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"vpnresellers": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is one in-process mock API with a client for out-of-band changes.
type testEnv struct {
	t      *testing.T
	mock   *mockapi.Server
	url    string
	client *client.Client
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	m := mockapi.New(mockapi.Options{})
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	base := srv.URL + "/v4_1"
	c, err := client.New(client.Config{BaseURL: base, Token: m.Token(), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, mock: m, url: base, client: c}
}

// config prefixes a provider block pointing at the mock to hcl.
func (e *testEnv) config(hcl string) string {
	return e.configWith("", hcl)
}

// configWith is config with more provider arguments.
func (e *testEnv) configWith(providerArgs, hcl string) string {
	return fmt.Sprintf(`
provider "vpnresellers" {
  base_url = %q
  token    = %q
  %s
}
`, e.url, e.mock.Token(), providerArgs) + hcl
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

// checkEmpty is a CheckDestroy that the mock holds nothing any more.
func (e *testEnv) checkEmpty(*terraform.State) error {
	p, c, a := e.mock.Len()
	if p+c+a != 0 {
		return fmt.Errorf("after destroy the API still holds %d projects, %d customers, %d accounts", p, c, a)
	}
	return nil
}

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
