# One project per brand you sell under.
resource "vpnresellers_project" "acme" {
  name        = "Acme VPN"
  description = "Consumer VPN sold under the Acme brand"
}
