package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The refresh of vpnresellers_accounts: Read, and the walk it refreshes the
// entries by.

// refreshEntries brings the entries of vpnresellers_accounts up to date
// from one walk of the account list (the client's walk, which reads the
// list again, or fails, when its pages contradict each other). An entry
// the walk does not show is never dropped on that alone: it is asked for
// with GET /accounts/{id}, side by side through the client's workers, and
// only the API's own "Account not found." removes it. Any other answer
// fails the refresh and leaves the state as it was. It returns the
// entries that stay.
func (r *accountsResource) refreshEntries(ctx context.Context, entries map[string]fleetEntry) (map[string]fleetEntry, diag.Diagnostics) {
	var diags diag.Diagnostics
	all, err := r.client.ListAllAccounts(ctx, "")
	if err != nil {
		addAPIError(&diags, "Unable to read the accounts", err, nil)
		return nil, diags
	}
	byID := make(map[int64]*client.Account, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	var missing []string
	for name, e := range entries {
		if e.ID.IsNull() || e.ID.IsUnknown() {
			continue // not made yet: nothing to read
		}
		a := byID[e.ID.ValueInt64()]
		if a == nil || a.Username != name {
			missing = append(missing, name)
			continue
		}
		e.fill(a)
		entries[name] = e
	}
	if len(missing) == 0 {
		return entries, diags
	}
	slices.Sort(missing)
	accs, errs, err := client.Results(ctx, r.client, len(missing), func(ctx context.Context, i int) (*client.Account, error) {
		return r.client.GetAccount(ctx, entries[missing[i]].ID.ValueInt64())
	})
	if err != nil {
		addAPIError(&diags, "Unable to read the accounts", err, nil)
		return nil, diags
	}
	for i, name := range missing {
		e, ans := entries[name], struct {
			acc *client.Account
			err error
		}{accs[i], errs[i]}
		switch {
		case client.IsGone(ans.err, client.KindAccount):
			// Deleted outside Terraform: the plan creates it again.
			delete(entries, name)
		case ans.err != nil:
			addAPIError(&diags, fmt.Sprintf("Unable to confirm whether the account %q still exists", name), ans.err, nil)
		case ans.acc.Username != name:
			diags.AddError(fmt.Sprintf("Account %q has another username on the API", name),
				fmt.Sprintf("The account with id %d, which this resource created as %q, is named %q on the API. The entry "+
					"was kept as it was. Check the account on the API; to stop managing it, remove %q from the state "+
					"(`terraform state rm` of the resource, then an import of the usernames it should keep).",
					e.ID.ValueInt64(), name, ans.acc.Username, name))
		default:
			// The list walk missed it: it stays.
			e.fill(ans.acc)
			entries[name] = e
		}
	}
	if diags.HasError() {
		return nil, diags
	}
	return entries, diags
}

func (r *accountsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.run.touch()
	var state accountsModel
	entries, ok := stateEntries(ctx, req.State, &state, &resp.Diagnostics)
	if !ok || len(entries) == 0 {
		return
	}
	// What the plan of a tainted resource (planned with no private state)
	// needs of this one's: its records of unfinished creates.
	pending, diags := r.pendingCreates(ctx, req.Private, entries)
	resp.Diagnostics.Append(diags...)
	for name, p := range pending {
		r.run.record(usernameRef(name), p)
	}
	before := maps.Clone(entries)
	entries, diags = r.refreshEntries(ctx, entries)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	for name, e := range entries {
		if !e.placeholder() {
			r.run.hold(client.KindAccount, e.ID.ValueInt64(), usernameRef(name))
		}
	}
	if maps.Equal(entries, before) {
		return // the response holds the state as it was
	}
	state.Accounts, diags = fleetMap(ctx, entries)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accounts"), state.Accounts)...)
}
