# The UDP ports, and the one the API marks as default.
data "vpnresellers_ports" "udp" {
  protocol = "udp"
}

output "default_udp_port_id" {
  value = data.vpnresellers_ports.udp.default_port_id
}

output "udp_port_numbers" {
  value = data.vpnresellers_ports.udp.ports[*].number
}
