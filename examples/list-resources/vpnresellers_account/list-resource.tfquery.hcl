# Terraform 1.14 and later: every disabled account of one project, at most
# 500 of them, with the full resource objects (as -generate-config-out needs).
list "vpnresellers_account" "suspended" {
  provider         = vpnresellers
  include_resource = true
  limit            = 500

  config {
    project_id = 12
    status     = "Disabled"
  }
}
