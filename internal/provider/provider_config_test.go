package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const profileOnly = `
data "vpnresellers_profile" "me" {}
`

// These tests set environment variables, which the in-process provider
// reads, so they do not run in parallel.

func TestProviderConfig_fromEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvToken, env.mock.Token())
	t.Setenv(EnvMaxRetries, "2")
	t.Setenv(EnvRequestTimeout, "10s")
	t.Setenv(EnvRequestsPerSecond, "50")
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

func TestProviderConfig_configBeatsEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, "http://127.0.0.1:1/v4_1") // nothing listens there
	t.Setenv(EnvToken, "wrong-token")
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(profileOnly),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vpnresellers_profile.me", tfjsonpath.New("balance_text"), knownvalue.StringExact("253.70")),
			},
		}},
	})
}

func TestProviderConfig_errors(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvToken, "")
	t.Setenv(EnvBaseURL, "")
	provider := func(body string) string { return "provider \"vpnresellers\" {\n" + body + "\n}\n" + profileOnly }
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider(`base_url = "` + env.url + `"`),
				ExpectError: regexp.MustCompile(`(?s)Missing API token.*VPNRESELLERS_TOKEN`),
			},
			{
				Config:      provider(`token = "t"` + "\n" + `base_url = "ftp://example.com"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid base_url.*https://`),
			},
			{
				Config:      provider(`token = "t"` + "\n" + `request_timeout = "soon"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid request_timeout.*30s`),
			},
			{
				Config:      provider(`token = "t"` + "\n" + `max_retries = 99`),
				ExpectError: regexp.MustCompile(`(?s)max_retries.*between 0 and 20`),
			},
			{
				Config:      provider(`token = "t"` + "\n" + `requests_per_second = -1`),
				ExpectError: regexp.MustCompile(`(?s)requests_per_second.*at least 0`),
			},
		},
	})
}

func TestProviderConfig_badEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvMaxRetries, "lots")
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(profileOnly),
			ExpectError: regexp.MustCompile(`(?s)VPNRESELLERS_MAX_RETRIES must be a whole number`),
		}},
	})
}

// The token must not show up in error messages, even when the API is not
// reachable at all.
func TestProviderConfig_tokenNotEchoed(t *testing.T) {
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			switch {
			case err == nil:
				return errors.New("no error from an unreachable API")
			case strings.Contains(err.Error(), "tok-very-secret-123"):
				return fmt.Errorf("the error echoes the token: %w", err)
			case !strings.Contains(err.Error(), "Could not reach the API"):
				return fmt.Errorf("unexpected error: %w", err)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: `
provider "vpnresellers" {
  base_url    = "http://127.0.0.1:1/v4_1"
  token       = "tok-very-secret-123"
  max_retries = 0
}
` + profileOnly,
		}},
	})
}

// Every setting is read the same way: the provider block beats the
// environment, and an invalid value is an error on the attribute naming
// where it came from.
func TestProviderConfig_settingSources(t *testing.T) {
	t.Setenv("VPNRESELLERS_TEST_SETTING", "7")
	var d diag.Diagnostics
	if n, set := setting(&d, "max_retries", types.Int64Value(3), "VPNRESELLERS_TEST_SETTING", wholeNumber(0, 20)); !set || n != 3 {
		t.Errorf("configured 3: got %d, %v", n, set)
	}
	if n, set := setting(&d, "max_retries", types.Int64Null(), "VPNRESELLERS_TEST_SETTING", wholeNumber(0, 20)); !set || n != 7 {
		t.Errorf("environment 7: got %d, %v", n, set)
	}
	if _, set := setting(&d, "max_retries", types.Int64Null(), "VPNRESELLERS_TEST_UNSET", wholeNumber(0, 20)); set {
		t.Error("nothing set, yet set")
	}
	if d.HasError() {
		t.Fatal(d)
	}
	for _, tc := range []struct {
		env, value, want string
		read             func(*diag.Diagnostics)
	}{
		{EnvMaxRetries, "lots", "a whole number from 0 to 20", func(d *diag.Diagnostics) {
			setting(d, "max_retries", types.Int64Null(), EnvMaxRetries, wholeNumber(0, 20))
		}},
		{EnvRequestTimeout, "soon", "a positive duration", func(d *diag.Diagnostics) {
			setting(d, "request_timeout", types.StringNull(), EnvRequestTimeout, positiveDuration(`"30s"`))
		}},
		{EnvMaxRetryWait, "-1s", "a positive duration", func(d *diag.Diagnostics) {
			setting(d, "max_retry_wait", types.StringNull(), EnvMaxRetryWait, positiveDuration(`"60s"`))
		}},
		{EnvRequestsPerSecond, "-1", "a number of at least 0", func(d *diag.Diagnostics) {
			setting(d, "requests_per_second", types.Float64Null(), EnvRequestsPerSecond, nonNegativeNumber)
		}},
		{EnvMaxParallel, "0", "a whole number from 1 to", func(d *diag.Diagnostics) {
			setting(d, "max_parallel_requests", types.Int64Null(), EnvMaxParallel, wholeNumber(1, maxParallelLimit))
		}},
	} {
		t.Setenv(tc.env, tc.value)
		var d diag.Diagnostics
		tc.read(&d)
		if len(d) != 1 || !strings.Contains(d[0].Detail(), tc.env+" must be "+tc.want) {
			t.Errorf("%s=%s: %v", tc.env, tc.value, d)
		}
		if _, onAttr := d[0].(diag.DiagnosticWithPath); !onAttr {
			t.Errorf("%s: not on the attribute", tc.env)
		}
	}
}
