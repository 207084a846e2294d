package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Account rules shared by vpnresellers_account and vpnresellers_accounts.

// usernameValidators are the API's rules for a username (required string of
// at most 255 characters, counted as characters: see charsBetween). The API compares usernames exactly, case
// included, so "Jane" and "jane" are two accounts.
func usernameValidators() []validator.String {
	return []validator.String{notBlankValidator(), charsBetween(0, maxChars)}
}

// accountLoss says what the end user of an account loses when a plan
// replaces or deletes it. Every warning and error about a replacement or a
// deletion of accounts says it in these words.
func accountLoss(replace bool) string {
	if replace {
		return "The new account gets a new id and new WireGuard keys, and every OpenVPN and WireGuard " +
			"configuration handed out for the old account stops working."
	}
	return "The account, its id and its WireGuard keys are gone for good, and every OpenVPN and WireGuard " +
		"configuration handed out for it stops working."
}

// newAccountRequest is the create request of an account, linked to
// customerID when it is set.
func newAccountRequest(username, password string, customerID types.Int64) client.CreateAccountRequest {
	in := client.CreateAccountRequest{Username: username, Password: password}
	if !customerID.IsNull() && !customerID.IsUnknown() {
		in.Customer = &client.AccountCustomer{CustomerID: customerID.ValueInt64()}
	}
	return in
}

// expireAtArg is the expire_at argument of ExpireAccount for an attribute:
// nil (auto-renewal) when null.
func expireAtArg(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

// setAccountEnabled enables or disables an account. action names the call
// for error messages ("enable" or "disable").
func setAccountEnabled(ctx context.Context, c *client.Client, id int64, enabled bool) (acc *client.Account, action string, err error) {
	if enabled {
		acc, err = c.EnableAccount(ctx, id)
		return acc, "enable", err
	}
	acc, err = c.DisableAccount(ctx, id)
	return acc, "disable", err
}
