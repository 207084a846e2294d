# Terraform 1.12 and later: import by identity, the customer's numeric id.
# `terraform query -generate-config-out` writes such blocks for you.
import {
  to = vpnresellers_customer.john
  identity = {
    id = 35
  }
}

resource "vpnresellers_customer" "john" {
  project_id = vpnresellers_project.acme.id
  first_name = "John"
  last_name  = "Roe"
  email      = "john.roe@example.com"
}
