package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Import of vpnresellers_accounts: by usernames or ids, `customer:<id>` or
// `project:<id>`.

// ImportState takes a comma-separated list of usernames or ids,
// `customer:<id>` or `project:<id>`.
func (r *accountsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	key := strings.TrimSpace(req.ID)
	var (
		entries map[string]fleetEntry
		err     error
	)
	kind, rawID, scoped := strings.Cut(key, ":")
	switch {
	case key == "":
		resp.Diagnostics.AddError("Invalid import ID", "Give a comma-separated list of usernames or ids "+
			"(alice,bob,42), customer:<id> or project:<id>.")
		return
	case scoped && (kind == "customer" || kind == "project"):
		id, perr := strconv.ParseInt(strings.TrimSpace(rawID), 10, 64)
		if perr != nil || id <= 0 {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s: needs a numeric id, such as %s:12; got %q.", kind, kind, rawID))
			return
		}
		if kind == "customer" {
			entries, err = r.customerAccounts(ctx, []int64{id})
		} else {
			entries, err = r.projectAccounts(ctx, id)
		}
	default:
		entries, err = r.listedAccounts(ctx, key, &resp.Diagnostics)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to import accounts %q", key), err, nil)
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

// listedAccounts resolves a comma-separated list of usernames or ids with
// one walk of the account list, then finds each account's customer in the
// client's one owner walk (an account does not name its customer).
func (r *accountsResource) listedAccounts(ctx context.Context, list string, diags *diag.Diagnostics) (map[string]fleetEntry, error) {
	all, err := r.client.ListAllAccounts(ctx, "")
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*client.Account, len(all))
	byID := make(map[int64]*client.Account, len(all))
	for i := range all {
		byName[all[i].Username] = &all[i]
		byID[all[i].ID] = &all[i]
	}
	out := map[string]fleetEntry{}
	for _, key := range strings.Split(list, ",") {
		key = strings.TrimSpace(key)
		a := byName[key]
		if id, perr := strconv.ParseInt(key, 10, 64); perr == nil && byID[id] != nil {
			a = byID[id]
		}
		if a == nil {
			diags.AddError("Account not found", fmt.Sprintf("No account has the username or id %q.", key))
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
