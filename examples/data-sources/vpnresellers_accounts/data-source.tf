# Every disabled account of the reseller, across all pages.
data "vpnresellers_accounts" "disabled" {
  status = "Disabled"
}

# The accounts of one project's customers.
data "vpnresellers_accounts" "acme" {
  project_id = 12
}

output "disabled_usernames" {
  value = data.vpnresellers_accounts.disabled.accounts[*].username
}
