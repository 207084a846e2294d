# By username (or by numeric id, such as "56").
import {
  to = vpnresellers_account.jane
  id = "jane-doe"
}
