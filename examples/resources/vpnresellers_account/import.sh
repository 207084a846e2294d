# An account is imported by its numeric id...
terraform import vpnresellers_account.jane 56

# ...or by its username. The customer that owns it is found for you, from one
# walk per Terraform run of the customers' account lists (one request per
# page), shared by every import in the run: importing 500 accounts costs
# their reads and the pages of that walk, not a walk each.
terraform import vpnresellers_account.jane jane-doe

# A number that is the id of one account and the username of another (an
# account named "56") is refused, because it could mean either: say which one
# with a prefix. vpnresellers_accounts reads its list the same way.
terraform import vpnresellers_account.jane id:56
terraform import vpnresellers_account.jane username:56
