# Decode a customer's WireGuard configuration into values.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

data "vpnresellers_account" "jane" {
  username = "jane-doe"
}

data "vpnresellers_wireguard_config" "jane" {
  server_id  = data.vpnresellers_servers.nl.servers[0].id
  account_id = data.vpnresellers_account.jane.id
}

locals {
  jane_wg = provider::vpnresellers::wireguard_config_decode(data.vpnresellers_wireguard_config.jane.content)
}

# The file is sensitive, so the whole decoded object is: take out what is not
# secret with nonsensitive(), and keep the key in a sensitive output.
output "jane_endpoint" {
  value = nonsensitive(local.jane_wg.peers[0].endpoint) # such as "ams-s02.321inter.net:51820"
}

output "jane_addresses" {
  value = nonsensitive(local.jane_wg.interface.addresses)
}

output "jane_private_key" {
  value     = local.jane_wg.interface.private_key
  sensitive = true
}
