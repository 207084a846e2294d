package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// What a plan of vpnresellers_accounts announces, refuses and adopts: the
// replacements and deletions of entries (a warning, or an error under
// deletion_protection), and the new keys whose username is already taken.

// maxNamedEntries caps the usernames a plan's warning or error names.
const maxNamedEntries = 20

// namedEntries lists usernames for a message: the first 20, sorted, and how
// many more there are.
func namedEntries(names []string) string {
	names = slices.Sorted(slices.Values(names))
	quoted := make([]string, 0, min(len(names), maxNamedEntries))
	for _, n := range names[:min(len(names), maxNamedEntries)] {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	out := strings.Join(quoted, ", ")
	if len(names) > maxNamedEntries {
		out += fmt.Sprintf(" and %d more", len(names)-maxNamedEntries)
	}
	return out
}

// countAccounts says "1 account" or "n accounts".
func countAccounts(n int) string {
	if n == 1 {
		return "1 account"
	}
	return fmt.Sprintf("%d accounts", n)
}

// fleetLosses is what a plan takes away: entries replaced (their customer
// changes) and entries deleted (their key is gone, or the whole resource
// is destroyed).
type fleetLosses struct {
	replaced, deleted []string
	destroy           bool
	// maybe are entries whose customer_id is not known until apply: they
	// are replaced if it turns out to differ.
	maybe []string
}

func (l fleetLosses) none() bool { return len(l.replaced) == 0 && len(l.deleted) == 0 }

// describe is the part of the message that names the entries and what is
// lost.
func (l fleetLosses) describe() string {
	var parts []string
	if len(l.replaced) > 0 {
		parts = append(parts, fmt.Sprintf("This plan replaces %s, because customer_id changes (the API cannot move an "+
			"account between customers): %s. %s", countAccounts(len(l.replaced)), namedEntries(l.replaced), accountLoss(true)))
	}
	if len(l.deleted) > 0 {
		why := "because their keys are no longer in accounts"
		if l.destroy {
			why = "because the resource is destroyed"
		}
		parts = append(parts, fmt.Sprintf("This plan deletes %s, %s: %s. %s", countAccounts(len(l.deleted)), why,
			namedEntries(l.deleted), accountLoss(false)))
	}
	return strings.Join(parts, "\n\n")
}

// announceLosses warns of the entries a plan replaces or deletes, or, while
// deletion_protection is on, fails the plan naming them and saying how to
// proceed.
func announceLosses(l fleetLosses, protected bool, diags *diag.Diagnostics) {
	if len(l.maybe) > 0 {
		then := "If it differs from the customer the account has, the apply replaces the account. " + accountLoss(true)
		if protected {
			then = "If it differs from the customer the account has, the apply refuses to replace the account, " +
				"because deletion_protection is true."
		}
		diags.AddWarning(fmt.Sprintf("customer_id of %s is known only at apply", countAccounts(len(l.maybe))),
			fmt.Sprintf("The customer_id of %s is not known until apply. %s", namedEntries(l.maybe), then))
	}
	if l.none() {
		return
	}
	n := len(l.replaced) + len(l.deleted)
	if !protected {
		diags.AddWarning(fmt.Sprintf("%s of vpnresellers_accounts will be replaced or deleted", countAccounts(n)),
			l.describe()+"\n\nIf that is not intended, undo the change. deletion_protection = true makes such a "+
				"plan fail instead.")
		return
	}
	how := "To go ahead, set deletion_protection = false in the same change, apply, and set it back to true " +
		"afterwards; or undo the change."
	if l.destroy {
		how = "To destroy them, first apply deletion_protection = false, then destroy. To stop managing the accounts " +
			"without deleting them, take the resource out of state instead: a removed block " +
			"(`removed { from = <address>` with `lifecycle { destroy = false } }`) or `terraform state rm <address>`."
	} else if len(l.deleted) > 0 {
		how += " To stop managing some accounts without deleting them, take the resource out of state " +
			"(`terraform state rm <address>`) and import it again with only the accounts that stay: " +
			"`terraform import <address> <username>,<username>,...`, or an import block with " +
			"`id = join(\",\", keys(<the accounts map>))`."
	}
	diags.AddAttributeError(path.Root("deletion_protection"), "Deletion protection is on",
		fmt.Sprintf("deletion_protection is true, and this plan would delete %s.\n\n%s\n\n%s", countAccounts(n), l.describe(), how))
}

// guardDestroy is the plan of a destroy: under deletion_protection (as it
// is in state), it fails naming the accounts.
func guardDestroy(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) {
	if state.Raw.IsNull() {
		return
	}
	var prior accountsModel
	diags.Append(state.Get(ctx, &prior)...)
	entries, _, d := fleetEntries(ctx, prior.Accounts)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	l := fleetLosses{destroy: true}
	for name, e := range entries {
		if !e.placeholder() {
			l.deleted = append(l.deleted, name)
		}
	}
	announceLosses(l, protects(prior), diags)
}

// protects reports whether deletion protection is on: true unless it is
// known to be false.
func protects(m accountsModel) bool {
	return m.DeletionProtection.IsNull() || m.DeletionProtection.IsUnknown() || m.DeletionProtection.ValueBool()
}

// checkUsernamesFree is the plan-time check of new keys whose username
// already exists on the server. The account is ours when it accepts the
// password passwords_wo gives it (client.ProveAccount): an earlier apply
// made it and lost the answer, or was interrupted. Such accounts are
// adopted by the apply, with a warning. Any other is an error: it may
// belong to someone else, and is never adopted. A few names are checked
// one by one; many, with one walk of the account list.
func (r *accountsResource) checkUsernamesFree(ctx context.Context, config tfsdk.Config, fresh []string, diags *diag.Diagnostics) {
	if len(fresh) == 0 || r.client == nil {
		return
	}
	taken, err := r.takenUsernames(ctx, fresh)
	if err != nil {
		addAPIError(diags, "Unable to check that the new usernames are free", err, nil)
		return
	}
	if len(taken) == 0 {
		return
	}
	passwords, known, d := configPasswords(ctx, config)
	diags.Append(d...)
	if !known || d.HasError() {
		return // the apply proves ownership, or fails on the taken username
	}
	slices.Sort(taken)
	accs, proofs, interrupted := client.Results(ctx, r.client, len(taken), func(ctx context.Context, i int) (*client.Account, error) {
		pw, ok := passwords[taken[i]]
		if !ok {
			return nil, errNoPassword
		}
		return r.client.ProveAccount(ctx, taken[i], pw)
	})
	if interrupted != nil {
		addAPIError(diags, "Unable to check that the new usernames are free", interrupted, nil)
		return
	}
	var adopted []string
	for i, name := range taken {
		var notOurs *client.NotOursError
		switch err := proofs[i]; {
		case err == nil:
			adopted = append(adopted, fmt.Sprintf("%q (id %d)", name, accs[i].ID))
		case errors.Is(err, errNoPassword):
			// checkPasswords reports the missing password.
		case errors.As(err, &notOurs):
			id := ""
			if notOurs.ID != 0 {
				id = fmt.Sprintf(" (id %d)", notOurs.ID)
			}
			diags.AddAttributeError(path.Root("accounts").AtMapKey(name), "Username already taken",
				fmt.Sprintf("An account named %q already exists on the server%s. %s", name, id, notOursAdvice(name)))
		case errors.Is(err, client.ErrNoMatch):
			// Gone since the check: the apply creates it.
		default:
			addAPIError(diags, fmt.Sprintf("Unable to check who owns the existing account %q", name), err, nil)
		}
	}
	if len(adopted) > 0 {
		diags.AddWarning(fmt.Sprintf("%s already exist and will be adopted", countAccounts(len(adopted))),
			fmt.Sprintf("These usernames already exist on the server and accept the passwords in passwords_wo, so an "+
				"earlier apply of this configuration made them (it was interrupted, or lost the API's answer): %s. "+
				"The apply takes them into state as they are, and sets what the configuration says; nothing is "+
				"created twice.", strings.Join(adopted, ", ")))
	}
}

// notOursAdvice is what to do about a new key whose username belongs to an
// account that refuses the configured password.
func notOursAdvice(name string) string {
	return fmt.Sprintf("It does not accept the password passwords_wo gives it, so it may belong to someone else "+
		"sharing the API account, and it is never adopted. Choose another username, or remove %q from accounts. "+
		"If the account is yours, set passwords_wo[%q] to its current password: the next plan recognises it, and "+
		"the apply adopts it.", name, name)
}

// upgradeAddingProtection upgrades a state of schema version 0, written
// before deletion_protection existed, to deletion_protection = true (the
// default), so that upgrading the provider plans no change.
func upgradeAddingProtection(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if upgradeDroppingAttributes(ctx, req, resp); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), true)...)
}

// ModifyPlan keeps what the API decided known across plans, plans the
// unknowns of new and replaced accounts, announces (or, under
// deletion_protection, refuses) replacements and deletions, and checks at
// plan time that each account to be created has a password and a username
// that is free or already ours.
func (r *accountsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		guardDestroy(ctx, req.State, &resp.Diagnostics)
		return
	}
	var plan, prior accountsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	hasPrior := !req.State.Raw.IsNull()
	if hasPrior {
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planned, known, diags := fleetEntries(ctx, plan.Accounts)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	old := map[string]fleetEntry{}
	if hasPrior {
		old, _, diags = fleetEntries(ctx, prior.Accounts)
		resp.Diagnostics.Append(diags...)
	}
	rotate := rotates(hasPrior, plan, prior)
	var needPassword, fresh []string
	var losses fleetLosses
	for name, o := range old {
		if _, stays := planned[name]; !stays && !o.placeholder() {
			losses.deleted = append(losses.deleted, name)
		}
	}
	replanned := false // whether any entry differs from Terraform's proposed plan
	for name, e := range planned {
		proposed := e
		o, had := old[name]
		switch {
		case !had || o.placeholder():
			e.unknownComputed()
			needPassword, fresh = append(needPassword, name), append(fresh, name)
		case e.CustomerID.IsUnknown():
			e.unknownComputed() // replaced if the customer turns out to differ
			losses.maybe = append(losses.maybe, name)
		case !e.CustomerID.Equal(o.CustomerID):
			e.unknownComputed()
			needPassword = append(needPassword, name)
			losses.replaced = append(losses.replaced, name)
		default:
			e.keepComputed(o, rotate)
			if rotate {
				needPassword = append(needPassword, name)
			}
		}
		planned[name] = e
		replanned = replanned || e != proposed
	}
	if replanned {
		// Otherwise the proposed plan stands as it is: encoding and setting
		// an equal map of thousands of entries is most of a no-change plan.
		plan.Accounts, diags = fleetMap(ctx, planned)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("accounts"), plan.Accounts)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	announceLosses(losses, protects(plan), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return // nothing more is asked of the API for a plan that cannot go ahead
	}
	if r.passwordsNeedNewerCLI(needPassword, &resp.Diagnostics) {
		return
	}
	checkPasswords(ctx, req.Config, needPassword, planned, &resp.Diagnostics)
	r.checkUsernamesFree(ctx, req.Config, fresh, &resp.Diagnostics)
}

// rotates reports whether passwords_wo_version changes, so that every
// account gets its password set again.
func rotates(hasPrior bool, plan, prior accountsModel) bool {
	return hasPrior && !plan.PasswordsWOVersion.IsNull() && !plan.PasswordsWOVersion.Equal(prior.PasswordsWOVersion)
}

// checkPasswords is the plan-time error for accounts that need a password
// (created, replaced or rotated) and have none in passwords_wo. It checks
// nothing while passwords_wo is not known yet; the apply checks again.
// Passwords for usernames not in accounts are ignored (an entry is removed
// in one edit), except that the error names them: one may be a misspelt key.
func checkPasswords(ctx context.Context, config tfsdk.Config, need []string, planned map[string]fleetEntry, diags *diag.Diagnostics) {
	if len(need) == 0 {
		return
	}
	passwords, known, d := configPasswords(ctx, config)
	diags.Append(d...)
	if !known {
		return
	}
	var missing []string
	for _, name := range need {
		if _, ok := passwords[name]; !ok {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	var unused []string
	for name := range passwords {
		if _, ok := planned[name]; !ok {
			unused = append(unused, name)
		}
	}
	hint := ""
	if len(missing) > 0 && len(unused) > 0 {
		hint = fmt.Sprintf(" passwords_wo also has passwords for usernames that are not in accounts (%s): check the "+
			"spelling.", namedEntries(unused))
	}
	for i, name := range missing {
		if i == maxListedFailures {
			diags.AddAttributeError(path.Root("passwords_wo"), "Missing passwords",
				fmt.Sprintf("%d more accounts have no password in passwords_wo.", len(missing)-i))
			break
		}
		diags.AddAttributeError(path.Root("accounts").AtMapKey(name), "Missing password",
			fmt.Sprintf("Account %q is created (or its password set) by this plan, but passwords_wo has no password "+
				"for it. Add passwords_wo[%q].%s", name, name, hint))
	}
}

// configPasswords reads passwords_wo from the configuration. Null entries
// are left out; known is false while a value is not known yet.
func configPasswords(ctx context.Context, config tfsdk.Config) (map[string]string, bool, diag.Diagnostics) {
	var m types.Map
	diags := config.GetAttribute(ctx, path.Root("passwords_wo"), &m)
	if m.IsUnknown() || diags.HasError() {
		return nil, false, diags
	}
	out := make(map[string]string, len(m.Elements()))
	for name, v := range m.Elements() {
		s, ok := v.(types.String)
		switch {
		case !ok || s.IsUnknown():
			return nil, false, diags
		case !s.IsNull():
			out[name] = s.ValueString()
		}
	}
	return out, true, diags
}

func (r *accountsResource) takenUsernames(ctx context.Context, names []string) ([]string, error) {
	var taken []string
	if len(names) > checkUsernameLimit {
		all, err := r.client.ListAllAccounts(ctx, "")
		if err != nil {
			return nil, err
		}
		want := make(map[string]bool, len(names))
		for _, n := range names {
			want[n] = true
		}
		for _, a := range all {
			if want[a.Username] {
				taken = append(taken, a.Username)
			}
		}
		return taken, nil
	}
	free, errs, err := client.Results(ctx, r.client, len(names), func(ctx context.Context, i int) (bool, error) {
		return r.client.CheckUsername(ctx, names[i])
	})
	if err := errors.Join(err, client.FirstError(errs)); err != nil {
		return nil, err
	}
	for i, name := range names {
		if !free[i] {
			taken = append(taken, name)
		}
	}
	return taken, nil
}
