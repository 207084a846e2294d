package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*customersDataSource)(nil)

func newCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

// customersDataSource lists the customers, or one project's.
type customersDataSource struct {
	dataSourceClient
}

type customersDataSourceModel struct {
	ProjectID types.Int64         `tfsdk:"project_id"`
	Customers []customerItemModel `tfsdk:"customers"`
}

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the reseller's customers, or only those of one project.\n\n" +
			descWalksEveryPage + " " + fmt.Sprintf(descEmptyListIsNoError, "customers"),
		Attributes: map[string]schema.Attribute{
			"project_id": schema.Int64Attribute{
				MarkdownDescription: "Only list the customers of this project. Lists every customer when unset.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"customers": schema.ListNestedAttribute{
				MarkdownDescription: "The matching customers, ordered by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: customerItemBinding.dataAttributes()},
			},
		},
	}
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m customersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		customers []client.Customer
		ok        bool
	)
	if !m.ProjectID.IsNull() {
		customers, ok = listUnder(ctx, req, resp, "project_id", "project", m.ProjectID, d.client.ListAllProjectCustomers)
	} else {
		var err error
		if customers, err = d.client.ListAllCustomers(ctx); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to list customers", err, nil)
		}
		ok = err == nil
	}
	if !ok {
		return
	}
	m.Customers = mapAll(byID(customers, func(c client.Customer) int64 { return c.ID }), customerItemBinding.newModel)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
