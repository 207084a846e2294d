# Terraform 1.10 and later: fetch an OpenVPN configuration on every run
# without storing it. Useful when the file is only handed on to another
# system (a secret store, a device-management API) through write-only
# arguments.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

data "vpnresellers_ports" "udp" {
  protocol = "udp"
}

ephemeral "vpnresellers_openvpn_config" "nl" {
  server_id = data.vpnresellers_servers.nl.servers[0].id
  port_id   = data.vpnresellers_ports.udp.default_port_id
}
