package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*portsDataSource)(nil)

func newPortsDataSource() datasource.DataSource { return &portsDataSource{} }

// portsDataSource lists the OpenVPN ports, optionally of one protocol.
type portsDataSource struct {
	dataSourceClient
}

type portsDataSourceModel struct {
	Protocol      types.String    `tfsdk:"protocol"`
	Ports         []portItemModel `tfsdk:"ports"`
	DefaultPortID types.Int64     `tfsdk:"default_port_id"`
}

type portItemModel struct {
	ID       types.Int64  `tfsdk:"id"`
	Protocol types.String `tfsdk:"protocol"`
	Number   types.Int64  `tfsdk:"number"`
	Default  types.Bool   `tfsdk:"default"`
}

func newPortItem(p client.Port) portItemModel {
	return portItemModel{
		ID:       types.Int64Value(p.ID),
		Protocol: types.StringValue(p.Protocol),
		Number:   types.Int64Value(p.Number),
		Default:  types.BoolValue(bool(p.Default)),
	}
}

func (d *portsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ports"
}

func (d *portsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the OpenVPN ports (protocol and port number) the servers accept. A port's `id` is " +
			"the `port_id` of the `vpnresellers_openvpn_config` data source and ephemeral resource.\n\n" +
			"The provider reads the whole list in one API request and filters it itself. " +
			fmt.Sprintf(descEmptyListIsNoError, "ports"),
		Attributes: map[string]schema.Attribute{
			"protocol": schema.StringAttribute{
				MarkdownDescription: "Only list ports of this protocol: `udp` or `tcp`, without regard to case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOfCaseInsensitive("udp", "tcp")},
			},
			"ports": schema.ListNestedAttribute{
				MarkdownDescription: "The matching ports, in the API's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Numeric identifier of the port, used as `port_id` to fetch an OpenVPN configuration."},
					"protocol": schema.StringAttribute{Computed: true, MarkdownDescription: "Transport protocol: `udp` or `tcp`."},
					"number":   schema.Int64Attribute{Computed: true, MarkdownDescription: "Port number, such as `1194`."},
					"default": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the API marks this port as the default one."},
				}},
			},
			"default_port_id": schema.Int64Attribute{
				MarkdownDescription: "The `id` of the first listed port marked as default, or null when none of the " +
					"listed ports is (for example when `protocol` filters the default port out). Handy as " +
					"`port_id` when any port will do.",
				Computed: true,
			},
		},
	}
}

func (d *portsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m portsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ports, err := d.client.ListPorts(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to list ports", err, nil)
		return
	}
	protocol := m.Protocol.ValueString()
	ports = filterAll(ports, func(p client.Port) bool {
		return protocol == "" || strings.EqualFold(p.Protocol, protocol)
	})
	m.Ports = mapAll(ports, newPortItem)
	m.DefaultPortID = types.Int64Null()
	for _, p := range ports {
		if p.Default {
			m.DefaultPortID = types.Int64Value(p.ID)
			break
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
