package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The project's model: what the resource, the data sources and the list
// resource holding a project copy from the API's project object, and the one
// mapper that copies it.

// projectValues are a project's values besides its id (whose type differs
// between the resource and the data sources).
type projectValues struct {
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	UserID      types.Int64  `tfsdk:"user_id"`
}

// fill copies p's values.
func (v *projectValues) fill(p *client.Project) {
	v.Name = types.StringValue(p.Name)
	v.Description = types.StringValue(p.Description)
	v.UserID = types.Int64Value(p.UserID)
}

// projectItemModel is a project as the data sources and the list resource
// show it.
type projectItemModel struct {
	ID idValue `tfsdk:"id"`
	projectValues
}

func newProjectItem(p client.Project) projectItemModel {
	m := projectItemModel{ID: idOf(p.ID)}
	m.fill(&p)
	return m
}

// projectItemAttributes is the schema of projectItemModel, every attribute
// computed.
func projectItemAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":          schema.Int64Attribute{Computed: true, CustomType: idType{}, MarkdownDescription: "Numeric identifier of the project."},
		"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the project (not necessarily unique)."},
		"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description of the project."},
		"user_id": schema.Int64Attribute{Computed: true,
			MarkdownDescription: "Identifier of the reseller (your own API user) that owns the project."},
	}
}
