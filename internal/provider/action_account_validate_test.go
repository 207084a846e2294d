package provider

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The validate action runs in Terraform 1.14 and later, and
// terraform-plugin-testing cannot run `terraform apply -invoke`: these
// tests drive the CLI (TF_ACC_TERRAFORM_PATH, such as
// ../shared/cli/terraform-1.15.9) through the CLI harness.

const (
	rightPassword = "Right-Password-41"
	wrongPassword = "Wrong-Password-42"
	validateRoute = "POST /accounts/{id}/validate"
)

// actionWorkspace is a mock API and a CLI workspace whose Terraform runs
// actions; it skips the test below Terraform 1.14 (and under OpenTofu).
func actionWorkspace(t *testing.T) (*testEnv, *cliWorkspace) {
	t.Helper()
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	skipUnless(t, w, tfversion.SkipBelow(tfversion.Version1_14_0))
	return env, w
}

// skipUnless applies a terraform-plugin-testing version check to the
// workspace's CLI, which must be Terraform.
func skipUnless(t *testing.T, w *cliWorkspace, check tfversion.TerraformVersionCheck) {
	t.Helper()
	out := w.Run(nil, "version").Stdout
	m := regexp.MustCompile(`^Terraform v(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Skipf("needs Terraform, have %q", strings.TrimSpace(out))
	}
	var resp tfversion.CheckTerraformVersionResponse
	check.CheckTerraformVersion(t.Context(), tfversion.CheckTerraformVersionRequest{TerraformVersion: version.Must(version.NewVersion(m[1]))}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
}

// password is the environment setting var.password.
func password(pw string) []string { return []string{"TF_VAR_password=" + pw} }

// outsideAccount makes an account through the API, with rightPassword.
func outsideAccount(t *testing.T, env *testEnv, username string) *client.Account {
	t.Helper()
	acc, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: username, Password: rightPassword})
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

const passwordVariable = `
variable "password" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

// Invoked alone, the action checks the password with one validate
// request when it has the id, and with one walk of the account list more
// when it finds the account by its username. It writes nothing.
func TestAction_invokedAloneValidatesWithOneCall(t *testing.T) {
	env, w := actionWorkspace(t)
	acc := outsideAccount(t, env, "jane-doe")
	w.Write("main.tf", env.providerBlock("")+passwordVariable+fmt.Sprintf(`
action "vpnresellers_account_validate" "by_id" {
  config {
    username   = "jane-doe"
    password   = var.password
    account_id = %d
  }
}

action "vpnresellers_account_validate" "by_username" {
  config {
    username = "jane-doe"
    password = var.password
  }
}
`, acc.ID))
	for _, tc := range []struct {
		action string
		calls  map[string]int
	}{
		{"by_id", map[string]int{validateRoute: 1}},
		{"by_username", map[string]int{"GET /accounts": 1, validateRoute: 1}},
	} {
		env.resetCalls()
		r := w.MustRun(password(rightPassword), "apply", "-auto-approve", "-no-color", "-invoke=action.vpnresellers_account_validate."+tc.action)
		if want := fmt.Sprintf(`Account "jane-doe" (id %d) accepts its password.`, acc.ID); !strings.Contains(r.Stdout, want) ||
			!strings.Contains(r.Stdout, "Actions: 1 invoked") {
			t.Errorf("%s: the output does not say %q:\n%s", tc.action, want, r.Stdout)
		}
		if err := env.expectCalls(tc.calls)(nil); err != nil {
			t.Errorf("%s: %v", tc.action, err)
		}
	}
}

// A password the API does not validate fails the invocation, naming the
// account; so do a username that is not the account's and one that no
// account has. Nothing is written.
func TestAction_failuresNameTheAccount(t *testing.T) {
	env, w := actionWorkspace(t)
	acc := outsideAccount(t, env, "jane-doe")
	w.Write("main.tf", env.providerBlock("")+passwordVariable+fmt.Sprintf(`
action "vpnresellers_account_validate" "jane" {
  config {
    username   = "jane-doe"
    password   = var.password
    account_id = %[1]d
  }
}

action "vpnresellers_account_validate" "not_janes" {
  config {
    username   = "john-doe"
    password   = var.password
    account_id = %[1]d
  }
}

action "vpnresellers_account_validate" "nobody" {
  config {
    username = "nobody-here"
    password = var.password
  }
}
`, acc.ID))
	for _, tc := range []struct {
		action, pw string
		want       []string
		calls      map[string]int
	}{
		{"jane", wrongPassword, []string{fmt.Sprintf(`Account "jane-doe" (id %d) does not accept the password`, acc.ID), "461"},
			map[string]int{validateRoute: 1}},
		{"not_janes", rightPassword, []string{fmt.Sprintf(`Account "john-doe" (id %d) does not have this username`, acc.ID), "460"},
			map[string]int{validateRoute: 1}},
		{"nobody", rightPassword, []string{"No account found", `There is no account with username "nobody-here"`},
			map[string]int{"GET /accounts": 1}},
	} {
		env.resetCalls()
		r := w.Run(password(tc.pw), "apply", "-auto-approve", "-no-color", "-invoke=action.vpnresellers_account_validate."+tc.action)
		if r.Err == nil {
			t.Errorf("%s: the invocation succeeded:\n%s", tc.action, r.Output())
			continue
		}
		out := strings.Join(strings.Fields(r.Output()), " ")
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output does not say %q:\n%s", tc.action, want, r.Output())
			}
		}
		if err := env.expectCalls(tc.calls)(nil); err != nil {
			t.Errorf("%s: %v", tc.action, err)
		}
	}
	if _, err := env.client.ValidateAccount(env.ctx(), acc.ID, "jane-doe", rightPassword); err != nil {
		t.Errorf("the account no longer accepts its password: %v", err)
	}
}

// accountWithTrigger is an account whose creates and updates run the
// validate action.
const accountWithTrigger = passwordVariable + `
variable "password_version" {
  type    = number
  default = 1
}

resource "vpnresellers_account" "a" {
  username            = "jane-doe"
  password_wo         = var.password
  password_wo_version = var.password_version

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vpnresellers_account_validate.a]
    }
  }
}

action "vpnresellers_account_validate" "a" {
  config {
    username   = vpnresellers_account.a.username
    password   = var.password
    account_id = vpnresellers_account.a.id
  }
}
`

// As an after_create trigger the action runs once the account is created,
// against the new account; as an after_update trigger, after the password
// is changed, with the new one.
func TestAction_afterCreateRunsAfterTheCreate(t *testing.T) {
	env, w := actionWorkspace(t)
	var mu sync.Mutex
	var sent []string
	env.onRequest(func(_ string, r *http.Request) {
		if r.Method != http.MethodGet {
			mu.Lock()
			sent = append(sent, r.Method+" "+r.URL.Path)
			mu.Unlock()
		}
	})
	w.Write("main.tf", env.providerBlock("")+accountWithTrigger)
	r := w.MustRun(password(rightPassword), "apply", "-auto-approve", "-no-color")
	accs, err := env.client.ListAllAccounts(env.ctx(), "")
	if err != nil || len(accs) != 1 {
		t.Fatalf("accounts: %v %v", accs, err)
	}
	id := accs[0].ID
	created := strings.Index(r.Stdout, "vpnresellers_account.a: Creation complete")
	started := strings.Index(r.Stdout, "Action started: action.vpnresellers_account_validate.a (triggered by vpnresellers_account.a)")
	if created < 0 || started < created || !strings.Contains(r.Stdout, fmt.Sprintf(`Account "jane-doe" (id %d) accepts its password.`, id)) {
		t.Fatalf("the action did not run, and succeed, after the create:\n%s", r.Stdout)
	}
	want := []string{"POST /v4_1/accounts", fmt.Sprintf("POST /v4_1/accounts/%d/validate", id)}
	if !slices.Equal(sent, want) {
		t.Fatalf("requests other than reads:\n got  %v\n want %v", sent, want)
	}

	// A new password: the update sets it, then the action proves it.
	sent = nil
	r = w.MustRun(append(password("Second-Password-43"), "TF_VAR_password_version=2"), "apply", "-auto-approve", "-no-color")
	want = []string{fmt.Sprintf("PUT /v4_1/accounts/%d/change_password", id), fmt.Sprintf("POST /v4_1/accounts/%d/validate", id)}
	if !slices.Equal(sent, want) || !strings.Contains(r.Stdout, "accepts its password") {
		t.Fatalf("requests other than reads:\n got  %v\n want %v\n%s", sent, want, r.Stdout)
	}
}

// fleetWithTrigger is a fleet whose creates and updates run the validate
// action, with max_parallel_requests = 2.
func fleetWithTrigger(env *testEnv) string {
	return env.providerBlock("max_parallel_requests = 2") + `
variable "passwords" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

variable "names" {
  type = list(string)
}

variable "enabled" {
  type    = bool
  default = true
}

variable "passwords_version" {
  type    = number
  default = 1
}

resource "vpnresellers_accounts" "fleet" {
  accounts             = { for name in var.names : name => { enabled = var.enabled } }
  passwords_wo         = var.passwords
  passwords_wo_version = var.passwords_version

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vpnresellers_account_validate.fleet]
    }
  }
}

action "vpnresellers_account_validate" "fleet" {
  config {
    account_ids = { for name, a in vpnresellers_accounts.fleet.accounts : name => a.id }
    passwords   = var.passwords
  }
}
`
}

// Triggered by the fleet, the action checks the accounts that apply
// created or set a password on, side by side within max_parallel_requests;
// invoked alone, every account.
func TestAction_fleetValidatesWhatTheApplySet(t *testing.T) {
	env, w := actionWorkspace(t)
	// The first validate waits (10 s at most) for a second one to arrive
	// while it is in flight: with 2 at a time allowed, it does.
	var mu sync.Mutex
	inFlight, most := 0, 0
	met := make(chan struct{})
	env.intercept(func(_ string, rw http.ResponseWriter, r *http.Request, m http.Handler) {
		if !strings.HasSuffix(r.URL.Path, "/validate") {
			m.ServeHTTP(rw, r)
			return
		}
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		first := most == 1
		if most == 2 {
			select {
			case <-met:
			default:
				close(met)
			}
		}
		mu.Unlock()
		if first {
			select {
			case <-met:
			case <-time.After(10 * time.Second):
			}
		}
		m.ServeHTTP(rw, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	w.Write("main.tf", fleetWithTrigger(env))
	passwords := []string{`TF_VAR_passwords={"f1":"Fleet-Pass-1","f2":"Fleet-Pass-2","f3":"Fleet-Pass-3","f4":"Fleet-Pass-4"}`}
	apply := func(what string, env2 []string, validates int, says string) {
		t.Helper()
		env.resetCalls()
		r := w.MustRun(append(passwords, env2...), "apply", "-auto-approve", "-no-color")
		if n := env.mock.Count(validateRoute); n != validates || !strings.Contains(r.Stdout, says) {
			t.Fatalf("%s: %d validate requests, want %d; output without %q:\n%s", what, n, validates, says, r.Stdout)
		}
	}
	apply("create", []string{`TF_VAR_names=["f1","f2","f3"]`}, 3, "3 accounts accept their passwords.")
	if most != 2 {
		t.Errorf("at most %d validate requests were in flight at once, want 2 (max_parallel_requests)", most)
	}
	four := `TF_VAR_names=["f1","f2","f3","f4"]`
	apply("one more account", []string{four}, 1, "3 of 4 accounts left unchecked")
	apply("accounts disabled", []string{four, "TF_VAR_enabled=false"}, 0, "4 of 4 accounts left unchecked")
	apply("passwords rotated", []string{four, "TF_VAR_enabled=false", "TF_VAR_passwords_version=2"}, 4, "4 accounts accept their passwords.")
	if most != 2 {
		t.Errorf("at most %d validate requests were in flight at once, want 2", most)
	}

	env.resetCalls()
	r := w.MustRun(append(passwords, four, "TF_VAR_enabled=false", "TF_VAR_passwords_version=2"),
		"apply", "-auto-approve", "-no-color", "-invoke=action.vpnresellers_account_validate.fleet")
	if n := env.mock.Count(validateRoute); n != 4 || !strings.Contains(r.Stdout, "4 accounts accept their passwords.") {
		t.Fatalf("invoked alone: %d validate requests, want 4:\n%s", n, r.Stdout)
	}
	if err := env.expectCalls(map[string]int{"GET /accounts": 1, validateRoute: 4})(nil); err != nil {
		t.Error(err) // the refresh of the fleet, and the checks: nothing written
	}

	// A wrong password fails the invocation, naming that account only.
	r = w.Run([]string{`TF_VAR_passwords={"f1":"Fleet-Pass-1","f2":"Not-Fleet-Pass-2","f3":"Fleet-Pass-3","f4":"Fleet-Pass-4"}`,
		four, "TF_VAR_enabled=false", "TF_VAR_passwords_version=2"},
		"apply", "-auto-approve", "-no-color", "-invoke=action.vpnresellers_account_validate.fleet")
	out := strings.Join(strings.Fields(r.Output()), " ")
	if r.Err == nil || !strings.Contains(out, "1 of 4 accounts failed validation") ||
		!regexp.MustCompile(`"f2" \(id \d+\): The API did not validate the password \(461\)`).MatchString(out) ||
		strings.Contains(out, `"f1" (id`) {
		t.Fatalf("want a failure naming f2 alone:\n%s", r.Output())
	}
}

// No password, right or wrong, appears in the terminal output, the state,
// a saved plan or a TF_LOG=trace log that includes the provider's own
// lines, whether the action runs from triggers or alone, succeeds or fails.
func TestAction_passwordsAppearNowhere(t *testing.T) {
	env, w := actionWorkspace(t)
	w.UseProviderBinary()
	log := filepath.Join(w.Dir, "trace.log")
	fleet := []string{"Fleet-Secret-51", "Fleet-Secret-52"}
	secrets := map[string]string{"password": rightPassword, "wrong password": wrongPassword,
		"fleet password one": fleet[0], "fleet password two": fleet[1], "token": env.mock.Token()}
	tfenv := func(pw string) []string {
		return []string{"TF_LOG=trace", "TF_LOG_PATH=" + log, EnvToken + "=" + env.mock.Token(), "TF_VAR_password=" + pw,
			`TF_VAR_names=["fleet-one","fleet-two"]`,
			`TF_VAR_passwords={"fleet-one":"` + fleet[0] + `","fleet-two":"` + fleet[1] + `"}`}
	}
	config := fleetWithTrigger(env) + accountWithTrigger
	w.Write("main.tf", strings.Replace(config, fmt.Sprintf("token    = %q", env.mock.Token()), "", 1))

	var outputs []string
	outputs = append(outputs, w.MustRun(tfenv(rightPassword), "plan", "-no-color", "-out=create.tfplan").Output())
	applied := w.MustRun(tfenv(rightPassword), "apply", "-no-color", "create.tfplan").Output()
	if strings.Count(applied, "accept") != 2 {
		t.Fatalf("the triggered actions did not both succeed:\n%s", applied)
	}
	outputs = append(outputs, applied, w.MustRun(tfenv(rightPassword), "show", "-json", "create.tfplan").Stdout)
	outputs = append(outputs, w.MustRun(tfenv(rightPassword), "apply", "-auto-approve", "-no-color",
		"-invoke=action.vpnresellers_account_validate.a").Output())
	failed := w.Run(tfenv(wrongPassword), "apply", "-auto-approve", "-no-color", "-invoke=action.vpnresellers_account_validate.a")
	if failed.Err == nil || !strings.Contains(failed.Output(), "does not accept the password") {
		t.Fatalf("the wrong password was accepted:\n%s", failed.Output())
	}
	outputs = append(outputs, failed.Output())
	if n := env.mock.Count(validateRoute); n != 5 {
		t.Fatalf("%d validate requests, want 5 (2 triggered for the fleet, 1 for the account, 2 invoked)", n)
	}

	places := map[string]string{
		"terminal output":  strings.Join(outputs, "\n"),
		"state":            w.Read("terraform.tfstate"),
		"saved plan":       unzipAll(t, filepath.Join(w.Dir, "create.tfplan")),
		"TF_LOG=trace log": readRaw(t, log),
	}
	// Controls: the places searched hold what the test is about.
	if l := places["TF_LOG=trace log"]; !strings.Contains(l, "provider.terraform-provider-vpnresellers") || !strings.Contains(l, "/validate") {
		t.Fatal("the trace log holds neither the provider's lines nor its validate requests; the test would prove nothing")
	}
	if !strings.Contains(places["saved plan"], "vpnresellers_account_validate") || !strings.Contains(places["state"], "fleet-two") {
		t.Fatal("the saved plan holds no action invocation, or the state no fleet; the test would prove nothing")
	}
	for where, text := range places {
		for what, secret := range secrets {
			for _, form := range secretForms(secret) {
				if strings.Contains(text, form) {
					t.Errorf("the %s is in the %s (as %q)", what, where, form)
					break
				}
			}
		}
	}
}
