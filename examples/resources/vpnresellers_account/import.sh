# An account is imported by its numeric id...
terraform import vpnresellers_account.jane 56

# ...or by its username. The customer that owns it is found for you.
terraform import vpnresellers_account.jane jane-doe
