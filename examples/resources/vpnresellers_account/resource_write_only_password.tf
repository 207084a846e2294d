# Terraform 1.11 and later: the password is write-only, so it never reaches
# the state or plan files. An ephemeral variable (TF_VAR_bob_password in CI)
# keeps it out of the plan too. Terraform cannot see a new password_wo, so
# bump password_wo_version whenever you rotate it.
variable "bob_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_account" "bob" {
  username            = "bob-smith"
  password_wo         = var.bob_password
  password_wo_version = 1
  customer_id         = vpnresellers_customer.jane.id
}
