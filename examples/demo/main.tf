# The newcomer demo: `make demo` runs this against the local mock API.
#
# A reseller sets up a brand (project) with two customers, gives each a VPN
# account, picks a server in the Netherlands and the default UDP port, and
# renders the OpenVPN and WireGuard configurations to hand to the customers.
#
# It follows the recommended paths for secrets (Terraform 1.11 or later):
# passwords are write-only (password_wo) from ephemeral variables, and the
# WireGuard configuration, which holds a private key, comes from the
# ephemeral resource and goes straight to a file: neither reaches the state.

terraform {
  required_version = ">= 1.11"

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

# Set by `make demo` (TF_VAR_jane_password, TF_VAR_john_password). Ephemeral:
# never written to the plan or the state.
variable "jane_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "john_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_account" "jane" {
  username            = "jane-doe"
  password_wo         = var.jane_password
  password_wo_version = 1 # bump to send a new password
  customer_id         = vpnresellers_customer.jane.id
}

# John is on a trial that ends at the end of January 2031.
resource "vpnresellers_account" "john" {
  username            = "john-roe-trial"
  password_wo         = var.john_password
  password_wo_version = 1
  customer_id         = vpnresellers_customer.john.id
  expire_at           = "2031-01-31"
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

# Jane's WireGuard configuration holds her private key: read it on every run
# without storing it, and hand it to a file through the environment of a
# local-exec provisioner (not through the command line, which other users of
# the machine can see). Replace the command to send it anywhere else.
ephemeral "vpnresellers_wireguard_config" "jane" {
  server_id  = local.server.id
  account_id = vpnresellers_account.jane.id
}

resource "terraform_data" "jane_wireguard_file" {
  # Write the file again when the account or the server changes.
  triggers_replace = [vpnresellers_account.jane.id, local.server.id]

  provisioner "local-exec" {
    command = "umask 077 && printf '%s\\n' \"$WG_CONFIG\" > \"$WG_FILE\""
    environment = {
      WG_CONFIG = ephemeral.vpnresellers_wireguard_config.jane.content
      WG_FILE   = "${path.module}/jane-wg0.conf"
    }
  }
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

output "wireguard_config_file" {
  value = abspath("${path.module}/jane-wg0.conf")
}
