# Terraform 1.14 and later: the customers of one project.
list "vpnresellers_customer" "acme" {
  provider = vpnresellers

  config {
    project_id = 12
  }
}
