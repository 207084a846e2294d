data "vpnresellers_profile" "me" {}

# Warn on every plan and apply when the balance runs low, without failing
# the run.
check "reseller_balance" {
  assert {
    condition     = data.vpnresellers_profile.me.balance >= 50
    error_message = "The VPNresellers balance is ${data.vpnresellers_profile.me.balance_text}: top it up before it runs out."
  }
}
