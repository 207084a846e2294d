package provider

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// recommendedConfig is the configuration the docs recommend: the password
// write-only from an ephemeral variable, the token from the environment, the
// WireGuard and OpenVPN configurations from ephemeral resources handed to a
// local-exec provisioner through its environment, and a data-source lookup.
const recommendedConfig = `
variable "password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_project" "p" {
  name        = "Hygiene"
  description = "secret hygiene"
}

resource "vpnresellers_customer" "c" {
  project_id = vpnresellers_project.p.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane@example.com"
}

resource "vpnresellers_account" "a" {
  username            = "jane-doe"
  password_wo         = var.password
  password_wo_version = 1
  customer_id         = vpnresellers_customer.c.id
}

variable "fleet_passwords" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_accounts" "fleet" {
  accounts = {
    "fleet-one" = { customer_id = vpnresellers_customer.c.id }
    "fleet-two" = { customer_id = vpnresellers_customer.c.id }
  }
  passwords_wo         = var.fleet_passwords
  passwords_wo_version = 1
}

ephemeral "vpnresellers_wireguard_config" "wg" {
  server_id  = 2
  account_id = vpnresellers_account.a.id
}

ephemeral "vpnresellers_openvpn_config" "ovpn" {
  server_id = 2
  port_id   = 1
}

data "vpnresellers_account" "lookup" {
  id = vpnresellers_account.a.id
}

# Hand the configuration to someone else's tooling: here, a file.
resource "terraform_data" "handoff" {
  triggers_replace = [vpnresellers_account.a.id]

  provisioner "local-exec" {
    command = "printf '%s' \"$CONF\" > wg0.conf && printf '%s' \"$OVPN\" > client.ovpn"
    environment = {
      CONF = ephemeral.vpnresellers_wireguard_config.wg.content
      OVPN = ephemeral.vpnresellers_openvpn_config.ovpn.content
    }
  }
}

output "wg_ip" {
  value = data.vpnresellers_account.lookup.wg_ip
}
`

// The recommended configuration (the single account and the fleet, with
// write-only passwords) leaves no password, token or private key in
// the state, in a saved plan (the file and its JSON rendering) or in a
// TF_LOG=trace log that includes the provider's own lines; and the
// local-exec hand-off writes the WireGuard configuration, key included, to
// the file.
func TestSecrets_recommendedConfigLeavesNoSecret(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	skipBelowCLI(t, w, "1.11.0") // write-only arguments
	w.UseProviderBinary()
	const password = "Hygiene-Password-71"
	fleetPasswords := []string{"Fleet-Password-one-72", "Fleet-Password-two-73"}
	log := filepath.Join(w.Dir, "trace.log")
	tfenv := []string{
		"TF_LOG=trace", "TF_LOG_PATH=" + log,
		EnvToken + "=" + env.mock.Token(),
		"TF_VAR_password=" + password,
		`TF_VAR_fleet_passwords={"fleet-one":"` + fleetPasswords[0] + `","fleet-two":"` + fleetPasswords[1] + `"}`,
	}
	// The token goes through the environment, as recommended, not the
	// provider block.
	w.Write("main.tf", strings.Replace(env.providerBlock("")+recommendedConfig,
		fmt.Sprintf("token    = %q", env.mock.Token()), "", 1))

	w.MustRun(tfenv, "plan", "-no-color", "-input=false", "-out=create.tfplan")
	w.MustRun(tfenv, "apply", "-no-color", "-input=false", "create.tfplan")
	// A second plan, with the account existing: the ephemeral resources
	// are opened, the data source read, all during the plan.
	w.MustRun(tfenv, "plan", "-no-color", "-input=false", "-out=again.tfplan")
	planJSON := w.MustRun(tfenv, "show", "-json", "again.tfplan").Stdout
	createJSON := w.MustRun(tfenv, "show", "-json", "create.tfplan").Stdout

	accs, err := env.client.ListAllAccounts(env.ctx(), "")
	if err != nil || len(accs) != 3 {
		t.Fatalf("accounts: %v, %v", len(accs), err)
	}
	secrets := map[string]string{"token": env.mock.Token(), "password": password,
		"fleet password one": fleetPasswords[0], "fleet password two": fleetPasswords[1]}
	var key string
	for _, a := range accs {
		if len(a.WgPrivateKey) < 40 {
			t.Fatalf("the mock gave %s no private key: %q", a.Username, a.WgPrivateKey)
		}
		secrets["WireGuard private key of "+a.Username] = a.WgPrivateKey
		if a.Username == "jane-doe" {
			key = a.WgPrivateKey
		}
	}

	// The hand-off worked: the file holds the whole configuration.
	conf := w.Read("wg0.conf")
	if !strings.Contains(conf, "[Interface]") || !strings.Contains(conf, "PrivateKey = "+key) {
		t.Fatalf("wg0.conf does not hold the account's configuration:\n%s", conf)
	}
	if !strings.Contains(w.Read("client.ovpn"), "client") {
		t.Fatal("client.ovpn is empty")
	}

	places := map[string]string{
		"state":                    w.Read("terraform.tfstate"),
		"saved plan (create)":      unzipAll(t, filepath.Join(w.Dir, "create.tfplan")),
		"saved plan (again)":       unzipAll(t, filepath.Join(w.Dir, "again.tfplan")),
		"show -json (create plan)": createJSON,
		"show -json (again plan)":  planJSON,
		"TF_LOG=trace log":         readRaw(t, log),
	}
	if !strings.Contains(places["TF_LOG=trace log"], "vpnresellers") ||
		!strings.Contains(places["TF_LOG=trace log"], "provider.terraform-provider-vpnresellers") {
		t.Fatal("the trace log does not hold the provider's own lines; the test would prove nothing")
	}
	// Controls: the places searched do hold the account's other data.
	if !strings.Contains(places["state"], accs[0].WgPublicKey) || !strings.Contains(places["state"], accs[2].WgPublicKey) {
		t.Fatal("the state does not hold the account's public key; the test would prove nothing")
	}
	if !strings.Contains(places["TF_LOG=trace log"], "/accounts") {
		t.Fatal("the trace log does not show the provider's API requests; the test would prove nothing")
	}
	for where, text := range places {
		if text == "" {
			t.Fatalf("%s is empty", where)
		}
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("the %s is in the %s", what, where)
			}
		}
	}
}

func readRaw(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unzipAll returns the content of every file in a zip archive (a saved
// plan is one), one after the other.
func unzipAll(t *testing.T, name string) string {
	t.Helper()
	r, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&b, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	return b.String()
}

// skipWithoutWriteOnly skips a test whose configurations use write-only
// arguments (password_wo, a fleet's passwords_wo) when the CLI on hand is
// older than Terraform 1.11, which has none.
func skipWithoutWriteOnly(t *testing.T) {
	t.Helper()
	skipBelowCLI(t, newCLIWorkspace(t), "1.11.0")
}

// skipBelowCLI skips the test when the workspace's CLI is older than min.
func skipBelowCLI(t *testing.T, w *cliWorkspace, minimum string) {
	t.Helper()
	out := w.MustRun(nil, "version", "-json").Stdout
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	have, err := version.NewVersion(v.TerraformVersion)
	if err != nil {
		t.Fatal(err)
	}
	if have.LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("needs Terraform %s or later, have %s", minimum, have)
	}
}

// echoConfig is a project, an account with a write-only password and a
// fleet with write-only passwords; version is both password versions.
func echoConfig(version int) string {
	return fmt.Sprintf(`
variable "password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_project" "p" {
  name        = "Echo"
  description = "answers that quote the request"
}

resource "vpnresellers_account" "a" {
  username            = "echo-one"
  password_wo         = var.password
  password_wo_version = %[1]d
}

resource "vpnresellers_accounts" "fleet" {
  accounts = { "echo-two" = {}, "echo-three" = {} }
  passwords_wo = {
    "echo-two"   = "Fleet\"two/%[1]d-pw"
    "echo-three" = "Fleet\\three/%[1]d-pw"
  }
  passwords_wo_version = %[1]d
}
`, version)
}

// secretForms are the ways an answer may write secret: as it is, as the
// inside of a JSON string (Go's escapes, and PHP's `\/`), URL-encoded.
func secretForms(secret string) []string {
	j, _ := json.Marshal(secret)
	inner := strings.Trim(string(j), `"`)
	return []string{secret, inner, strings.ReplaceAll(inner, "/", `\/`), url.QueryEscape(secret)}
}

// Answers that quote the request (a 422 quoting the body, a 500 quoting the
// headers and the object the API holds, as Laravel's debug page does) leave
// no password_wo or passwords_wo value, token or private key in the
// terminal output, the state or a TF_LOG=trace log: the provider says where
// it took one out instead.
func TestSecrets_answersEchoingTheRequestLeaveNoSecret(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	w := newCLIWorkspace(t)
	skipBelowCLI(t, w, "1.11.0") // write-only arguments
	w.UseProviderBinary()
	passwords := map[int]string{1: `Echo"Pass/word-1`, 2: `Echo\Pass/word-2`}
	log := filepath.Join(w.Dir, "trace.log")
	tfenv := func(version int) []string {
		return []string{"TF_LOG=trace", "TF_LOG_PATH=" + log, EnvToken + "=" + env.mock.Token(), "TF_VAR_password=" + passwords[version]}
	}
	write := func(version int) {
		w.Write("main.tf", strings.Replace(env.providerBlock("")+echoConfig(version),
			fmt.Sprintf("token    = %q", env.mock.Token()), "", 1))
	}
	secrets := map[string]string{"token": env.mock.Token()}
	for v, pw := range passwords {
		secrets[fmt.Sprintf("password_wo (version %d)", v)] = pw
		secrets[fmt.Sprintf("passwords_wo echo-two (version %d)", v)] = fmt.Sprintf(`Fleet"two/%d-pw`, v)
		secrets[fmt.Sprintf("passwords_wo echo-three (version %d)", v)] = fmt.Sprintf(`Fleet\three/%d-pw`, v)
	}
	var outputs []string
	mustFail := func(version int, what string, args ...string) {
		t.Helper()
		r := w.Run(tfenv(version), args...)
		if r.Err == nil {
			t.Fatalf("%s: terraform %s succeeded\n%s", what, args[0], r.Output())
		}
		if !strings.Contains(r.Output(), "[redacted]") || !strings.Contains(r.Output(), "Whoops!") {
			t.Fatalf("%s: the output does not show the API's page with the secrets taken out:\n%s", what, r.Output())
		}
		outputs = append(outputs, r.Output())
	}

	// 1. Every create is refused with a 422 quoting the body and headers.
	write(1)
	px.echoRequests(`^POST /v4_1/accounts$`, http.StatusUnprocessableEntity)
	mustFail(1, "creates answered 422", "apply", "-auto-approve", "-no-color", "-input=false")
	// 2. The same creates, accepted.
	px.echoRequests("", 0)
	outputs = append(outputs, w.MustRun(tfenv(1), "apply", "-auto-approve", "-no-color", "-input=false").Output())
	accs, err := env.client.ListAllAccounts(env.ctx(), "")
	if err != nil || len(accs) != 3 {
		t.Fatalf("accounts: %d, %v", len(accs), err)
	}
	for _, a := range accs {
		if len(a.WgPrivateKey) < 40 {
			t.Fatalf("the mock gave %s no private key", a.Username)
		}
		secrets["private key of "+a.Username] = a.WgPrivateKey
	}
	// 3. A refresh answered 500 with a page quoting the headers (the token)
	// and the account the API holds (its private key), to a provider that
	// has never seen the key.
	px.echoRequests(`^GET /v4_1/accounts(/\d+)?$`, http.StatusInternalServerError)
	mustFail(1, "refresh answered 500", "plan", "-no-color", "-input=false")
	// 4. New passwords, refused with a 422 quoting them.
	px.echoRequests(`^PUT /v4_1/accounts/\d+/change_password$`, http.StatusUnprocessableEntity)
	write(2)
	mustFail(2, "password changes answered 422", "apply", "-auto-approve", "-no-color", "-input=false")
	px.echoRequests("", 0)

	places := map[string]string{
		"terminal output":  strings.Join(outputs, "\n"),
		"state":            w.Read("terraform.tfstate"),
		"TF_LOG=trace log": readRaw(t, log),
	}
	// Controls: the places searched hold what the test is about.
	if !strings.Contains(places["TF_LOG=trace log"], "provider.terraform-provider-vpnresellers") ||
		!strings.Contains(places["TF_LOG=trace log"], "Whoops!") {
		t.Fatal("the trace log holds neither the provider's lines nor the API's page; the test would prove nothing")
	}
	if !strings.Contains(places["state"], "echo-three") || !strings.Contains(places["state"], accs[0].WgPublicKey) {
		t.Fatal("the state does not hold the accounts; the test would prove nothing")
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
