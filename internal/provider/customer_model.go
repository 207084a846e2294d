package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The customer's model: the table of a customer's attributes (see
// attr_table.go), the models that hold them, and their fill.

type customerAttr = objectAttr[client.Customer]

// customerAttrs is the table of a customer's attributes: vpnresellers_customer,
// the customer data sources and the customer list resource read their
// names, types, descriptions and values from it.
var customerAttrs = struct {
	ID, ProjectID, FirstName, LastName, Email, UserID customerAttr
}{
	ID: customerAttr{name: "id", kind: kindInt64, desc: "Numeric identifier of the customer.",
		from: func(c *client.Customer) attr.Value { return types.Int64Value(c.ID) }},
	ProjectID: customerAttr{name: "project_id", kind: kindInt64, desc: "Identifier of the project the customer belongs to.",
		from: func(c *client.Customer) attr.Value { return types.Int64Value(c.ProjectID) }},
	FirstName: customerAttr{name: "first_name", kind: kindString, desc: "The customer's first name.",
		from: func(c *client.Customer) attr.Value { return types.StringValue(c.FirstName) }},
	LastName: customerAttr{name: "last_name", kind: kindString, desc: "The customer's last name.",
		from: func(c *client.Customer) attr.Value { return types.StringValue(c.LastName) }},
	Email: customerAttr{name: "email", kind: kindString, desc: "The customer's email address, unique among all customers of the reseller.",
		from: func(c *client.Customer) attr.Value { return types.StringValue(c.Email) }},
	UserID: customerAttr{name: "user_id", kind: kindInt64,
		desc: "Identifier of the reseller (your own API user) that owns the customer.",
		from: func(c *client.Customer) attr.Value { return types.Int64Value(c.UserID) }},
}

// customerValues are a customer's values besides its id and project (whose
// types differ between the resource and the data sources): the framework's
// binding of the table's rows.
type customerValues struct {
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	Email     types.String `tfsdk:"email"`
	UserID    types.Int64  `tfsdk:"user_id"`
}

// customerItemModel is a customer as the data sources and the list resource
// show it.
type customerItemModel struct {
	ID        idValue     `tfsdk:"id"`
	ProjectID types.Int64 `tfsdk:"project_id"`
	customerValues
}

var customerItemBinding = bindModel[customerItemModel, client.Customer](customerAttrs)
