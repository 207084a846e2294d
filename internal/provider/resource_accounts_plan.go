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

// guardDestroy fails the plan of a destroy under deletion_protection (as it
// is in state), naming the accounts.
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

// checkUsernamesFree is the plan-time check of new keys whose username
// already exists on the server. Only this resource's own record of a
// create whose outcome was unknown (pending, see fleetPending) makes such
// an account this resource's: when it is newer than the record's mark and
// accepts the password passwords_wo gives it (client.SettleAccount), the
// apply takes it, with a warning. Any other is an error naming the
// usernames and how to import them: it may belong to someone else (another
// workspace, a copy of this one with the same passwords, a person in the
// web panel), and is never adopted. A few names are checked one by one;
// many, with one walk of the account list.
func (r *accountsResource) checkUsernamesFree(ctx context.Context, config tfsdk.Config, fresh []string, pending fleetPending, inState []string, diags *diag.Diagnostics) {
	if len(fresh) == 0 || r.client == nil {
		return
	}
	taken, err := r.takenUsernames(ctx, fresh)
	if err != nil {
		addAPIError(diags, "Unable to check that the new usernames are free", err, nil)
		return
	}
	var foreign []string
	var recorded []string
	for _, name := range taken {
		if _, ok := pending[name]; ok {
			recorded = append(recorded, name)
		} else {
			foreign = append(foreign, name)
		}
	}
	passwords, known, d := configPasswords(ctx, config)
	diags.Append(d...)
	if !known && len(recorded) > 0 {
		diags.AddWarning(fmt.Sprintf("Earlier creates of %s are settled by the apply", countAccounts(len(recorded))),
			fmt.Sprintf("An earlier apply of this resource could not confirm the creates of %s, and accounts now have those "+
				"usernames. The passwords are not known until apply: the apply takes each account if it is the one that "+
				"create made (newer than it, and accepting the password), and reports it otherwise.", namedEntries(recorded)))
		recorded = nil
	}
	slices.Sort(recorded)
	accs, settles, interrupted := client.Results(ctx, r.client, len(recorded), func(ctx context.Context, i int) (*client.Account, error) {
		pw, ok := passwords[recorded[i]]
		if !ok {
			return nil, errNoPassword
		}
		return r.client.SettleAccount(ctx, recorded[i], pw, pending[recorded[i]].Mark)
	})
	if interrupted != nil {
		addAPIError(diags, "Unable to check that the new usernames are free", interrupted, nil)
		return
	}
	var adopted []string
	for i, name := range recorded {
		var notOurs *client.NotOursError
		switch err := settles[i]; {
		case err == nil:
			adopted = append(adopted, fmt.Sprintf("%q (id %d)", name, accs[i].ID))
		case errors.Is(err, errNoPassword):
			// checkPasswords reports the missing password.
		case errors.As(err, &notOurs):
			foreign = append(foreign, name)
		case errors.Is(err, client.ErrNoMatch):
			// Gone since the check: the apply creates it.
		default:
			addAPIError(diags, fmt.Sprintf("Unable to settle the earlier create of %q", name), err, nil)
		}
	}
	if len(adopted) > 0 {
		diags.AddWarning(fmt.Sprintf("%s created by an earlier apply will be taken into state", countAccounts(len(adopted))),
			fmt.Sprintf("An earlier apply of this resource could not confirm the creates of these accounts, and recorded that "+
				"in its state. Each was made after that create and accepts the password in passwords_wo, so it is that "+
				"create's: %s. The apply takes them into state as they are, and sets what the configuration says; "+
				"nothing is created twice.", strings.Join(adopted, ", ")))
	}
	if len(foreign) > 0 {
		slices.Sort(foreign)
		entryErrors(diags, foreign, "Username already taken", func(name string) string {
			return fmt.Sprintf("An account named %q already exists on the server, and this resource's state holds no record of "+
				"having created it. %s", name, fleetTakenAdvice(foreign, inState))
		}, path.Root("accounts"), "Usernames already taken", "%d more new keys of accounts are usernames that accounts already have.")
	}
}

// fleetTakenAdvice is what to do about new keys whose usernames accounts
// that are not this resource's have: choose others, or, for accounts that
// are yours and that nothing else manages (an apply killed before it could
// record what it made), import them with the entries the resource holds.
func fleetTakenAdvice(taken, inState []string) string {
	all := append(slices.Clone(inState), taken...)
	slices.Sort(all)
	id := strings.Join(all, ",")
	if len(all) > maxNamedEntries {
		id = fmt.Sprintf("<the %d usernames, comma-separated>", len(all))
	}
	how := fmt.Sprintf("add an import block and apply:\n\n  import {\n    to = <this resource's address>\n    id = %q\n  }", id)
	if len(inState) > 0 {
		how = fmt.Sprintf("take the resource out of state and import it with the usernames it holds and these:\n\n"+
			"  terraform state rm <this resource's address>\n  terraform import <this resource's address> %s", id)
	}
	return "It may belong to someone else sharing the API account (another workspace, a copy of this one with the " +
		"same passwords, a person in the web panel), so it is never adopted, whatever password it accepts. Choose " +
		"another username, or remove the key from accounts. Only if these accounts are yours and nothing else " +
		"manages them (an apply was killed before it could record them), " + how + "\n\nThe next apply then creates " +
		"only the keys that are still missing.\n\n" + destroyAdvice
}

// ModifyPlan keeps what the API decided known across plans, plans the
// unknowns of new and replaced accounts, announces (or, under
// deletion_protection, refuses) replacements and deletions, and checks at
// plan time that each account to be created has a password, a username that
// no other resource of the configuration asks for, and a username that is
// free or that this resource's own record says an earlier apply made.
func (r *accountsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.run.touch()
	if req.Plan.Raw.IsNull() {
		r.planDestroy(ctx, req, resp)
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
	pending, d := r.pendingCreates(ctx, req.Private, planned)
	resp.Diagnostics.Append(d...)
	rotate := rotates(hasPrior, plan, prior)
	var needPassword, fresh, inState []string
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
		use := keyUse{who: fleetWho(name)}
		switch {
		case !had || o.placeholder():
			e.unknownComputed()
			needPassword = append(needPassword, name)
			k := usernameRef(name)
			if use.lineage = r.run.lineageOf(ctx, nil, &k); use.lineage.id == 0 {
				fresh = append(fresh, name)
			}
		case e.CustomerID.IsUnknown():
			e.unknownComputed() // replaced if the customer turns out to differ
			losses.maybe = append(losses.maybe, name)
			use.id = o.ID.ValueInt64()
		case !e.CustomerID.Equal(o.CustomerID):
			e.unknownComputed()
			needPassword = append(needPassword, name)
			losses.replaced = append(losses.replaced, name)
			use.id = o.ID.ValueInt64()
		default:
			e.keepComputed(o, rotate)
			if rotate {
				needPassword = append(needPassword, name)
			}
			use.id = o.ID.ValueInt64()
		}
		if use.id != 0 {
			inState = append(inState, name)
			r.run.hold(client.KindAccount, use.id, usernameRef(name))
			if o.CustomerID.ValueInt64() > 0 {
				// An entry never goes along with a move of its customer:
				// this resource applies after the customer is made again.
				if blocked, report := r.run.takeAlong(ctx, o.CustomerID.ValueInt64(), use.id, false,
					fmt.Sprintf("the entry %q of a vpnresellers_accounts, which is applied only after its customer is made again", name)); report {
					reportBlockedMove(&resp.Diagnostics, path.Root("accounts").AtMapKey(name).AtName("customer_id"), o.CustomerID.ValueInt64(), blocked)
				}
			}
		}
		r.run.checkUse(usernameRef(name), use, path.Root("accounts").AtMapKey(name), &resp.Diagnostics)
		planned[name] = e
		replanned = replanned || e != proposed
	}
	if replanned {
		// Otherwise the proposed plan stands as it is: encoding and setting
		// an equal map of thousands of entries is most of a no-change plan.
		plan.Accounts, diags = fleetMap(ctx, planned)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("accounts"), plan.Accounts)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	announceLosses(losses, protects(plan), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return // nothing more is asked of the API for a plan that cannot go ahead
	}
	if r.passwordsNeedNewerCLI(needPassword, &resp.Diagnostics) {
		return
	}
	// The records go on to the apply (a tainted resource's only way there).
	resp.Diagnostics.Append(pending.save(ctx, resp.Private)...)
	checkPasswords(ctx, req.Config, needPassword, planned, &resp.Diagnostics)
	r.checkUsernamesFree(ctx, req.Config, fresh, pending, inState, &resp.Diagnostics)
}

// planDestroy is the plan of a destroy of the resource: refused under
// deletion_protection (as it is in state), else every account is recorded
// as a delete of this run (see deleteRegistry).
func (r *accountsResource) planDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	guardDestroy(ctx, req.State, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || req.State.Raw.IsNull() {
		return
	}
	var prior accountsModel
	entries, ok := stateEntries(ctx, req.State, &prior, &resp.Diagnostics)
	if !ok {
		return
	}
	refs := make([]objRef, 0, len(entries))
	for _, e := range entries {
		if !e.placeholder() {
			refs = append(refs, objRef{client.KindAccount, e.ID.ValueInt64()})
		}
	}
	r.run.planDeletes(ctx, resp.Private, &resp.Diagnostics, refs...)
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
	entryErrors(diags, missing, "Missing password", func(name string) string {
		return fmt.Sprintf("Account %q is created (or its password set) by this plan, but passwords_wo has no password "+
			"for it. Add passwords_wo[%q].%s", name, name, hint)
	}, path.Root("passwords_wo"), "Missing passwords", "%d more accounts have no password in passwords_wo.")
}

// entryErrors reports an error on the entry of each of names, the first
// maxListedFailures of them, and for the rest one error on more: moreDetail
// says how many (a format of their number).
func entryErrors(diags *diag.Diagnostics, names []string, summary string, detail func(name string) string,
	more path.Path, moreSummary, moreDetail string) {
	for i, name := range names {
		if i == maxListedFailures {
			diags.AddAttributeError(more, moreSummary, fmt.Sprintf(moreDetail, len(names)-i))
			return
		}
		diags.AddAttributeError(path.Root("accounts").AtMapKey(name), summary, detail(name))
	}
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

// checkUsernameLimit is how many new usernames a plan checks one by one
// with check_username; above it, one walk of the account list is cheaper.
const checkUsernameLimit = 10

// unknownComputed plans every value the API decides as unknown: the entry
// is a new account.
func (e *fleetEntry) unknownComputed() {
	e.ID = types.Int64Unknown()
	e.Status, e.WgIP, e.WgPublicKey = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	e.Created, e.Updated = types.StringUnknown(), types.StringUnknown()
}

// keepComputed plans the values of an account that stays: what the API
// decided before, except the status when enabled changes and the update
// time when anything changes.
func (e *fleetEntry) keepComputed(prior fleetEntry, rotate bool) {
	e.ID, e.WgIP, e.WgPublicKey, e.Created = prior.ID, prior.WgIP, prior.WgPublicKey, prior.Created
	e.Status, e.Updated = prior.Status, prior.Updated
	if !e.Enabled.Equal(prior.Enabled) {
		e.Status = types.StringUnknown()
	}
	if rotate || e.changed(prior) {
		e.Updated = types.StringUnknown()
	}
}

// passwordsNeedNewerCLI fails the plan, naming the version it needs, when
// accounts need a password (created, replaced or rotated: need) and the
// CLI predates write-only arguments: the resource takes passwords only
// through passwords_wo, which such a CLI cannot send. Every other change
// (import, refresh, enable, disable, expire, delete) works with it.
func (r *accountsResource) passwordsNeedNewerCLI(need []string, diags *diag.Diagnostics) bool {
	if len(need) == 0 || !r.cli.below(writeOnlyVersion) {
		return false
	}
	diags.AddAttributeError(path.Root("accounts"), "Terraform 1.11 or later needed to create these accounts",
		fmt.Sprintf("This plan creates, replaces or sets the password of %s (%s), and vpnresellers_accounts takes "+
			"passwords only through the write-only passwords_wo, which Terraform 1.11 and later (OpenTofu 1.11 and "+
			"later) can send; this CLI is version %s. Upgrade it, or manage these accounts with vpnresellers_account "+
			"and its password argument. Accounts that already exist need no password: importing, refreshing, "+
			"enabling, disabling, expiring and deleting them works with this version.",
			countAccounts(len(need)), namedEntries(need), string(r.cli)))
	return true
}
