package provider

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
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

// The recommended configuration leaves no password, token or private key in
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
	log := filepath.Join(w.Dir, "trace.log")
	tfenv := []string{
		"TF_LOG=trace", "TF_LOG_PATH=" + log,
		EnvToken + "=" + env.mock.Token(),
		"TF_VAR_password=" + password,
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
	if err != nil || len(accs) != 1 {
		t.Fatalf("accounts: %v, %v", len(accs), err)
	}
	key := accs[0].WgPrivateKey
	if len(key) < 40 {
		t.Fatalf("the mock gave no private key: %q", key)
	}

	// The hand-off worked: the file holds the whole configuration.
	conf := w.Read("wg0.conf")
	if !strings.Contains(conf, "[Interface]") || !strings.Contains(conf, "PrivateKey = "+key) {
		t.Fatalf("wg0.conf does not hold the account's configuration:\n%s", conf)
	}
	if !strings.Contains(w.Read("client.ovpn"), "client") {
		t.Fatal("client.ovpn is empty")
	}

	secrets := map[string]string{"token": env.mock.Token(), "password": password, "WireGuard private key": key}
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
	if !strings.Contains(places["state"], accs[0].WgPublicKey) {
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
