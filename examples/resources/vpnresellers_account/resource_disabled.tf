# A customer who stopped paying: the account stays, but cannot connect until
# `enabled` is set back to true.
resource "vpnresellers_account" "suspended" {
  username    = "jane-doe-laptop"
  password    = var.jane_password
  customer_id = vpnresellers_customer.jane.id
  enabled     = false
}
