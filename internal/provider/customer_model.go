package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The customer's model: what the resource, the data sources and the list
// resource holding a customer copy from the API's customer object, and the
// one mapper that copies it.

// customerValues are a customer's values besides its id and project (whose
// types differ between the resource and the data sources).
type customerValues struct {
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	Email     types.String `tfsdk:"email"`
	UserID    types.Int64  `tfsdk:"user_id"`
}

// fill copies c's values.
func (v *customerValues) fill(c *client.Customer) {
	v.FirstName = types.StringValue(c.FirstName)
	v.LastName = types.StringValue(c.LastName)
	v.Email = types.StringValue(c.Email)
	v.UserID = types.Int64Value(c.UserID)
}

// customerItemModel is a customer as the data sources and the list resource
// show it.
type customerItemModel struct {
	ID        idValue     `tfsdk:"id"`
	ProjectID types.Int64 `tfsdk:"project_id"`
	customerValues
}

func newCustomerItem(c client.Customer) customerItemModel {
	m := customerItemModel{ID: idOf(c.ID), ProjectID: types.Int64Value(c.ProjectID)}
	m.fill(&c)
	return m
}

// customerItemAttributes is the schema of customerItemModel, every attribute
// computed.
func customerItemAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":         schema.Int64Attribute{Computed: true, CustomType: idType{}, MarkdownDescription: "Numeric identifier of the customer."},
		"first_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's first name."},
		"last_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's last name."},
		"email":      schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's email address (unique)."},
		"project_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "Identifier of the project the customer belongs to."},
		"user_id": schema.Int64Attribute{Computed: true,
			MarkdownDescription: "Identifier of the reseller (your own API user) that owns the customer."},
	}
}
