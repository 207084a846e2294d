# Terraform 1.12 and later: import by identity, the project's numeric id.
# `terraform query -generate-config-out` writes such blocks for you.
import {
  to = vpnresellers_project.legacy
  identity = {
    id = 7
  }
}

resource "vpnresellers_project" "legacy" {
  name        = "Legacy brand"
  description = "Made in the panel before Terraform"
}
