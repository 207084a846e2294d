# Terraform 1.5 and later: the same IDs in an import block.
import {
  to = vpnresellers_accounts.fleet
  id = "customer:12"
}
