package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*serversDataSource)(nil)

func newServersDataSource() datasource.DataSource { return &serversDataSource{} }

// serversDataSource lists the VPN servers, optionally by country and city.
type serversDataSource struct {
	dataSourceClient
}

type serversDataSourceModel struct {
	CountryCode types.String      `tfsdk:"country_code"`
	City        types.String      `tfsdk:"city"`
	Servers     []serverItemModel `tfsdk:"servers"`
}

type serverItemModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	IP          types.String `tfsdk:"ip"`
	CountryCode types.String `tfsdk:"country_code"`
	City        types.String `tfsdk:"city"`
	Capacity    types.Int64  `tfsdk:"capacity"`
}

func newServerItem(s client.Server) serverItemModel {
	return serverItemModel{
		ID:          types.Int64Value(s.ID),
		Name:        types.StringValue(s.Name),
		IP:          types.StringValue(s.IP),
		CountryCode: types.StringValue(s.CountryCode),
		City:        types.StringValue(s.City),
		Capacity:    types.Int64Value(s.Capacity),
	}
}

var countryCodeRegexp = regexp.MustCompile(`^[A-Za-z]{2}$`)

func (d *serversDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_servers"
}

func (d *serversDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the VPN servers your customers can connect to, optionally only those in one " +
			"country or city. A server's `id` is the `server_id` of the `vpnresellers_openvpn_config` and " +
			"`vpnresellers_wireguard_config` data sources and ephemeral resources.\n\n" +
			"The provider reads the whole list in one API request and filters it itself. " +
			fmt.Sprintf(descEmptyListIsNoError, "servers"),
		Attributes: map[string]schema.Attribute{
			"country_code": schema.StringAttribute{
				MarkdownDescription: "Only list servers in this country: a two-letter ISO 3166 code such as `NL`, " +
					"compared without regard to case.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(countryCodeRegexp,
					"must be a two-letter country code such as NL")},
			},
			"city": schema.StringAttribute{
				MarkdownDescription: "Only list servers in this city, such as `Amsterdam`, compared without regard to case.",
				Optional:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"servers": schema.ListNestedAttribute{
				MarkdownDescription: "The matching servers, in the API's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Numeric identifier of the server, used as `server_id` to fetch a configuration."},
					"name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Host name of the server, such as `ams-s02.321inter.net`."},
					"ip":           schema.StringAttribute{Computed: true, MarkdownDescription: "IP address of the server."},
					"country_code": schema.StringAttribute{Computed: true, MarkdownDescription: "Two-letter code of the server's country, such as `NL`."},
					"city":         schema.StringAttribute{Computed: true, MarkdownDescription: "City the server is in."},
					"capacity":     schema.Int64Attribute{Computed: true, MarkdownDescription: "Capacity figure the API reports for the server."},
				}},
			},
		},
	}
}

func (d *serversDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serversDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	servers, err := d.client.ListServers(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to list servers", err, nil)
		return
	}
	country, city := strings.TrimSpace(m.CountryCode.ValueString()), strings.TrimSpace(m.City.ValueString())
	servers = filterAll(servers, func(s client.Server) bool {
		return (country == "" || strings.EqualFold(s.CountryCode, country)) &&
			(city == "" || strings.EqualFold(strings.TrimSpace(s.City), city))
	})
	m.Servers = mapAll(servers, newServerItem)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
