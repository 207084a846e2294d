terraform {
  # password_wo (resource_write_only_password.tf) needs Terraform 1.11 or later.
  required_version = ">= 1.11"
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
