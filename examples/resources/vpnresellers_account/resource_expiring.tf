# A trial account that stops working after the given date instead of
# renewing automatically. Remove expire_at to switch it to auto-renewal.
resource "vpnresellers_account" "trial" {
  username  = "trial-2031-01"
  password  = var.jane_password
  expire_at = "2031-01-31"
}
