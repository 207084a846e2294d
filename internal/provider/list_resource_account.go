package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ list.ListResourceWithConfigure = (*accountListResource)(nil)

func newAccountListResource() list.ListResource { return &accountListResource{} }

// accountListResource lists VPN accounts for `terraform query`.
type accountListResource struct {
	resourceClient
}

type accountListModel struct {
	Status     types.String `tfsdk:"status"`
	CustomerID idValue      `tfsdk:"customer_id"`
	ProjectID  idValue      `tfsdk:"project_id"`
}

func (r *accountListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (r *accountListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the reseller's VPN accounts for `terraform query` (Terraform 1.14 and "+
			"later), with the username as display name.\n\n"+
			"Cost: one `GET /accounts` (`GET /customers/{id}/accounts` with `customer_id`, `GET /projects/{id}/accounts` "+
			"with `project_id`) per page of %d accounts; pages are fetched one after another, and none once "+
			"`limit` results are found. With `include_resource = true` (which `-generate-config-out` sets), the "+
			"API's account object does not say which customer owns the account, so the query first walks the "+
			"customers once (every page of `GET /customers`) and every customer's account list "+
			"(`GET /customers/{id}/accounts`, every page): one walk per Terraform run, not one per account, "+
			"shared with every import and query of the run. With `customer_id` no walk is needed.", client.DefaultPageSize),
		Attributes: map[string]schema.Attribute{
			"status": schema.StringAttribute{
				MarkdownDescription: "Only accounts with this status: `Active` or `Disabled`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(client.StatusActive, client.StatusDisabled)},
			},
			"customer_id": idFilter("Only the accounts of this customer. Conflicts with `project_id`.",
				int64validator.ConflictsWith(path.MatchRoot("project_id"))),
			"project_id": idFilter("Only the accounts of this project's customers. Conflicts with `customer_id`."),
		},
	}
}

func (r *accountListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg accountListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	status := cfg.Status.ValueString()

	// Where the accounts come from.
	fetch := func(ctx context.Context, opts client.ListOptions) (*client.Page[client.Account], error) {
		return r.client.ListAccounts(ctx, client.AccountListOptions{ListOptions: opts, Status: status})
	}
	owned := true // customer_id comes from the owner walk (false: the filter says)
	switch {
	case !cfg.CustomerID.IsNull():
		id := cfg.CustomerID.ValueInt64()
		fetch = func(ctx context.Context, opts client.ListOptions) (*client.Page[client.Account], error) {
			return r.client.ListCustomerAccounts(ctx, id, opts)
		}
		owned = false
	case !cfg.ProjectID.IsNull():
		id := cfg.ProjectID.ValueInt64()
		fetch = func(ctx context.Context, opts client.ListOptions) (*client.Page[client.Account], error) {
			return r.client.ListProjectAccounts(ctx, id, opts)
		}
	}
	accounts := withStatus(client.Items(ctx, r.client, fetch, accountKey), status)

	stream.Results = func(push func(list.ListResult) bool) {
		ownerOf := func(int64) types.Int64 { return cfg.CustomerID.Int64Value }
		if req.IncludeResource && owned {
			// The client's one owner walk, shared with every import of the run.
			owners, err := r.client.AccountOwners(ctx)
			if err != nil {
				pushError(push, "Unable to find the customers of the accounts", err)
				return
			}
			ownerOf = func(id int64) types.Int64 {
				if c := owners.CustomerOf(id); c != nil {
					return types.Int64Value(c.ID)
				}
				return types.Int64Null()
			}
		}
		results := streamResults(ctx, req, "accounts", accounts, func(a client.Account) listed {
			return listed{id: a.ID, name: a.Username, object: func() any {
				var m accountModel
				m.fill(&a)
				m.CustomerID = idValue{Int64Value: ownerOf(a.ID)}
				return &m
			}}
		})
		for res := range results {
			if !push(res) {
				return
			}
		}
	}
}

// withStatus keeps the accounts with this status ("" keeps all). The
// customer and project account lists cannot filter by status themselves.
func withStatus(accounts iter.Seq2[client.Account, error], status string) iter.Seq2[client.Account, error] {
	if status == "" {
		return accounts
	}
	return func(yield func(client.Account, error) bool) {
		for a, err := range accounts {
			if (err != nil || a.Status == status) && !yield(a, err) {
				return
			}
		}
	}
}
