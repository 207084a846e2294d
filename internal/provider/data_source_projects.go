package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*projectsDataSource)(nil)

func newProjectsDataSource() datasource.DataSource { return &projectsDataSource{} }

// projectsDataSource lists every project.
type projectsDataSource struct {
	dataSourceClient
}

type projectsDataSourceModel struct {
	Projects []projectItemModel `tfsdk:"projects"`
}

func (d *projectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_projects"
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every project of the reseller. Use it with a `for` expression to pick projects by " +
			"name or description, or to look up several at once.\n\n" +
			descWalksEveryPage,
		Attributes: map[string]schema.Attribute{
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "The projects, ordered by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: projectItemBinding.dataAttributes()},
			},
		},
	}
}

func (d *projectsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	projects, err := d.client.ListAllProjects(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to list projects", err, nil)
		return
	}
	m := projectsDataSourceModel{Projects: mapAll(byID(projects, func(p client.Project) int64 { return p.ID }), projectItemBinding.newModel)}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
