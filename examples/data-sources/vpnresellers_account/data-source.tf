# Look an account up by username (or by numeric id with `id = 56`).
data "vpnresellers_account" "jane" {
  username = "jane-doe"
}

output "jane_status" {
  value = data.vpnresellers_account.jane.status
}
