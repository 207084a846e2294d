# By username (or by numeric id, such as "56"). Neither customer_id nor a
# password is needed: the import finds the customer, and an existing account
# keeps its password while both password arguments are left out. A number
# that is also a username is refused: write "id:56" or "username:56".
import {
  to = vpnresellers_account.jane
  id = "jane-doe"
}
