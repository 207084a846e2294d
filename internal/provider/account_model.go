package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The account's model: what every resource, data source and list resource
// holding an account copies from the API's account object, and the one
// mapper that copies it. Never the WireGuard private key: it reaches a
// person only through the configuration ephemeral resources.

// accountValues are an account's values besides its id and username.
type accountValues struct {
	Enabled     types.Bool   `tfsdk:"enabled"`
	ExpireAt    types.String `tfsdk:"expire_at"`
	Status      types.String `tfsdk:"status"`
	WgIP        types.String `tfsdk:"wg_ip"`
	WgPublicKey types.String `tfsdk:"wg_public_key"`
	Created     types.String `tfsdk:"created"`
	Updated     types.String `tfsdk:"updated"`
}

// fill copies a's values.
func (v *accountValues) fill(a *client.Account) {
	v.Enabled = types.BoolValue(a.Enabled())
	if d := a.ExpireDate(); d != "" {
		v.ExpireAt = types.StringValue(d)
	} else {
		v.ExpireAt = types.StringNull()
	}
	v.Status = types.StringValue(a.Status)
	v.WgIP = types.StringValue(a.WgIP)
	v.WgPublicKey = types.StringValue(a.WgPublicKey)
	v.Created = types.StringValue(a.Created)
	v.Updated = types.StringValue(a.Updated)
}

// accountFromAPI is what both account resources hold of the API's account
// (vpnresellers_account's model and each vpnresellers_accounts entry embed
// it; the username is their key or their own attribute).
type accountFromAPI struct {
	ID types.Int64 `tfsdk:"id"`
	accountValues
}

// fill copies a's id and values.
func (v *accountFromAPI) fill(a *client.Account) {
	v.ID = types.Int64Value(a.ID)
	v.accountValues.fill(a)
}

// accountItemModel is what the data sources and the list resource show of
// an account.
type accountItemModel struct {
	ID       idValue      `tfsdk:"id"`
	Username types.String `tfsdk:"username"`
	accountValues
}

func newAccountItem(a client.Account) accountItemModel {
	m := accountItemModel{ID: idOf(a.ID), Username: types.StringValue(a.Username)}
	m.fill(&a)
	return m
}

// accountItemAttributes is the schema of accountItemModel, every attribute
// computed.
func accountItemAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":       schema.Int64Attribute{Computed: true, CustomType: idType{}, MarkdownDescription: "Numeric identifier of the account."},
		"username": schema.StringAttribute{Computed: true, MarkdownDescription: "Username the person signs in to the VPN with."},
		"status": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Status reported by the API: `Active` (may connect) or `Disabled`."},
		"enabled": schema.BoolAttribute{Computed: true,
			MarkdownDescription: "Whether the account may connect: `true` when the status is `Active`."},
		"expire_at": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Date the account expires (`YYYY-MM-DD`), or null for an account that renews automatically."},
		"wg_ip":         schema.StringAttribute{Computed: true, MarkdownDescription: "The account's WireGuard address."},
		"wg_public_key": schema.StringAttribute{Computed: true, MarkdownDescription: "The account's WireGuard public key."},
		"created": schema.StringAttribute{Computed: true,
			MarkdownDescription: "When the account was created (`YYYY-MM-DD hh:mm:ss`, UTC)."},
		"updated": schema.StringAttribute{Computed: true,
			MarkdownDescription: "When the account last changed (`YYYY-MM-DD hh:mm:ss`, UTC)."},
	}
}
