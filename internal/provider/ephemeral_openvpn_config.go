package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*openVPNConfigEphemeral)(nil)

func newOpenVPNConfigEphemeral() ephemeral.EphemeralResource { return &openVPNConfigEphemeral{} }

// openVPNConfigEphemeral is the OpenVPN configuration without state: the
// same model and fetch as the data source.
type openVPNConfigEphemeral struct {
	ephemeralClient
}

func (e *openVPNConfigEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_openvpn_config"
}

func (e *openVPNConfigEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fetches the OpenVPN client configuration (`.ovpn` file) for a server and a port " +
			"**without storing it**: ephemeral resources are never written to Terraform state or plan files, and " +
			"are fetched again on every plan and apply. Needs Terraform 1.10 or later.\n\n" +
			"Its values can be used only where Terraform allows ephemeral values: write-only arguments of " +
			"resources (Terraform 1.11 and later), provider configuration, provisioner and connection blocks, " +
			"other ephemeral resources, ephemeral variables and locals, and `ephemeral = true` outputs of child " +
			"modules.\n\n" +
			"The OpenVPN file holds no secret (the client asks for the account's username and password), so the " +
			"`vpnresellers_openvpn_config` data source, whose result is stored in state, is usually simpler; use " +
			"this ephemeral resource when a pipeline must keep every client configuration out of state.",
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

func (e *openVPNConfigEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m openVPNConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.fetch(ctx, e.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
