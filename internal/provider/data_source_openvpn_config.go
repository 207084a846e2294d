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

var _ datasource.DataSourceWithConfigure = (*openVPNConfigDataSource)(nil)

func newOpenVPNConfigDataSource() datasource.DataSource { return &openVPNConfigDataSource{} }

// openVPNConfigDataSource fetches an OpenVPN client configuration. The
// vpnresellers_openvpn_config ephemeral resource shares its model and fetch.
type openVPNConfigDataSource struct {
	dataSourceClient
}

// openVPNConfigModel is the model of the OpenVPN configuration data source
// and ephemeral resource alike.
type openVPNConfigModel struct {
	ServerID idValue `tfsdk:"server_id"`
	PortID   idValue `tfsdk:"port_id"`
	configFileModel
}

var openVPNConfigFields = fieldPaths{"server_id": path.Root("server_id"), "port_id": path.Root("port_id")}

// fetch asks the API for the configuration m's server and port select and
// fills in the name and content. A server or port the API does not know is
// an error on server_id or port_id.
func (m *openVPNConfigModel) fetch(ctx context.Context, c *client.Client, diags *diag.Diagnostics) {
	serverID, portID := m.ServerID.ValueInt64(), m.PortID.ValueInt64()
	cfg, err := c.GetOpenVPNConfig(ctx, serverID, portID)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to get the OpenVPN configuration for server %d and port %d", serverID, portID),
			err, openVPNConfigFields)
		return
	}
	m.set(cfg)
}

// Descriptions shared with the ephemeral resource.
const (
	descOpenVPNServerID = "Numeric identifier of the server the configuration connects to: an `id` from the " +
		"`vpnresellers_servers` data source."
	descOpenVPNPortID = "Numeric identifier of the port (protocol and port number) to connect on: an `id` from the " +
		"`vpnresellers_ports` data source (its `default_port_id` when any will do)."
	descOpenVPNName    = "Suggested file name, such as `NL-1194.ovpn`."
	descOpenVPNContent = "The OpenVPN client configuration file. It holds no credentials: the client asks for the " +
		"account's username and password when it connects."
)

func (d *openVPNConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_openvpn_config"
}

func (d *openVPNConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fetches the OpenVPN client configuration (`.ovpn` file) for a server and a port, to hand " +
			"to your customers or write to disk (for example with `local_file`).\n\n" +
			"The file holds no secret — the OpenVPN client asks for the account's username and password — so this " +
			"data source, whose result is stored in Terraform state, is the usual choice. The " +
			"`vpnresellers_openvpn_config` ephemeral resource returns the same file without storing it " +
			"(Terraform 1.10 and later), for pipelines that keep every configuration file out of state.",
		Attributes: map[string]schema.Attribute{
			"server_id": schema.Int64Attribute{
				CustomType:          idType{},
				MarkdownDescription: descOpenVPNServerID,
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"port_id": schema.Int64Attribute{
				CustomType:          idType{},
				MarkdownDescription: descOpenVPNPortID,
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"name":    schema.StringAttribute{MarkdownDescription: descOpenVPNName, Computed: true},
			"content": schema.StringAttribute{MarkdownDescription: descOpenVPNContent, Computed: true},
		},
	}
}

func (d *openVPNConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m openVPNConfigModel
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
