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
	_ datasource.DataSourceWithConfigure        = (*projectDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*projectDataSource)(nil)
)

func newProjectDataSource() datasource.DataSource { return &projectDataSource{} }

// projectDataSource looks one project up by id or by name.
type projectDataSource struct {
	dataSourceClient
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := projectItemAttributes()
	attrs["id"] = schema.Int64Attribute{
		CustomType: idType{},
		MarkdownDescription: "Numeric identifier of the project to look up. Exactly one of `id` and `name` must be set; " +
			"looking up by id costs one API request.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the project to look up (exact, case-sensitive match). Exactly one of `id` and " +
			"`name` must be set. Project names are not unique: when several projects have this name the lookup " +
			"fails and lists their ids, so that you can look the right one up by `id`. The provider reads the " +
			"whole project list to search by name.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one existing project by its `id` or its `name`, for example to create customers " +
			"(`vpnresellers_customer.project_id`) in a project that is managed elsewhere. An error is reported when " +
			"no project, or more than one, matches.",
		Attributes: attrs,
	}
}

func (d *projectDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectItemModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p := lookupOne(ctx, &resp.Diagnostics, client.KindProject, "name", m.ID, m.Name, d.client.GetProject, d.client.FindProjectByName)
	if p == nil {
		return
	}
	m = newProjectItem(*p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
