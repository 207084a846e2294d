package provider

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Credentials in base_url (http://user:password@host/v4_1) are ignored and
// shown nowhere: not in the warning that says they are ignored, not in the
// unencrypted-connection warning, an API error naming a URL, the hint about
// a base_url without /v4_1, the invalid-URL errors (from the configuration
// and from the environment), nor in any line of a TF_LOG=trace log with the
// provider's own lines. They never reach the API either.
func TestSecrets_baseURLCredentialsShownNowhere(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.UseProviderBinary()
	const user, pass = "edgeuser42", "Url-Pass-5150"
	var (
		mu    sync.Mutex
		auths []string
	)
	env.onRequest(func(_ string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		auths = append(auths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
	})
	// 0.0.0.0 reaches this machine, yet is no loopback address: the
	// provider also warns of plain http.
	withCreds := strings.Replace(env.url, "http://127.0.0.1", "http://"+user+":"+pass+"@0.0.0.0", 1)
	if withCreds == env.url {
		t.Fatalf("unexpected mock URL %s", env.url)
	}
	log := filepath.Join(w.Dir, "trace.log")
	tfenv := []string{"TF_LOG=trace", "TF_LOG_PATH=" + log, EnvToken + "=" + env.mock.Token()}
	config := func(baseURL, args string) string {
		return `
terraform {
  required_providers {
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}
provider "vpnresellers" {
  base_url = "` + baseURL + `"
  ` + args + `
}
data "vpnresellers_profile" "me" {}
data "vpnresellers_geoip" "here" {}
`
	}
	var outputs []string
	run := func(wantErr, wantOut string, env []string, cfg string) {
		t.Helper()
		w.Write("main.tf", cfg)
		r := w.Run(env, "plan", "-no-color", "-input=false")
		if (r.Err != nil) != (wantErr != "") || !strings.Contains(r.Output(), wantOut) ||
			(wantErr != "" && !strings.Contains(r.Output(), wantErr)) {
			t.Fatalf("plan: err %v, want error %q and %q in the output:\n%s", r.Err, wantErr, wantOut, r.Output())
		}
		outputs = append(outputs, r.Output())
	}

	// The credentials are ignored: the plan works, with two warnings.
	run("", "Credentials in base_url are ignored", tfenv, config(withCreds, ""))
	if !strings.Contains(outputs[0], "Unencrypted API connection") || !strings.Contains(outputs[0], "http://0.0.0.0:") {
		t.Fatalf("no unencrypted-connection warning naming the host:\n%s", outputs[0])
	}
	// An API error names the URL.
	env.mock.FailNext("GET /profile", 1, mockapi.FailServerError)
	run("The API answered GET http://0.0.0.0:", "HTTP 500", tfenv, config(withCreds, "max_retries = 0"))
	// A base_url without /v4_1: the hint names the URL.
	run("it must include the version path", "/profile", tfenv, config(strings.TrimSuffix(withCreds, mockapi.PathPrefix), ""))
	// Invalid URLs, from the configuration and from the environment.
	bad := "http://" + user + ":" + pass + "@0.0.0.0:port/v4_1"
	run("Invalid base_url", "not a valid URL", tfenv, config(bad, ""))
	w.Write("main.tf", "")
	run("Invalid "+EnvBaseURL, "not a valid URL", append(tfenv, EnvBaseURL+"="+bad),
		strings.Replace(config("", ""), `base_url = ""`, "", 1))

	secrets := []string{pass, user, base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))}
	trace := readRaw(t, log)
	if !strings.Contains(trace, "provider.terraform-provider-vpnresellers") || !strings.Contains(trace, "/v4_1/profile") {
		t.Fatal("the trace log does not hold the provider's API requests; the test would prove nothing")
	}
	for where, text := range map[string]string{"output": strings.Join(outputs, "\n"), "TF_LOG=trace log": trace} {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				for _, line := range strings.Split(text, "\n") {
					if strings.Contains(line, s) {
						t.Errorf("%q is in the %s: %s", s, where, line)
						break
					}
				}
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var geoip bool
	for _, a := range auths {
		geoip = geoip || strings.HasPrefix(a, "GET /v4_1/geoip")
		if strings.Contains(a, "Basic") {
			t.Errorf("the URL's credentials reached the API: %s", a)
		}
	}
	if !geoip {
		t.Fatalf("GET /geoip (sent without the token) was never made; the test would prove nothing: %v", auths)
	}
}

// A token read with file() ends with a line break, and one in the
// environment may carry spaces: both are trimmed and work. A token that
// still holds a line break fails Configure with an error on token that does
// not show it.
func TestProviderConfig_tokenTrimmed(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvToken, "")
	t.Setenv(EnvBaseURL, "")
	tok := env.mock.Token()
	balance := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.vpnresellers_profile.me", tfjsonpath.New("balance_text"), knownvalue.StringExact("253.70")),
	}
	provider := func(token string) string {
		return "provider \"vpnresellers\" {\n  base_url = \"" + env.url + "\"\n  token = " + token + "\n}\n" + profileOnly
	}
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider(`"` + tok + `\n"`), ConfigStateChecks: balance},
			{Config: provider(`" \t` + tok + ` \r\n"`), ConfigStateChecks: balance},
		},
	})
}

// A token that cannot go in a header, even trimmed (read with file() from
// a file holding a line break inside it), fails with an error on token
// that shows no part of it.
func TestProviderConfig_tokenThatCannotBeSent(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	const tok = "Broken-Token-4411-Secret"
	w.Write("token.txt", tok[:6]+"\n"+tok[6:]+"\n")
	w.Write("main.tf", strings.Replace(env.providerBlock("")+profileOnly, fmt.Sprintf("token    = %q", env.mock.Token()),
		`token    = file("${path.module}/token.txt")`, 1))
	r := w.Run(nil, "plan", "-no-color", "-input=false")
	if r.Err == nil || !regexp.MustCompile(`(?s)Invalid API token.*line\s+break\s+at\s+character\s+7\s+of\s+25.*not\s+shown`).MatchString(r.Output()) {
		t.Fatalf("plan: %v, want an Invalid API token error:\n%s", r.Err, r.Output())
	}
	if !strings.Contains(r.Output(), `token    = file(`) {
		t.Fatalf("the error is not on token:\n%s", r.Output())
	}
	for _, part := range []string{tok[:6], tok[6:], "Token-4411"} {
		if strings.Contains(strings.ReplaceAll(r.Output(), "Invalid API token", ""), part) {
			t.Errorf("the output shows %q of the token:\n%s", part, r.Output())
		}
	}
}

func TestProviderConfig_tokenFromEnvironmentTrimmed(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvToken, " "+env.mock.Token()+"\n")
	t.Setenv(EnvBaseURL, env.url)
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `provider "vpnresellers" {}` + profileOnly,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vpnresellers_profile.me", tfjsonpath.New("balance_text"), knownvalue.StringExact("253.70")),
			},
		}},
	})
}
