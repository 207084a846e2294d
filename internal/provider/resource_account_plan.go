package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The plan of vpnresellers_account: what a new account needs (a password, a
// username that is free or proven this configuration's), warnings on
// replacements, and the status that follows enabled.

// statusFollowsEnabled plans `status` from `enabled`: unchanged when enabled
// is unchanged, unknown (decided by the API) when it changes.
type statusFollowsEnabled struct{}

func (statusFollowsEnabled) Description(context.Context) string {
	return "keeps the prior status unless enabled changes"
}
func (m statusFollowsEnabled) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (statusFollowsEnabled) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() || req.Plan.Raw.IsNull() {
		return
	}
	var planned, prior types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, accountAttrs.Enabled.path(), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, accountAttrs.Enabled.path(), &prior)...)
	if !planned.IsUnknown() && planned.Equal(prior) {
		resp.PlanValue = req.StateValue
	}
}

// ModifyPlan checks at plan time what would otherwise fail, or do harm,
// halfway through an apply: a new account without a password or with a
// username that is taken or that another resource of the configuration asks
// for, an expiry date in the past, a replacement nobody asked for, and a
// move of its customer that could not finish.
//
// Terraform plans a replacement in two passes: first against the prior
// state (where the attributes that force it are seen), then once more as a
// create, with no prior state but with the first pass's private state. The
// warning comes from the first pass, the checks of a new account from the
// second. A tainted account is planned with the second pass only.
func (r *accountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.run.touch()
	var state accountModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if req.Plan.Raw.IsNull() {
		if !state.ID.IsNull() && state.ID.ValueInt64() > 0 {
			r.run.planDeletes(ctx, resp.Private, &resp.Diagnostics, objRef{client.KindAccount, state.ID.ValueInt64()})
		}
		return // destroy
	}
	var plan accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.checkNewAccount(ctx, req, plan, resp)
		warnPastDate(&resp.Diagnostics, accountAttrs.ExpireAt.path(), plan.ExpireAt)
		return
	}
	if state.ID.IsNull() {
		// A placeholder (an unfinished create, untainted by hand): it is
		// created, or settled, by a replacement.
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, accountAttrs.ID.path(), types.Int64Unknown())...)
		resp.RequiresReplace = append(resp.RequiresReplace, accountAttrs.ID.path())
		return
	}
	id := state.ID.ValueInt64()
	r.run.hold(client.KindAccount, id, usernameRef(state.Username.ValueString()))
	keepLineage(ctx, resp.Private, id, &resp.Diagnostics)
	warnMovedPassword(ctx, req.Private, plan, state, &resp.Diagnostics)
	if checkMovedOwner(ctx, req.Private, plan, state, &resp.Diagnostics) {
		return
	}
	if plan.Username.Equal(state.Username) &&
		!r.run.checkUse(usernameRef(plan.Username.ValueString()), keyUse{who: accountWho(plan.Username.ValueString()), id: id}, accountAttrs.Username.path(), &resp.Diagnostics) {
		return
	}
	r.checkCustomerMove(ctx, plan, state, &resp.Diagnostics)
	var forcing path.Paths
	if !plan.Username.Equal(state.Username) {
		forcing = append(forcing, accountAttrs.Username.path())
	}
	if !plan.CustomerID.Equal(state.CustomerID) {
		forcing = append(forcing, accountAttrs.CustomerID.path())
	}
	if len(forcing) > 0 || !plan.ExpireAt.Equal(state.ExpireAt) {
		// Terraform shows no warnings of a replacement's create pass.
		warnPastDate(&resp.Diagnostics, accountAttrs.ExpireAt.path(), plan.ExpireAt)
	}
	if len(forcing) == 0 {
		return
	}
	resp.Diagnostics.AddWarning(
		fmt.Sprintf("Account %q (id %d) will be replaced", state.Username.ValueString(), id),
		fmt.Sprintf("This plan deletes account %q (id %d) and creates a new one, because %s changes. %s "+
			"If that is not intended, undo the change; "+
			"lifecycle { prevent_destroy = true } on production accounts makes such a plan fail instead.",
			state.Username.ValueString(), id, joinPaths(forcing), accountLoss(true)))
}

// checkCustomerMove is the plan of an account whose customer the plan moves
// to another project (see runMemory.takeAlong): the account goes along
// when its customer_id follows the customer (it is replaced with it), and
// keeps the customer where it is when it refers to it by a literal id.
func (r *accountResource) checkCustomerMove(ctx context.Context, plan, state accountModel, diags *diag.Diagnostics) {
	if state.CustomerID.IsNull() || state.CustomerID.IsUnknown() {
		return
	}
	customer := state.CustomerID.ValueInt64()
	along := !plan.CustomerID.Equal(state.CustomerID)
	why := ""
	if !along {
		why = fmt.Sprintf("a vpnresellers_account whose customer_id is the literal id %d, which does not follow the customer", customer)
	}
	if blocked, report := r.run.takeAlong(ctx, customer, state.ID.ValueInt64(), along, why); report {
		reportBlockedMove(diags, accountAttrs.CustomerID.path(), customer, blocked)
	}
}

// checkNewAccount checks an account about to be created: it needs a
// password, a username that no other resource of the configuration asks
// for, and a username that nobody has (asked of the API when the username
// is known), unless the account that has it is this state's: the one it
// replaces, or the one an unfinished create of this state made (its note,
// see settlePendingCreate), which the apply takes instead of creating
// another.
func (r *accountResource) checkNewAccount(ctx context.Context, req resource.ModifyPlanRequest, plan accountModel, resp *resource.ModifyPlanResponse) {
	diags := &resp.Diagnostics
	var wo types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &wo)...)
	if plan.Password.IsNull() && wo.IsNull() {
		diags.AddAttributeError(path.Root("password"), "Missing password",
			"A new account needs a password: set password_wo (with password_wo_version, Terraform 1.11 and later) "+
				"or password. Only an account that already exists (imported, or created earlier) may leave both "+
				"out; it then keeps the password it has.")
	}
	username := plan.Username
	if r.client == nil || username.IsUnknown() || username.IsNull() {
		return
	}
	u := username.ValueString()
	k := usernameRef(u)
	if own, free := r.run.newKey(ctx, req.Private, k, accountWho(u), accountAttrs.Username.path(), client.KindAccount,
		fmt.Sprintf("%q", u), accountLoss(true), diags); !free || own != 0 {
		return
	}
	record, recorded := r.run.recorded(k)
	if recorded {
		// Hand the note on to the apply (see settlePendingCreate).
		keepNote(ctx, resp.Private, record, diags)
	}
	free, err := r.client.CheckUsername(ctx, u)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to check whether username %q is free", u), err, nil)
		return
	}
	if free {
		return
	}
	if !recorded {
		diags.AddAttributeError(accountAttrs.Username.path(), "Username already taken",
			fmt.Sprintf("The API does not accept username %q for a new account: an account has it (or it is not a valid "+
				"username), and this workspace's state holds no record of having created it. %s", u, takenAdvice(objectRef{key: u}.format(usernameKey))))
		return
	}
	password := plan.Password
	if password.IsNull() {
		password = wo
	}
	if password.IsUnknown() && req.ClientCapabilities.DeferralAllowed {
		// Settled in a round in which the password is known.
		resp.Deferred = &resource.Deferred{Reason: resource.DeferredReasonResourceConfigUnknown}
		return
	}
	if password.IsNull() || password.IsUnknown() {
		diags.AddAttributeWarning(accountAttrs.Username.path(), fmt.Sprintf("An earlier create of account %q is settled by the apply", u),
			fmt.Sprintf("An earlier apply of this workspace could not confirm the create of account %q, and an account now "+
				"has the username. The password is not known until apply: the apply takes that account if it is the one "+
				"that create made (newer than it, and accepting the password), and fails otherwise.", u))
		return
	}
	own, err := r.client.SettleAccount(ctx, u, password.ValueString(), record.Mark)
	var notOurs *client.NotOursError
	switch {
	case err == nil:
		diags.AddAttributeWarning(accountAttrs.Username.path(), fmt.Sprintf("Account %q (id %d) is the one an earlier apply of this workspace created", own.Username, own.ID),
			fmt.Sprintf("An earlier apply of this workspace could not confirm the create of account %q, and recorded that in "+
				"its state. Account %d is that create's: it was made after it and accepts the password this configuration "+
				"sets. The apply takes it into state instead of creating another, and then sets what the configuration says.",
				own.Username, own.ID))
	case errors.Is(err, client.ErrNoMatch):
		// Gone since the check: the apply creates it.
	case errors.As(err, &notOurs):
		diags.AddAttributeError(accountAttrs.Username.path(), "Username already taken",
			fmt.Sprintf("An earlier apply of this workspace could not confirm the create of account %q, but the account that "+
				"has the username now is not the one it made: %v. %s", u, notOurs, takenAdvice(objectRef{key: u}.format(usernameKey))))
	default:
		addAPIError(diags, fmt.Sprintf("Unable to settle the earlier create of account %q", u), err, nil)
	}
}
