# A customer's WireGuard configuration for a server in Canada. The content
# holds the account's private key and is stored in state (marked sensitive):
# prefer the ephemeral resource of the same name on Terraform 1.10 and later.
data "vpnresellers_servers" "ca" {
  country_code = "CA"
}

data "vpnresellers_account" "jane" {
  username = "jane-doe"
}

data "vpnresellers_wireguard_config" "jane" {
  server_id  = data.vpnresellers_servers.ca.servers[0].id
  account_id = data.vpnresellers_account.jane.id
}

output "jane_wireguard_config" {
  value     = data.vpnresellers_wireguard_config.jane.content
  sensitive = true
}
