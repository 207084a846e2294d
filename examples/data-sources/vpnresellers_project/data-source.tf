# Look a project up by name (names need not be unique: the lookup fails if
# several projects share it) or by numeric id with `id = 12`.
data "vpnresellers_project" "acme" {
  name = "Acme VPN"
}

resource "vpnresellers_customer" "new" {
  project_id = data.vpnresellers_project.acme.id
  first_name = "John"
  last_name  = "Roe"
  email      = "john.roe@example.com"
}
