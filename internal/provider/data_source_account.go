package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure        = (*accountDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*accountDataSource)(nil)
)

func newAccountDataSource() datasource.DataSource { return &accountDataSource{} }

// accountDataSource looks one account up by id or by username.
type accountDataSource struct {
	dataSourceClient
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

func (d *accountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (d *accountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := accountItemAttributes()
	attrs["id"] = schema.Int64Attribute{
		CustomType: idType{},
		MarkdownDescription: "Numeric identifier of the account to look up. Exactly one of `id` and `username` must be set; " +
			"looking up by id costs one API request.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["username"] = schema.StringAttribute{
		MarkdownDescription: "Username of the account to look up (exact, case-sensitive match). Exactly one of `id` and " +
			"`username` must be set. The API cannot search by username, so the provider reads the whole account list: " +
			"with many accounts, prefer `id`.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one existing VPN account by its `id` or its `username`, for example to hand its " +
			"details to another system or to manage something around an account created elsewhere. An error is " +
			"reported when no account matches.\n\n" +
			"The API does not tell which customer an account belongs to; use `vpnresellers_accounts` with " +
			"`customer_id` to list a customer's accounts.\n\n" +
			"The account's WireGuard private key is not among the results, so a lookup never copies it into state. " +
			"Hand a WireGuard configuration to its user with the `vpnresellers_wireguard_config` ephemeral resource.",
		Attributes: attrs,
	}
}

func (d *accountDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("username")),
	}
}

func (d *accountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m accountItemModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acc := lookupOne(ctx, &resp.Diagnostics, client.KindAccount, "username", m.ID, m.Username, d.client.GetAccount, d.client.FindAccountByUsername)
	if acc == nil {
		return
	}
	m = newAccountItem(*acc)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
