package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The account's model: the table of an account's attributes (see
// attr_table.go), the models that hold them, and their fill. Never the
// WireGuard private key: it reaches a person only through the
// configuration ephemeral resources.

type accountAttr = objectAttr[client.Account]

// accountAttrs is the table of an account's attributes: vpnresellers_account,
// every entry of vpnresellers_accounts, the account data sources and the
// account list resource read their names, types, descriptions and values
// from it.
var accountAttrs = struct {
	ID, Username, CustomerID, Enabled, ExpireAt, Status, WgIP, WgPublicKey, Created, Updated accountAttr
}{
	ID: accountAttr{name: "id", kind: kindInt64, desc: "Numeric identifier of the account.",
		from: func(a *client.Account) attr.Value { return types.Int64Value(a.ID) }},
	Username: accountAttr{name: "username", kind: kindString, desc: "Username the person signs in to the VPN with.",
		arg:  upTo255 + " Unique across the whole service; the API compares usernames exactly, so `Jane` and `jane` are two accounts.",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.Username) }},
	// The API's account object does not say which customer owns it.
	CustomerID: accountAttr{name: "customer_id", kind: kindInt64, desc: "Identifier of the customer that owns the account."},
	Enabled: accountAttr{name: "enabled", kind: kindBool,
		desc: "Whether the account may connect: `true` when the status is `Active`.",
		arg:  "`false` disables VPN service without deleting the account. Defaults to `true`. Changed in place.",
		from: func(a *client.Account) attr.Value { return types.BoolValue(a.Enabled()) }},
	ExpireAt: accountAttr{name: "expire_at", kind: kindString,
		desc: "Date the account expires (`YYYY-MM-DD`), or null for an account that renews automatically.",
		arg:  "Changed in place.",
		from: func(a *client.Account) attr.Value {
			if d := a.ExpireDate(); d != "" {
				return types.StringValue(d)
			}
			return types.StringNull()
		}},
	Status: accountAttr{name: "status", kind: kindString,
		desc: "Status reported by the API: `Active` (may connect) or `Disabled`.",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.Status) }},
	WgIP: accountAttr{name: "wg_ip", kind: kindString, desc: "The account's WireGuard address.",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.WgIP) }},
	WgPublicKey: accountAttr{name: "wg_public_key", kind: kindString,
		desc: "The account's WireGuard public key. The private key is never stored; use the " +
			"`vpnresellers_wireguard_config` ephemeral resource to hand out a configuration.",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.WgPublicKey) }},
	Created: accountAttr{name: "created", kind: kindString,
		desc: "When the account was created (`YYYY-MM-DD hh:mm:ss`, UTC).",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.Created) }},
	Updated: accountAttr{name: "updated", kind: kindString,
		desc: "When the account last changed (`YYYY-MM-DD hh:mm:ss`, UTC).",
		from: func(a *client.Account) attr.Value { return types.StringValue(a.Updated) }},
}

// path is the attribute's path in a resource that holds it at the top.
func (a objectAttr[O]) path() path.Path { return path.Root(a.name) }

// accountValues are an account's values besides its id and username (the
// framework's binding of the table's rows; see attr_table.go).
type accountValues struct {
	Enabled     types.Bool   `tfsdk:"enabled"`
	ExpireAt    types.String `tfsdk:"expire_at"`
	Status      types.String `tfsdk:"status"`
	WgIP        types.String `tfsdk:"wg_ip"`
	WgPublicKey types.String `tfsdk:"wg_public_key"`
	Created     types.String `tfsdk:"created"`
	Updated     types.String `tfsdk:"updated"`
}

// accountFromAPI is what both account resources hold of the API's account
// (vpnresellers_account's model and each vpnresellers_accounts entry embed
// it; the username is their key or their own attribute).
type accountFromAPI struct {
	ID types.Int64 `tfsdk:"id"`
	accountValues
}

var accountFromAPIBinding = bindModel[accountFromAPI, client.Account](accountAttrs)

// fill copies a's id and values.
func (v *accountFromAPI) fill(a *client.Account) { accountFromAPIBinding.fill(v, a) }

// accountItemModel is what the data sources and the list resource show of
// an account.
type accountItemModel struct {
	ID       idValue      `tfsdk:"id"`
	Username types.String `tfsdk:"username"`
	accountValues
}

var accountItemBinding = bindModel[accountItemModel, client.Account](accountAttrs)

// enabledArgument and expireAtArgument are enabled and expire_at as both
// account resources take them (vpnresellers_account, and each entry of
// vpnresellers_accounts).
func enabledArgument() rschema.BoolAttribute {
	return rschema.BoolAttribute{
		MarkdownDescription: accountAttrs.Enabled.argDesc(),
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(true),
	}
}

func expireAtArgument() rschema.StringAttribute {
	return rschema.StringAttribute{
		MarkdownDescription: accountAttrs.ExpireAt.argDesc(),
		Optional:            true,
		Validators:          []validator.String{dateValidator()},
	}
}
