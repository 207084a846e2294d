terraform {
  # Actions and action_trigger need Terraform 1.14 or later.
  required_version = ">= 1.14"
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
