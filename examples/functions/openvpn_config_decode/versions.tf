terraform {
  # Provider-defined functions need Terraform 1.8 or later (OpenTofu 1.7).
  required_version = ">= 1.8"
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
