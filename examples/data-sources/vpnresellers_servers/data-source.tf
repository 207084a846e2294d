# Every server in the Netherlands.
data "vpnresellers_servers" "nl" {
  country_code = "NL"
}

# Narrow down to one city.
data "vpnresellers_servers" "amsterdam" {
  country_code = "NL"
  city         = "Amsterdam"
}

output "nl_server_names" {
  value = data.vpnresellers_servers.nl.servers[*].name
}
