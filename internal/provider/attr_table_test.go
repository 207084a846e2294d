package provider

import (
	"slices"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// boundNames are the rows a binding holds, in table order.
func boundNames[M, O any](b modelBinding[M, O]) []string {
	var out []string
	for _, f := range b.fields {
		out = append(out, f.name)
	}
	slices.Sort(out)
	return out
}

// tableNames are a table's row names, but those left out.
func tableNames[O any](table any, without ...string) []string {
	var out []string
	for _, r := range rows[O](table) {
		if !slices.Contains(without, r.name) {
			out = append(out, r.name)
		}
	}
	slices.Sort(out)
	return out
}

// Every model that holds an object holds each of its table's rows through
// a tag of the row's name (a tag misspelt would leave a row unbound), and
// only the rows it should not hold are missing.
func TestModels_bindTheirTables(t *testing.T) {
	for _, tc := range []struct {
		model     string
		got, want []string
	}{
		{"accountModel", boundNames(accountBinding), tableNames[client.Account](accountAttrs)},
		{"accountItemModel", boundNames(accountItemBinding), tableNames[client.Account](accountAttrs, accountAttrs.CustomerID.name)},
		{"fleetEntry", boundNames(fleetEntryBinding), tableNames[client.Account](accountAttrs, accountAttrs.Username.name)},
		{"accountFromAPI", boundNames(accountFromAPIBinding),
			tableNames[client.Account](accountAttrs, accountAttrs.Username.name, accountAttrs.CustomerID.name)},
		{"customerModel", boundNames(customerBinding), tableNames[client.Customer](customerAttrs)},
		{"customerItemModel", boundNames(customerItemBinding), tableNames[client.Customer](customerAttrs)},
		{"projectModel", boundNames(projectBinding), tableNames[client.Project](projectAttrs)},
		{"projectItemModel", boundNames(projectItemBinding), tableNames[client.Project](projectAttrs)},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s binds %v, want %v", tc.model, tc.got, tc.want)
		}
	}
}

// Every row but an account's customer_id says where the API has its value,
// and every row has a description.
func TestModels_tablesAreComplete(t *testing.T) {
	check := func(name, desc string, hasFrom bool) {
		if desc == "" {
			t.Errorf("%s has no description", name)
		}
		if !hasFrom && name != accountAttrs.CustomerID.name {
			t.Errorf("%s does not say where the API has it", name)
		}
	}
	for _, r := range rows[client.Account](accountAttrs) {
		check(r.name, r.desc, r.from != nil)
	}
	for _, r := range rows[client.Customer](customerAttrs) {
		check(r.name, r.desc, r.from != nil)
	}
	for _, r := range rows[client.Project](projectAttrs) {
		check(r.name, r.desc, r.from != nil)
	}
}
