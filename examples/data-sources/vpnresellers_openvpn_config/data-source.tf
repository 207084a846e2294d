# Pick a server by country and the default UDP port, then render the OpenVPN
# client configuration for them. OpenVPN configurations hold no account
# secret: the person signs in with their username and password.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

data "vpnresellers_ports" "udp" {
  protocol = "udp"
}

data "vpnresellers_openvpn_config" "nl" {
  server_id = data.vpnresellers_servers.nl.servers[0].id
  port_id   = data.vpnresellers_ports.udp.default_port_id
}

output "openvpn_file_name" {
  value = data.vpnresellers_openvpn_config.nl.name # such as "NL-1194.ovpn"
}

output "openvpn_config" {
  value = data.vpnresellers_openvpn_config.nl.content
}
