package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*geoIPDataSource)(nil)

func newGeoIPDataSource() datasource.DataSource { return &geoIPDataSource{} }

// geoIPDataSource locates the IP address Terraform reaches the API from.
type geoIPDataSource struct {
	dataSourceClient
}

type geoIPDataSourceModel struct {
	IP        types.String  `tfsdk:"ip"`
	Country   types.String  `tfsdk:"country"`
	ISOCode   types.String  `tfsdk:"iso_code"`
	City      types.String  `tfsdk:"city"`
	Lat       types.Float64 `tfsdk:"lat"`
	Lon       types.Float64 `tfsdk:"lon"`
	Continent types.String  `tfsdk:"continent"`
}

func (d *geoIPDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_geoip"
}

func (d *geoIPDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Locates the public IP address the machine running Terraform reaches the API from, with " +
			"the VPNresellers geo-location service. Handy to pick a nearby server, e.g. with `vpnresellers_servers` " +
			"filtered by `country_code = data.vpnresellers_geoip.this.iso_code`. The location is approximate, and " +
			"the answer changes when Terraform runs from elsewhere (a CI runner, behind a VPN).",
		Attributes: map[string]schema.Attribute{
			"ip":        schema.StringAttribute{Computed: true, MarkdownDescription: "The public IP address the API saw."},
			"country":   schema.StringAttribute{Computed: true, MarkdownDescription: "Country name, such as `United States`."},
			"iso_code":  schema.StringAttribute{Computed: true, MarkdownDescription: "Two-letter ISO 3166 country code, such as `US`."},
			"city":      schema.StringAttribute{Computed: true, MarkdownDescription: "City name, such as `New Haven`."},
			"lat":       schema.Float64Attribute{Computed: true, MarkdownDescription: "Approximate latitude, in degrees."},
			"lon":       schema.Float64Attribute{Computed: true, MarkdownDescription: "Approximate longitude, in degrees."},
			"continent": schema.StringAttribute{Computed: true, MarkdownDescription: "Two-letter continent code, such as `NA` or `EU`."},
		},
	}
}

func (d *geoIPDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	g, err := d.client.GeoIP(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to look up the geo-location of this IP address", err, nil)
		return
	}
	m := geoIPDataSourceModel{
		IP:        types.StringValue(g.IP),
		Country:   types.StringValue(g.Country),
		ISOCode:   types.StringValue(g.ISOCode),
		City:      types.StringValue(g.City),
		Lat:       types.Float64Value(g.Lat),
		Lon:       types.Float64Value(g.Lon),
		Continent: types.StringValue(g.Continent),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
