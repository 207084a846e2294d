package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*wireGuardConfigDataSource)(nil)

func newWireGuardConfigDataSource() datasource.DataSource { return &wireGuardConfigDataSource{} }

// wireGuardConfigDataSource fetches an account's WireGuard client
// configuration. The vpnresellers_wireguard_config ephemeral resource shares
// its model and fetch.
type wireGuardConfigDataSource struct {
	dataSourceClient
}

// wireGuardConfigModel is the model of the WireGuard configuration data
// source and ephemeral resource alike.
type wireGuardConfigModel struct {
	ServerID  idValue `tfsdk:"server_id"`
	AccountID idValue `tfsdk:"account_id"`
	configFileModel
}

var wireGuardConfigFields = fieldPaths{"server_id": path.Root("server_id"), "account_id": path.Root("account_id")}

// fetch asks the API for the configuration of m's account on m's server and
// fills in the name and content. A server or account the API does not know
// is an error on server_id or account_id.
func (m *wireGuardConfigModel) fetch(ctx context.Context, c *client.Client, diags *diag.Diagnostics) {
	serverID, accountID := m.ServerID.ValueInt64(), m.AccountID.ValueInt64()
	cfg, err := c.GetWireGuardConfig(ctx, serverID, accountID)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to get the WireGuard configuration of account %d for server %d", accountID, serverID),
			err, wireGuardConfigFields)
		return
	}
	m.set(cfg)
}

// Descriptions shared with the ephemeral resource.
const (
	descWireGuardServerID = "Numeric identifier of the server the configuration connects to: an `id` from the " +
		"`vpnresellers_servers` data source."
	descWireGuardAccountID = "Numeric identifier of the account whose keys and address the configuration uses, such " +
		"as `vpnresellers_account.example.id`."
	descWireGuardName    = "Suggested file name, such as `wg0.conf`."
	descWireGuardContent = "The WireGuard client configuration file (`[Interface]` and `[Peer]` sections). " +
		"Sensitive: it holds the account's WireGuard private key."
)

func (d *wireGuardConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_wireguard_config"
}

func (d *wireGuardConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fetches the WireGuard client configuration (`wg0.conf`) of an account for a server.\n\n" +
			"**The file holds the account's private key**, and a data source's result is stored in Terraform state " +
			"and in saved plan files, in clear text (`sensitive` only hides it from the CLI output). Use this data " +
			"source when you need the file as a stored value — on Terraform older than 1.10, or to pass it to a " +
			"resource argument that is not write-only (such as `local_sensitive_file.content`) — and keep the state " +
			"in an encrypted, access-controlled backend.\n\n" +
			"On Terraform 1.10 and later, prefer the `vpnresellers_wireguard_config` **ephemeral resource**: it " +
			"returns the same file but is never written to state or plan files.",
		Attributes: map[string]schema.Attribute{
			"server_id": schema.Int64Attribute{
				CustomType:          idType{},
				MarkdownDescription: descWireGuardServerID,
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"account_id": schema.Int64Attribute{
				CustomType:          idType{},
				MarkdownDescription: descWireGuardAccountID,
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"name":    schema.StringAttribute{MarkdownDescription: descWireGuardName, Computed: true},
			"content": schema.StringAttribute{MarkdownDescription: descWireGuardContent, Computed: true, Sensitive: true},
		},
	}
}

func (d *wireGuardConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m wireGuardConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.fetch(ctx, d.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
