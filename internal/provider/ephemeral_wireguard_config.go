package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*wireGuardConfigEphemeral)(nil)

func newWireGuardConfigEphemeral() ephemeral.EphemeralResource { return &wireGuardConfigEphemeral{} }

// wireGuardConfigEphemeral is the WireGuard configuration without state: the
// same model and fetch as the data source.
type wireGuardConfigEphemeral struct {
	ephemeralClient
}

func (e *wireGuardConfigEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_wireguard_config"
}

func (e *wireGuardConfigEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fetches the WireGuard client configuration (`wg0.conf`) of an account for a server " +
			"**without storing it**. The file holds the account's private key; ephemeral resources are never " +
			"written to Terraform state or plan files, and are fetched again on every plan and apply. Needs " +
			"Terraform 1.10 or later. This is the recommended way to render a customer's WireGuard configuration " +
			"in a pipeline.\n\n" +
			"Its values can be used only where Terraform allows ephemeral values: write-only arguments of " +
			"resources (Terraform 1.11 and later; for example to put the file into a secret manager), provider " +
			"configuration, provisioner and connection blocks, other ephemeral resources, ephemeral variables and " +
			"locals, and `ephemeral = true` outputs of child modules. They cannot go into an ordinary resource " +
			"argument, a data source or a non-ephemeral output.\n\n" +
			"Use the `vpnresellers_wireguard_config` **data source** instead only when the file must be a stored " +
			"value (Terraform older than 1.10, or an argument that is not write-only such as " +
			"`local_sensitive_file.content`); it then sits in state in clear text, key included. No resource " +
			"or other data source of this provider stores the private key.",
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

func (e *wireGuardConfigEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m wireGuardConfigModel
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
