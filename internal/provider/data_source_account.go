package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigValidators = (*lookupDataSource[client.Account, accountItemModel])(nil)

// newAccountDataSource is vpnresellers_account: one account by id or by
// username.
func newAccountDataSource() datasource.DataSource {
	return &lookupDataSource[client.Account, accountItemModel]{lookupSpec: lookupSpec[client.Account, accountItemModel]{
		kind: client.KindAccount,
		key:  accountAttrs.Username.name,
		doc: "Looks up one existing VPN account by its `id` or its `username`, for example to hand its " +
			"details to another system or to manage something around an account created elsewhere. An error is " +
			"reported when no account matches.\n\n" +
			"The API does not tell which customer an account belongs to; use `vpnresellers_accounts` with " +
			"`customer_id` to list a customer's accounts.\n\n" +
			"The account's WireGuard private key is not among the results, so a lookup never copies it into state. " +
			"Hand a WireGuard configuration to its user with the `vpnresellers_wireguard_config` ephemeral resource.",
		keyDoc: "Username of the account to look up (exact, case-sensitive match). Exactly one of `id` and " +
			"`username` must be set. The API cannot search by username, so the provider reads the whole account list: " +
			"with many accounts, prefer `id`.",
		attributes: accountItemBinding.dataAttributes,
		idOf:       func(o *client.Account) int64 { return o.ID },
		get:        (*client.Client).GetAccount,
		find:       (*client.Client).FindAccountByUsername,
		query:      func(m *accountItemModel) (idValue, types.String) { return m.ID, m.Username },
		item:       func(a *client.Account, _ *accountItemModel) accountItemModel { return accountItemBinding.newModel(*a) },
	}}
}
