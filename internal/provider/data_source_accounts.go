package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*accountsDataSource)(nil)

func newAccountsDataSource() datasource.DataSource { return &accountsDataSource{} }

// accountsDataSource lists accounts: all of them, or a customer's, or a
// project's, optionally only those with one status.
type accountsDataSource struct {
	dataSourceClient
}

type accountsDataSourceModel struct {
	Status     types.String       `tfsdk:"status"`
	CustomerID types.Int64        `tfsdk:"customer_id"`
	ProjectID  types.Int64        `tfsdk:"project_id"`
	Accounts   []accountItemModel `tfsdk:"accounts"`
}

func (d *accountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (d *accountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists VPN accounts: every account of the reseller, or those of one customer (`customer_id`) " +
			"or of one project's customers (`project_id`), optionally only the `Active` or `Disabled` ones.\n\n" +
			"The list holds no WireGuard private keys, so that listing accounts does not copy every key into state; " +
			"fetch an account's configuration with the `vpnresellers_wireguard_config` ephemeral resource when its " +
			"key is needed.\n\n" +
			descWalksEveryPage + " " + fmt.Sprintf(descEmptyListIsNoError, "accounts"),
		Attributes: map[string]schema.Attribute{
			"status": schema.StringAttribute{
				MarkdownDescription: "Only list accounts with this status: `Active` or `Disabled`. Lists both when unset.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(client.StatusActive, client.StatusDisabled)},
			},
			"customer_id": schema.Int64Attribute{
				MarkdownDescription: "Only list the accounts of this customer. At most one of `customer_id` and " +
					"`project_id` may be set.",
				Optional: true,
				Validators: []validator.Int64{
					int64validator.AtLeast(1),
					int64validator.ConflictsWith(path.MatchRoot("project_id")),
				},
			},
			"project_id": schema.Int64Attribute{
				MarkdownDescription: "Only list the accounts of this project's customers. At most one of `customer_id` " +
					"and `project_id` may be set.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The matching accounts, ordered by id. WireGuard private keys are deliberately left out.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: accountItemBinding.dataAttributes()},
			},
		},
	}
}

func (d *accountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m accountsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	status := m.Status.ValueString()
	var (
		accounts []client.Account
		ok       bool
	)
	switch {
	case !m.CustomerID.IsNull():
		accounts, ok = listUnder(ctx, req, resp, "customer_id", "customer", m.CustomerID, d.client.ListAllCustomerAccounts)
	case !m.ProjectID.IsNull():
		accounts, ok = listUnder(ctx, req, resp, "project_id", "project", m.ProjectID, d.client.ListAllProjectAccounts)
	default:
		// Only this endpoint filters by status itself.
		var err error
		if accounts, err = d.client.ListAllAccounts(ctx, status); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to list accounts", err, fieldPaths{"status": path.Root("status")})
		}
		ok = err == nil
	}
	if !ok {
		return
	}
	if status != "" {
		accounts = filterAll(accounts, func(a client.Account) bool { return a.Status == status })
	}
	m.Accounts = mapAll(byID(accounts, func(a client.Account) int64 { return a.ID }), accountItemBinding.newModel)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
