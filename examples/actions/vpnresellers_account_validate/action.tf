# Terraform 1.14 and later. The passwords come from ephemeral variables,
# the same ones the accounts take: they are never stored in state or plan.
variable "password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_account" "jane" {
  username            = "jane-doe"
  password_wo         = var.password
  password_wo_version = 1

  # Prove the account logs in once it is created, and after every update
  # (a new password_wo_version sets a new password).
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vpnresellers_account_validate.jane]
    }
  }
}

# Also on demand, changing nothing:
#   terraform apply -invoke=action.vpnresellers_account_validate.jane
action "vpnresellers_account_validate" "jane" {
  config {
    username   = vpnresellers_account.jane.username
    password   = var.password
    account_id = vpnresellers_account.jane.id # saves the lookup by username
  }
}

# A fleet: after each apply, the accounts that apply created or set a
# password on, at most max_parallel_requests at a time. Invoked alone,
# every account of the fleet.
variable "fleet_passwords" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

resource "vpnresellers_accounts" "fleet" {
  accounts = {
    "alice" = {}
    "bob"   = {}
  }
  passwords_wo         = var.fleet_passwords
  passwords_wo_version = 1

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vpnresellers_account_validate.fleet]
    }
  }
}

action "vpnresellers_account_validate" "fleet" {
  config {
    account_ids = { for name, a in vpnresellers_accounts.fleet.accounts : name => a.id }
    passwords   = var.fleet_passwords
  }
}
