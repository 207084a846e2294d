# By a comma-separated list of usernames or numeric ids. Costs one walk of the
# account list (one request per 100 accounts), then one walk of the customer
# list and of every customer's accounts, to learn which customer owns each
# account (the API's account object does not say).
terraform import vpnresellers_accounts.fleet 'acme-0001,acme-0002,4711'

# Every account of one customer: one walk of that customer's accounts.
terraform import vpnresellers_accounts.fleet customer:12

# Every account of every customer of a project: one walk of the project's
# customers, then one walk of each customer's accounts (side by side).
terraform import vpnresellers_accounts.fleet project:3

# After an import, the next apply sets every password once from passwords_wo
# (passwords cannot be read back) and replaces nothing. Only a resource not
# yet in state can be imported: to add a hand-made account to an existing
# fleet, `terraform state rm` the resource, then import all its usernames
# together with the new one.
