package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The project's model: the table of a project's attributes (see
// attr_table.go), the models that hold them, and their fill.

type projectAttr = objectAttr[client.Project]

// projectAttrs is the table of a project's attributes: vpnresellers_project,
// the project data sources and the project list resource read their names,
// types, descriptions and values from it.
var projectAttrs = struct {
	ID, Name, Description, UserID projectAttr
}{
	ID: projectAttr{name: "id", kind: kindInt64, desc: "Numeric identifier of the project.",
		from: func(p *client.Project) attr.Value { return types.Int64Value(p.ID) }},
	Name: projectAttr{name: "name", kind: kindString, desc: "Name of the project (not necessarily unique).",
		from: func(p *client.Project) attr.Value { return types.StringValue(p.Name) }},
	Description: projectAttr{name: "description", kind: kindString, desc: "Description of the project.",
		from: func(p *client.Project) attr.Value { return types.StringValue(p.Description) }},
	UserID: projectAttr{name: "user_id", kind: kindInt64,
		desc: "Identifier of the reseller (your own API user) that owns the project.",
		from: func(p *client.Project) attr.Value { return types.Int64Value(p.UserID) }},
}

// projectValues are a project's values besides its id (whose type differs
// between the resource and the data sources): the framework's binding of
// the table's rows.
type projectValues struct {
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	UserID      types.Int64  `tfsdk:"user_id"`
}

// projectItemModel is a project as the data sources and the list resource
// show it.
type projectItemModel struct {
	ID idValue `tfsdk:"id"`
	projectValues
}

var projectItemBinding = bindModel[projectItemModel, client.Project](projectAttrs)
