# Where the API sees Terraform's requests coming from. Needs no token.
data "vpnresellers_geoip" "here" {}

# Offer servers in the caller's own country.
data "vpnresellers_servers" "nearby" {
  country_code = data.vpnresellers_geoip.here.iso_code
}
