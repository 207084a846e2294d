# Terraform 1.11 and later. One resource for a whole fleet of accounts: a
# plan costs one paged read of the account list, and an apply touches only
# the entries that changed, several at a time (max_parallel_requests).
variable "fleet_passwords" {
  description = "Password of each account, keyed by username (for example from a secrets manager)."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

resource "vpnresellers_accounts" "fleet" {
  accounts = {
    "acme-0001" = { customer_id = 12, expire_at = "2031-01-31" } # a trial that ends
    "acme-0002" = { customer_id = 13, enabled = false }          # suspended, kept
    "acme-0003" = {}                                             # no customer, renews
  }

  # Write-only: never stored in state or plan. Every account created by an
  # apply needs one; bump the version to set them all again (rotation).
  passwords_wo         = var.fleet_passwords
  passwords_wo_version = 1

  # The default: a plan that would delete or replace an account (a removed
  # key, a new customer_id, a destroy) fails, naming the accounts. Set it to
  # false in the same change as removals that are meant.
  deletion_protection = true
}

output "fleet_wireguard_addresses" {
  value = { for name, a in vpnresellers_accounts.fleet.accounts : name => a.wg_ip }
}
