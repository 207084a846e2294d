resource "vpnresellers_project" "acme" {
  name        = "Acme VPN"
  description = "Consumer VPN sold under the Acme brand"
}

# A customer belongs to a project and can own VPN accounts.
resource "vpnresellers_customer" "jane" {
  project_id = vpnresellers_project.acme.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane.doe@example.com"
}
