# Feed the decoded configuration to a resource that wants fields, not a file:
# here the manifest of a Kubernetes Secret for a WireGuard sidecar, held by a
# terraform_data resource (with the kubernetes provider, the same map is the
# `data` of a kubernetes_secret_v1). The values stay sensitive in the plan and
# in the state, which holds them, key included, as the data source's does.
resource "terraform_data" "jane_wireguard_secret" {
  input = {
    apiVersion = "v1"
    kind       = "Secret"
    type       = "Opaque"
    metadata   = { name = "jane-wireguard" }
    stringData = {
      private_key     = local.jane_wg.interface.private_key
      addresses       = join(",", local.jane_wg.interface.addresses)
      dns             = join(",", local.jane_wg.interface.dns)
      peer_public_key = local.jane_wg.peers[0].public_key
      peer_endpoint   = local.jane_wg.peers[0].endpoint
      allowed_ips     = join(",", local.jane_wg.peers[0].allowed_ips)
    }
  }
}

# To keep the key out of the state (Terraform 1.10+), decode the ephemeral
# resource of the same name instead: the decoded object is then ephemeral and
# goes where ephemeral values may, such as a secret store's write-only
# argument (Terraform 1.11+) or a provisioner's environment:
#
# ephemeral "vpnresellers_wireguard_config" "jane" { ... }
#
# resource "aws_secretsmanager_secret_version" "jane" {
#   secret_id                = aws_secretsmanager_secret.jane.id
#   secret_string_wo         = jsonencode(provider::vpnresellers::wireguard_config_decode(ephemeral.vpnresellers_wireguard_config.jane.content).interface)
#   secret_string_wo_version = 1
# }
