# Terraform 1.14 and later: `terraform query` lists every project.
list "vpnresellers_project" "all" {
  provider = vpnresellers
}
