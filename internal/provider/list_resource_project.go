package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ list.ListResourceWithConfigure = (*projectListResource)(nil)

func newProjectListResource() list.ListResource { return &projectListResource{} }

// projectListResource lists projects for `terraform query`.
type projectListResource struct {
	resourceClient
}

func (r *projectListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists every project of the reseller for `terraform query` (Terraform 1.14 "+
			"and later), with the project's name as display name. Cost: one `GET /projects` per page of %d projects; "+
			"pages are fetched one after another, and none once `limit` results are found.", client.DefaultPageSize),
	}
}

func (r *projectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	projects := client.Items(ctx, r.client, r.client.ListProjects, projectKey)
	stream.Results = streamResults(ctx, req, "projects", projects, func(p client.Project) listed {
		l := listed{id: p.ID, name: p.Name, object: func() any {
			var m projectModel
			m.fill(&p)
			return &m
		}}
		if client.IsClaim(p.Description) {
			l.unfinished = unfinishedCreate(client.KindProject, p.ID, projectAttrs.Description.name)
		}
		return l
	})
}
