package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The functions through the CLI as a user runs it (cliWorkspace): what
// terraform-plugin-testing cannot look at (the terminal, a trace log) and
// the documentation's examples.

// Through the CLI as a user runs it, with TF_LOG=trace and the provider's
// own log lines: decoding the data source's file prints no key, and a
// broken file's error names the argument and the line but not the key on
// it, in the terminal or the log.
func TestFunction_cliNoKeyInOutputOrLog(t *testing.T) {
	env := newTestEnv(t)
	acc := dsCreateAccount(env, "wg-cli")
	w := newCLIWorkspace(t)
	skipBelowCLI(t, w, "1.8.0")
	w.UseProviderBinary()
	key := acc.WgPrivateKey
	log := filepath.Join(w.Dir, "trace.log")
	tfenv := []string{"TF_LOG=trace", "TF_LOG_PATH=" + log}
	w.Write("main.tf", env.providerBlock("")+fmt.Sprintf(`
data "vpnresellers_wireguard_config" "this" {
  server_id  = 1
  account_id = %d
}

locals {
  wg = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.this.content)
}

resource "terraform_data" "peer" {
  input = local.wg.peers[0]
}

output "private_key" {
  value     = local.wg.interface.private_key
  sensitive = true
}

output "endpoint" {
  value = nonsensitive(local.wg.peers[0].endpoint)
}
`, acc.ID))
	apply := w.MustRun(tfenv, "apply", "-auto-approve", "-no-color", "-input=false")
	if !strings.Contains(apply.Stdout, `endpoint = "ams-s02.321inter.net:51820"`) || !strings.Contains(apply.Stdout, "private_key = <sensitive>") {
		t.Fatalf("unexpected apply output:\n%s", apply.Output())
	}
	// Control: the output holds the key, which the terminal did not show.
	if got := strings.TrimSpace(w.MustRun(nil, "output", "-raw", "private_key").Stdout); got != key {
		t.Fatal("the private_key output is not the account's key")
	}

	// A broken file, sensitive, with the key on line 2 and a pasted key as
	// a key name on line 4.
	w.Write("broken.conf", "[Interface]\nPrivateKey = "+key+"\nAddress = 10.0.0.2/32\n"+strings.TrimSuffix(key, "=")+" = x\n")
	w.Write("main.tf", env.providerBlock("")+`
output "broken" {
  value = provider::vpnresellers::wireguard_config_decode(sensitive(file("${path.module}/broken.conf")))
}
`)
	plan := w.Run(tfenv, "plan", "-no-color", "-input=false")
	if plan.Err == nil {
		t.Fatal("the plan of a broken file succeeded")
	}
	if !fnError(`Invalid value for "text" parameter: line 4 of the WireGuard configuration: unknown key (name withheld: it may be a secret) in [Interface].`).MatchString(plan.Output()) {
		t.Fatalf("unexpected error:\n%s", plan.Output())
	}

	trace := readRaw(t, log)
	if !strings.Contains(trace, "provider.terraform-provider-vpnresellers") || !strings.Contains(trace, "CallFunction") {
		t.Fatal("the trace log holds no provider lines or function calls; the test would prove nothing")
	}
	for where, text := range map[string]string{"apply output": apply.Output(), "plan output": plan.Output(), "TF_LOG=trace log": trace} {
		for _, part := range []string{key, strings.TrimSuffix(key, "=")[:30]} {
			if strings.Contains(text, part) {
				t.Errorf("the %s holds the private key", where)
			}
		}
	}
}

// The examples of the functions' documentation work: each
// examples/functions/<name>/function*.tf, applied against the mock with the
// account it looks up, gives what its comments say.
func TestFunction_examples(t *testing.T) {
	env := newTestEnv(t)
	jane := dsCreateAccount(env, "jane-doe")
	for name, want := range map[string]func(outputs map[string]string) error{
		"wireguard_config_decode": func(o map[string]string) error {
			if o["jane_endpoint"] != `"ams-s02.321inter.net:51820"` || o["jane_private_key"] != fmt.Sprintf("%q", jane.WgPrivateKey) ||
				o["jane_addresses"] != fmt.Sprintf("[%q]", jane.WgIP) {
				return fmt.Errorf("outputs %v", o)
			}
			return nil
		},
		"wireguard_config_encode": func(o map[string]string) error {
			for _, line := range []string{`PrivateKey = ` + jane.WgPrivateKey + `\n`, `AllowedIPs = 10.20.0.0/16\n`,
				`PersistentKeepalive = 25\n`, `DNS = 10.20.0.53\n`, `Endpoint = ams-s02.321inter.net:51820\n`} {
				if !strings.Contains(o["jane_split_tunnel_config"], line) {
					return fmt.Errorf("jane_split_tunnel_config lacks %q: %s", line, o["jane_split_tunnel_config"])
				}
			}
			if !strings.Contains(o["hand_written_config"], `MTU = 1420\n\n[Peer]\nPublicKey = `) {
				return fmt.Errorf("hand_written_config: %s", o["hand_written_config"])
			}
			return nil
		},
		"openvpn_config_decode": func(o map[string]string) error {
			if o["ca_remote"] != `"udp://yvr-s01.321inter.net:1194"` || o["ca_auth_digest"] != `"SHA256"` ||
				!strings.HasPrefix(o["ca_certificate"], `"-----BEGIN CERTIFICATE-----\nMIIE3zCC`) ||
				!strings.HasSuffix(o["ca_certificate"], `FjHt\n-----END CERTIFICATE-----"`) {
				return fmt.Errorf("outputs %v", o)
			}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newCLIWorkspace(t)
			skipBelowCLI(t, w, "1.8.0")
			files, err := filepath.Glob(filepath.Join("..", "..", "examples", "functions", name, "function*.tf"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no example files for %s: %v", name, err)
			}
			for _, f := range files {
				w.Write(filepath.Base(f), readRaw(t, f))
			}
			// The provider block replaces versions.tf, whose version
			// constraint a local build does not meet.
			w.Write("provider.tf", env.providerBlock(""))
			w.MustRun(nil, "init", "-no-color")
			w.MustRun(nil, "apply", "-auto-approve", "-no-color", "-input=false")
			var outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			}
			if err := json.Unmarshal([]byte(w.MustRun(nil, "output", "-json").Stdout), &outputs); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for k, v := range outputs {
				var b bytes.Buffer
				if err := json.Compact(&b, v.Value); err != nil {
					t.Fatal(err)
				}
				got[k] = b.String()
			}
			if err := want(got); err != nil {
				t.Fatal(err)
			}
		})
	}
}
