# The newcomer demo: `make demo` runs this against the local mock API.
#
# A reseller sets up a brand (project) with two customers, gives each a VPN
# account, picks a server in the Netherlands and the default UDP port, and
# renders the OpenVPN and WireGuard configurations to hand to the customers.

terraform {
  required_providers {
    vpnresellers = {
      source = "vpnresellers/vpnresellers"
    }
  }
}

# Configured through VPNRESELLERS_BASE_URL and VPNRESELLERS_TOKEN.
provider "vpnresellers" {}

resource "vpnresellers_project" "acme" {
  name        = "Acme VPN"
  description = "Consumer VPN sold under the Acme brand"
}

resource "vpnresellers_customer" "jane" {
  project_id = vpnresellers_project.acme.id
  first_name = "Jane"
  last_name  = "Doe"
  email      = "jane.doe@example.com"
}

resource "vpnresellers_customer" "john" {
  project_id = vpnresellers_project.acme.id
  first_name = "John"
  last_name  = "Roe"
  email      = "john.roe@example.com"
}

resource "vpnresellers_account" "jane" {
  username    = "jane-doe"
  password    = "correct-horse-battery"
  customer_id = vpnresellers_customer.jane.id
}

# John is on a trial that ends at the end of January 2031.
resource "vpnresellers_account" "john" {
  username    = "john-roe-trial"
  password    = "staple-paper-clip"
  customer_id = vpnresellers_customer.john.id
  expire_at   = "2031-01-31"
}

data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

data "vpnresellers_ports" "udp" {
  protocol = "udp"
}

locals {
  server       = data.vpnresellers_servers.nl.servers[0]
  default_port = one([for p in data.vpnresellers_ports.udp.ports : p if p.default])
}

data "vpnresellers_openvpn_config" "jane" {
  server_id = local.server.id
  port_id   = local.default_port.id
}

data "vpnresellers_wireguard_config" "jane" {
  server_id  = local.server.id
  account_id = vpnresellers_account.jane.id
}

data "vpnresellers_profile" "me" {
  depends_on = [vpnresellers_account.jane, vpnresellers_account.john]
}

check "balance" {
  assert {
    condition     = data.vpnresellers_profile.me.balance > 10
    error_message = "The reseller balance is running low: top it up before creating more accounts."
  }
}

output "accounts" {
  value = {
    for a in [vpnresellers_account.jane, vpnresellers_account.john] : a.username => {
      id        = a.id
      status    = a.status
      wg_ip     = a.wg_ip
      expire_at = a.expire_at
    }
  }
}

output "server" {
  value = "${local.server.name} (${local.server.city}), OpenVPN port ${local.default_port.number}/${local.default_port.protocol}"
}

output "openvpn_config_name" {
  value = data.vpnresellers_openvpn_config.jane.name
}

output "balance" {
  value = data.vpnresellers_profile.me.balance
}

# Holds Jane's private key: shown only by `terraform output -raw wireguard_config`.
output "wireguard_config" {
  value     = data.vpnresellers_wireguard_config.jane.content
  sensitive = true
}
