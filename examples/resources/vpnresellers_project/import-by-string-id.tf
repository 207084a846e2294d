import {
  to = vpnresellers_project.acme
  id = "12"
}
