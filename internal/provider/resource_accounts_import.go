package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Import of vpnresellers_accounts: by a list of account references (usernames
// or ids, prefixed or not: the grammar of object_ref.go), `customer:<id>` or
// `project:<id>`.

// ImportState takes a comma-separated list of account references,
// `customer:<id>` or `project:<id>` (parseFleetImportID).
func (r *accountsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	what, err := parseFleetImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", capitalize(err.Error())+".")
		return
	}
	var entries map[string]fleetEntry
	switch what.scope {
	case "customer":
		entries, err = r.customerAccounts(ctx, []int64{what.scopeID})
	case "project":
		entries, err = r.projectAccounts(ctx, what.scopeID)
	default:
		entries, err = r.listedAccounts(ctx, what.refs, &resp.Diagnostics)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to import accounts %q", strings.TrimSpace(req.ID)), err, nil)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	accounts, diags := fleetMap(ctx, entries)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &accountsModel{
		Accounts:           accounts,
		PasswordsWO:        types.MapNull(types.StringType),
		PasswordsWOVersion: types.Int64Null(),
		DeletionProtection: types.BoolValue(true),
	})...)
}

// customerAccounts reads the accounts of the given customers from the
// client's one owner walk (client.AccountOwners), shared by every import
// of the run. A customer the walk did not see (made since) is read on its
// own, which also gives the API's answer for one that does not exist.
func (r *accountsResource) customerAccounts(ctx context.Context, customers []int64) (map[string]fleetEntry, error) {
	owners, err := r.client.AccountOwners(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]fleetEntry{}
	for _, id := range customers {
		accs, ok := owners.Accounts(id)
		if !ok {
			if accs, err = r.client.ListAllCustomerAccounts(ctx, id); err != nil {
				return nil, err
			}
		}
		for j := range accs {
			e := fleetEntry{CustomerID: types.Int64Value(id)}
			e.fill(&accs[j])
			out[accs[j].Username] = e
		}
	}
	return out, nil
}

// projectAccounts reads the accounts of every customer of a project.
func (r *accountsResource) projectAccounts(ctx context.Context, project int64) (map[string]fleetEntry, error) {
	customers, err := r.client.ListAllProjectCustomers(ctx, project)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(customers))
	for i, c := range customers {
		ids[i] = c.ID
	}
	return r.customerAccounts(ctx, ids)
}

// listedAccounts resolves a list of account references with one walk of
// the account list, by the one rule of resolveRef, then finds each
// account's customer in the client's one owner walk (an account does not
// name its customer). A reference that names no account, or two, is an
// error, and the others are still checked.
func (r *accountsResource) listedAccounts(ctx context.Context, refs []objectRef, diags *diag.Diagnostics) (map[string]fleetEntry, error) {
	all, err := r.client.ListAllAccounts(ctx, "")
	if err != nil {
		return nil, err
	}
	src := listedAccountRefs(all)
	out := map[string]fleetEntry{}
	for _, ref := range refs {
		a, _, err := resolveRef(ctx, src, ref)
		if err != nil {
			addRefError(diags, "", "Unable to import the account", client.KindAccount, usernameKey, ref, true, err)
			continue
		}
		e := fleetEntry{CustomerID: types.Int64Null()}
		e.fill(a)
		out[a.Username] = e
	}
	if diags.HasError() || len(out) == 0 {
		return out, nil
	}
	owners, err := r.client.AccountOwners(ctx)
	if err != nil {
		return nil, err
	}
	for name, e := range out {
		if c := owners.CustomerOf(e.ID.ValueInt64()); c != nil {
			e.CustomerID = types.Int64Value(c.ID)
			out[name] = e
		}
	}
	return out, nil
}
