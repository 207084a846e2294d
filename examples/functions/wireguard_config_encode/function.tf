# Change a configuration the API returned and write it back: split tunnelling
# (only the office network through the VPN), a keepalive for a peer behind
# NAT, and the office DNS server.
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

  jane_split = merge(local.jane_wg, {
    interface = merge(local.jane_wg.interface, { dns = ["10.20.0.53"] })
    peers = [for peer in local.jane_wg.peers : merge(peer, {
      allowed_ips          = ["10.20.0.0/16"]
      persistent_keepalive = 25
    })]
  })
}

output "jane_split_tunnel_config" {
  value     = provider::vpnresellers::wireguard_config_encode(local.jane_split)
  sensitive = true # the private key is in it
}

# A configuration written by hand: every attribute is given, null where it is
# left out.
output "hand_written_config" {
  value = provider::vpnresellers::wireguard_config_encode({
    interface = {
      private_key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=" # an example, use a variable
      addresses   = ["10.20.0.2/32"]
      dns         = []
      listen_port = null
      mtu         = 1420
    }
    peers = [{
      public_key           = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
      preshared_key        = null
      endpoint             = "vpn.example.com:51820"
      allowed_ips          = ["10.20.0.0/16"]
      persistent_keepalive = null
    }]
  })
}
