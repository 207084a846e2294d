terraform {
  required_providers {
    vpnresellers = {
      source  = "vpnresellers/vpnresellers"
      version = "~> 0.1"
    }
  }
}
