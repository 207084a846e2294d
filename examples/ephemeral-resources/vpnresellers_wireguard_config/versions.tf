terraform {
  # Ephemeral resources need Terraform 1.10 or later.
  required_version = ">= 1.10"
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
