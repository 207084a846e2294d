terraform {
  # Ephemeral variables and write-only values need Terraform 1.11 or later.
  required_version = ">= 1.11"
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
