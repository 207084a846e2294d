package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigValidators = (*lookupDataSource[client.Project, projectItemModel])(nil)

// newProjectDataSource is vpnresellers_project: one project by id or by name.
func newProjectDataSource() datasource.DataSource {
	return &lookupDataSource[client.Project, projectItemModel]{lookupSpec: lookupSpec[client.Project, projectItemModel]{
		kind: client.KindProject,
		key:  projectAttrs.Name.name,
		doc: "Looks up one existing project by its `id` or its `name`, for example to create customers " +
			"(`vpnresellers_customer.project_id`) in a project that is managed elsewhere. An error is reported when " +
			"no project, or more than one, matches.",
		keyDoc: "Name of the project to look up (exact, case-sensitive match). Exactly one of `id` and " +
			"`name` must be set. Project names are not unique: when several projects have this name the lookup " +
			"fails and lists their ids, so that you can look the right one up by `id`. The provider reads the " +
			"whole project list to search by name.",
		attributes: projectItemBinding.dataAttributes,
		idOf:       func(o *client.Project) int64 { return o.ID },
		get:        (*client.Client).GetProject,
		find:       (*client.Client).FindProjectByName,
		query:      func(m *projectItemModel) (idValue, types.String) { return m.ID, m.Name },
		item:       func(p *client.Project, _ *projectItemModel) projectItemModel { return projectItemBinding.newModel(*p) },
	}}
}
