# Who owns which account (the API's account object does not say) comes from
# one walk per Terraform run of the customer list and of every customer's
# accounts (one request per page of each), shared by every import, query and
# refresh in the run.

# By a comma-separated list of usernames or numeric ids: one walk of the
# account list (one request per 100 accounts), and the owner walk. Each entry
# is read as vpnresellers_account's import reads it: a number that is the id
# of one account and the username of another is refused, and the prefixes
# id: and username: say which one is meant.
terraform import vpnresellers_accounts.fleet 'acme-0001,acme-0002,4711'
terraform import vpnresellers_accounts.fleet 'id:4711,username:2024'

# Every account of one customer: from the owner walk.
terraform import vpnresellers_accounts.fleet customer:12

# Every account of every customer of a project: one walk of the project's
# customers, and the owner walk.
terraform import vpnresellers_accounts.fleet project:3

# After an import, the next apply sets every password once from passwords_wo
# (passwords cannot be read back) and replaces nothing. Only a resource not
# yet in state can be imported: to add a hand-made account to an existing
# fleet, `terraform state rm` the resource, then import all its usernames
# together with the new one.
