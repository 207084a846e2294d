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
	_ datasource.DataSourceWithConfigure        = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*customerDataSource)(nil)
)

func newCustomerDataSource() datasource.DataSource { return &customerDataSource{} }

// customerDataSource looks one customer up by id or by email.
type customerDataSource struct {
	dataSourceClient
}

func (d *customerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (d *customerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := customerItemAttributes()
	attrs["id"] = schema.Int64Attribute{
		CustomType: idType{},
		MarkdownDescription: "Numeric identifier of the customer to look up. Exactly one of `id` and `email` must be set; " +
			"looking up by id costs one API request.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["email"] = schema.StringAttribute{
		MarkdownDescription: "Email address of the customer to look up, compared without regard to case (emails are " +
			"unique); the attribute keeps the value as written. Exactly one of `id` and `email` must be set. The API cannot search by email, so the provider " +
			"reads the whole customer list.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one existing customer by its `id` or its `email`, for example to attach new " +
			"accounts (`vpnresellers_account.customer_id`) to a customer that is managed elsewhere. An error is " +
			"reported when no customer matches.",
		Attributes: attrs,
	}
}

func (d *customerDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("email")),
	}
}

func (d *customerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m customerItemModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cust := lookupOne(ctx, &resp.Diagnostics, client.KindCustomer, "email", m.ID, m.Email, d.client.GetCustomer, d.client.FindCustomerByEmail)
	if cust == nil {
		return
	}
	item := newCustomerItem(*cust)
	if !m.Email.IsNull() {
		// Terraform requires a configured value to come back unchanged, and
		// the match ignores case.
		item.Email = m.Email
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &item)...)
}
