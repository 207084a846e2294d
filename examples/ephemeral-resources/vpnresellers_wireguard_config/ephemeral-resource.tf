# Terraform 1.10 and later: render a customer's WireGuard configuration
# without the private key ever reaching the state or plan files. No resource
# or data source of this provider stores the private key.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

variable "jane_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_account" "jane" {
  username            = "jane-doe"
  password_wo         = var.jane_password # Terraform 1.11+: never stored
  password_wo_version = 1
}

ephemeral "vpnresellers_wireguard_config" "jane" {
  server_id  = data.vpnresellers_servers.nl.servers[0].id
  account_id = vpnresellers_account.jane.id
}

# Hand the configuration over through a provisioner's environment: the
# command sees it as $CONF; Terraform stores neither the value nor the
# command's environment. Here it is written to a file for the customer's
# onboarding mail; a command could as well upload it to a secret store.
resource "terraform_data" "jane_wireguard_handoff" {
  # Runs again when the account is replaced (its keys change).
  triggers_replace = [vpnresellers_account.jane.id]

  provisioner "local-exec" {
    command = "umask 077 && printf '%s' \"$CONF\" > jane-wg0.conf"
    environment = {
      CONF = ephemeral.vpnresellers_wireguard_config.jane.content
    }
  }
}

# Ephemeral values can also go to write-only arguments of other providers'
# resources (Terraform 1.11+), for example a secret store's
# `secret_string_wo`, or to an ephemeral output of a child module:
#
# output "wireguard_config" {
#   value     = ephemeral.vpnresellers_wireguard_config.jane.content
#   ephemeral = true
# }
