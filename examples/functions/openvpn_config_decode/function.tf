# Decode an OpenVPN configuration for a server in Canada on the default port.
data "vpnresellers_servers" "ca" {
  country_code = "CA"
}

data "vpnresellers_ports" "all" {}

data "vpnresellers_openvpn_config" "ca" {
  server_id = data.vpnresellers_servers.ca.servers[0].id
  port_id   = data.vpnresellers_ports.all.default_port_id
}

locals {
  ca_ovpn = provider::vpnresellers::openvpn_config_decode(data.vpnresellers_openvpn_config.ca.content)
}

# A firewall rule or a router's client wants the server and port as values.
output "ca_remote" {
  value = "${local.ca_ovpn.remotes[0].proto}://${local.ca_ovpn.remotes[0].host}:${local.ca_ovpn.remotes[0].port}"
}

# The inline blocks, by name: the CA certificate as PEM for a trust store.
output "ca_certificate" {
  value = join("\n", [for line in split("\n", local.ca_ovpn.inline["ca"]) : trimspace(line) if trimspace(line) != ""])
}

# Any directive, through options: the data channel digest.
output "ca_auth_digest" {
  value = one([for o in local.ca_ovpn.options : o.args[0] if o.name == "auth"])
}
