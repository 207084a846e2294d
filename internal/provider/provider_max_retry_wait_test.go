package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// max_retry_wait (default 60s, or VPNRESELLERS_MAX_RETRY_WAIT) caps the
// Retry-After the provider waits: a longer one fails at once, naming the
// wait, the status and the setting. It sets the environment, so it does not
// run in parallel.
func TestProviderConfig_maxRetryWait(t *testing.T) {
	env := newTestEnv(t)
	tooLong := func(seconds int) func() {
		return func() {
			env.mock.SetRetryAfter(seconds)
			env.mock.FailNext("GET /profile", 1, mockapi.FailRateLimited)
		}
	}
	unitTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   tooLong(3600),
				Config:      env.config(profileOnly),
				ExpectError: regexp.MustCompile(`(?s)HTTP 429.*wait 1h0m0s.*max_retry_wait\s+\(1m0s\)`),
			},
			{
				PreConfig:   tooLong(5),
				Config:      env.configWith(`max_retry_wait = "2s"`, profileOnly),
				ExpectError: regexp.MustCompile(`(?s)wait 5s.*max_retry_wait\s+\(2s\)`),
			},
			{
				PreConfig: func() {
					tooLong(5)()
					t.Setenv(EnvMaxRetryWait, "3s")
				},
				Config:      env.config(profileOnly),
				ExpectError: regexp.MustCompile(`(?s)wait 5s.*max_retry_wait\s+\(3s\)`),
			},
			{
				Config:      env.configWith(`max_retry_wait = "soon"`, profileOnly),
				ExpectError: regexp.MustCompile(`(?s)max_retry_wait.*positive duration`),
			},
		},
	})
}
