resource "vpnresellers_project" "acme" {
  name        = "Acme VPN"
  description = "Consumer VPN sold under the Acme brand"
}

resource "vpnresellers_customer" "jane" {
  project_id = vpnresellers_project.acme.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane.doe@example.com"
}

variable "jane_password" {
  type      = string
  sensitive = true
}

# A VPN account owned by a customer. It renews automatically (no expire_at)
# and is enabled (the default).
resource "vpnresellers_account" "jane" {
  username    = "jane-doe"
  password    = var.jane_password
  customer_id = vpnresellers_customer.jane.id
}

output "jane_wireguard_address" {
  value = vpnresellers_account.jane.wg_ip
}
