# Where the API sees Terraform's requests coming from. The API's geoip endpoint
# itself is public, but the provider is configured with a token like for every
# other data source (VPNRESELLERS_TOKEN).
data "vpnresellers_geoip" "here" {}

# Offer servers in the caller's own country.
data "vpnresellers_servers" "nearby" {
  country_code = data.vpnresellers_geoip.here.iso_code
}
