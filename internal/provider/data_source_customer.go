package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var _ datasource.DataSourceWithConfigValidators = (*lookupDataSource[client.Customer, customerItemModel])(nil)

// newCustomerDataSource is vpnresellers_customer: one customer by id or by
// email.
func newCustomerDataSource() datasource.DataSource {
	return &lookupDataSource[client.Customer, customerItemModel]{lookupSpec: lookupSpec[client.Customer, customerItemModel]{
		kind: client.KindCustomer,
		key:  customerAttrs.Email.name,
		doc: "Looks up one existing customer by its `id` or its `email`, for example to attach new " +
			"accounts (`vpnresellers_account.customer_id`) to a customer that is managed elsewhere. An error is " +
			"reported when no customer matches.",
		keyDoc: "Email address of the customer to look up, compared without regard to case (emails are " +
			"unique); the attribute keeps the value as written. Exactly one of `id` and `email` must be set. The API cannot search by email, so the provider " +
			"reads the whole customer list.",
		attributes: customerItemBinding.dataAttributes,
		idOf:       func(o *client.Customer) int64 { return o.ID },
		get:        (*client.Client).GetCustomer,
		find:       (*client.Client).FindCustomerByEmail,
		query:      func(m *customerItemModel) (idValue, types.String) { return m.ID, m.Email },
		item: func(c *client.Customer, config *customerItemModel) customerItemModel {
			item := customerItemBinding.newModel(*c)
			if !config.Email.IsNull() {
				// Terraform requires a configured value to come back
				// unchanged, and the match ignores case.
				item.Email = config.Email
			}
			return item
		},
	}}
}
