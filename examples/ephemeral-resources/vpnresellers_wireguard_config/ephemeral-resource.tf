# Terraform 1.10 and later: render a customer's WireGuard configuration
# without the private key ever reaching the state or plan files.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

resource "vpnresellers_account" "jane" {
  username = "jane-doe"
  password = var.jane_password
}

ephemeral "vpnresellers_wireguard_config" "jane" {
  server_id  = data.vpnresellers_servers.nl.servers[0].id
  account_id = vpnresellers_account.jane.id
}

variable "jane_password" {
  type      = string
  sensitive = true
}

# Ephemeral values can go wherever Terraform accepts them: write-only
# arguments of other providers (for example a secret store's
# `secret_string_wo`), provider configuration, or an ephemeral output of a
# module. In a child module:
#
# output "wireguard_config" {
#   value     = ephemeral.vpnresellers_wireguard_config.jane.content
#   ephemeral = true
# }
