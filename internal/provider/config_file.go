package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// A client configuration file (OpenVPN or WireGuard) is served twice: as a
// data source, whose result is stored in state, and as an ephemeral
// resource, which is never stored. Both are one configFileSpec, the same
// model and the same fetch; only the framework's schema and response types
// differ.

// configFileSpec describes one kind of configuration file.
type configFileSpec struct {
	typeSuffix  string // "_openvpn_config"
	key         string // the argument beside server_id: "port_id", "account_id"
	keyDesc     string
	nameDesc    string
	contentDesc string
	sensitive   bool // the content holds a private key

	dataSourceDesc, ephemeralDesc string

	// get fetches the file for serverID and the key's id.
	get func(ctx context.Context, c *client.Client, serverID, keyID int64) (*client.VPNConfig, error)
	// failure is the summary of an error fetching it.
	failure func(serverID, keyID int64) string
}

const descConfigServerID = "Numeric identifier of the server the configuration connects to: an `id` from the " +
	"`vpnresellers_servers` data source."

// configFileModel is the result part of every configuration file model.
type configFileModel struct {
	Name    types.String `tfsdk:"name"`
	Content types.String `tfsdk:"content"`
}

func (m *configFileModel) set(cfg *client.VPNConfig) {
	m.Name = types.StringValue(cfg.Name)
	m.Content = types.StringValue(cfg.Content)
}

// configFileRequest is a pointer to a configuration file model: its two ids
// and its result.
type configFileRequest[M any] interface {
	*M
	ids() (serverID, keyID int64)
	set(cfg *client.VPNConfig)
}

// fetchConfigFile asks the API for the file m selects and fills in its name and
// content. A server or key the API does not know is an error on that
// argument.
func fetchConfigFile[M any, P configFileRequest[M]](ctx context.Context, s configFileSpec, c *client.Client, m P, diags *diag.Diagnostics) {
	serverID, keyID := m.ids()
	cfg, err := s.get(ctx, c, serverID, keyID)
	if err != nil {
		addAPIError(diags, s.failure(serverID, keyID), err, fieldPaths{"server_id": path.Root("server_id"), s.key: path.Root(s.key)})
		return
	}
	m.set(cfg)
}

var configIDValidators = []validator.Int64{int64validator.AtLeast(1)}

// configFileDataSource is the data source of one kind of configuration file.
type configFileDataSource[M any, P configFileRequest[M]] struct {
	dataSourceClient
	spec configFileSpec
}

var _ datasource.DataSourceWithConfigure = (*configFileDataSource[openVPNConfigModel, *openVPNConfigModel])(nil)

func (d *configFileDataSource[M, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.spec.typeSuffix
}

func (d *configFileDataSource[M, P]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	s := d.spec
	id := func(desc string) dschema.Attribute {
		return dschema.Int64Attribute{CustomType: idType{}, MarkdownDescription: desc, Required: true, Validators: configIDValidators}
	}
	resp.Schema = dschema.Schema{MarkdownDescription: s.dataSourceDesc, Attributes: map[string]dschema.Attribute{
		"server_id": id(descConfigServerID),
		s.key:       id(s.keyDesc),
		"name":      dschema.StringAttribute{MarkdownDescription: s.nameDesc, Computed: true},
		"content":   dschema.StringAttribute{MarkdownDescription: s.contentDesc, Computed: true, Sensitive: s.sensitive},
	}}
}

func (d *configFileDataSource[M, P]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m M
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if fetchConfigFile(ctx, d.spec, d.client, P(&m), &resp.Diagnostics); !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// configFileEphemeral is the ephemeral resource of one kind of configuration
// file.
type configFileEphemeral[M any, P configFileRequest[M]] struct {
	ephemeralClient
	spec configFileSpec
}

var _ ephemeral.EphemeralResourceWithConfigure = (*configFileEphemeral[openVPNConfigModel, *openVPNConfigModel])(nil)

func (e *configFileEphemeral[M, P]) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + e.spec.typeSuffix
}

// Schema is the data source's schema in the ephemeral schema package (the
// framework's two packages share no attribute type).
func (e *configFileEphemeral[M, P]) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	s := e.spec
	id := func(desc string) eschema.Attribute {
		return eschema.Int64Attribute{CustomType: idType{}, MarkdownDescription: desc, Required: true, Validators: configIDValidators}
	}
	resp.Schema = eschema.Schema{MarkdownDescription: s.ephemeralDesc, Attributes: map[string]eschema.Attribute{
		"server_id": id(descConfigServerID),
		s.key:       id(s.keyDesc),
		"name":      eschema.StringAttribute{MarkdownDescription: s.nameDesc, Computed: true},
		"content":   eschema.StringAttribute{MarkdownDescription: s.contentDesc, Computed: true, Sensitive: s.sensitive},
	}}
}

func (e *configFileEphemeral[M, P]) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m M
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if fetchConfigFile(ctx, e.spec, e.client, P(&m), &resp.Diagnostics); !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
	}
}
