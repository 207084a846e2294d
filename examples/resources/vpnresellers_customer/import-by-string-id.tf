import {
  to = vpnresellers_customer.jane
  id = "34"
}
