# A production account: a replacement would give it a new id and new
# WireGuard keys, and cut its user off until they get a new configuration.
# prevent_destroy turns any plan that would delete or replace it into an
# error, instead of a warning that is easy to miss.
resource "vpnresellers_account" "production" {
  username            = "acme-office"
  password_wo         = var.office_password
  password_wo_version = 1
  # customer_id can be left out: the account keeps the customer it has.

  lifecycle {
    prevent_destroy = true
  }
}

variable "office_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
