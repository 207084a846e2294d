terraform {
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}

# Keep the token out of the configuration: export it before running Terraform.
#
#   export VPNRESELLERS_TOKEN="<token from the API access page>"
#
# Every argument below is optional and has an environment variable:
# VPNRESELLERS_BASE_URL, VPNRESELLERS_MAX_RETRIES, VPNRESELLERS_REQUEST_TIMEOUT,
# VPNRESELLERS_REQUESTS_PER_SECOND and VPNRESELLERS_MAX_RETRY_WAIT.
provider "vpnresellers" {
  # The production API is the default.
  # base_url = "https://api.vpnresellers.com/v4_1"

  # Retry 5xx, network errors and timeouts up to 4 times, honouring Retry-After.
  max_retries = 4

  # Fail at once, instead of waiting, when the API asks to wait longer than this.
  max_retry_wait = "60s"

  # Give up on a single request after 30 seconds.
  request_timeout = "30s"

  # Stay well below the API's rate limit when applying many accounts at once.
  requests_per_second = 5
}
