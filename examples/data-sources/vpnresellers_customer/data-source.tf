# Look a customer up by email (or by numeric id with `id = 34`).
data "vpnresellers_customer" "jane" {
  email = "jane.doe@example.com"
}

# Give an existing customer a new account.
resource "vpnresellers_account" "jane_phone" {
  username    = "jane-doe-phone"
  password    = var.jane_password
  customer_id = data.vpnresellers_customer.jane.id
}

variable "jane_password" {
  type      = string
  sensitive = true
}
