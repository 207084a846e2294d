# Terraform 1.12 and later: import by identity, the account's numeric id.
# `terraform query -generate-config-out` writes such blocks for you. An
# adopted account needs no password in the configuration: leaving both
# password and password_wo out keeps the password it has.
import {
  to = vpnresellers_account.jane_phone
  identity = {
    id = 57
  }
}

resource "vpnresellers_account" "jane_phone" {
  username    = "jane-doe-phone"
  customer_id = vpnresellers_customer.jane.id
}
