package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ list.ListResourceWithConfigure = (*customerListResource)(nil)

func newCustomerListResource() list.ListResource { return &customerListResource{} }

// customerListResource lists customers for `terraform query`.
type customerListResource struct {
	resourceClient
}

type customerListModel struct {
	ProjectID idValue `tfsdk:"project_id"`
}

func (r *customerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the reseller's customers for `terraform query` (Terraform 1.14 and "+
			"later), with the customer's email as display name. Cost: one `GET /customers` (or `GET "+
			"/projects/{id}/customers` with `project_id`) per page of %d customers; pages are fetched one after "+
			"another, and none once `limit` results are found.", client.DefaultPageSize),
		Attributes: map[string]schema.Attribute{
			"project_id": idFilter("Only the customers of this project."),
		},
	}
}

func (r *customerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg customerListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	fetch := r.client.ListCustomers
	if !cfg.ProjectID.IsNull() {
		fetch = func(ctx context.Context, opts client.ListOptions) (*client.Page[client.Customer], error) {
			return r.client.ListProjectCustomers(ctx, cfg.ProjectID.ValueInt64(), opts)
		}
	}
	customers := client.Items(ctx, r.client, fetch, customerKey)
	stream.Results = streamResults(ctx, req, "customers", customers, func(c client.Customer) listed {
		l := listed{id: c.ID, name: c.Email, object: func() any {
			var m customerModel
			m.fill(&c)
			return &m
		}}
		if client.IsClaim(c.FirstName) {
			l.unfinished = unfinishedCreate(client.KindCustomer, c.ID, "first name")
		}
		return l
	})
}
