package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("enabled"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("enabled"), &prior)...)
	if !planned.IsUnknown() && planned.Equal(prior) {
		resp.PlanValue = req.StateValue
	}
}

// ModifyPlan checks at plan time what would otherwise fail, or do harm,
// halfway through an apply: a new account without a password or with a
// taken username, an expiry date in the past, and a replacement nobody
// asked for.
//
// Terraform plans a replacement in two passes: first against the prior
// state (where the attributes that force it are seen), then once more as a
// create, with no prior state. The warning comes from the first pass, the
// checks of a new account from the second.
func (r *accountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if req.State.Raw.IsNull() {
		if !resp.Diagnostics.HasError() {
			if r.checkNewAccount(ctx, req.Config, plan, req.ClientCapabilities.DeferralAllowed, &resp.Diagnostics) {
				resp.Deferred = &resource.Deferred{Reason: resource.DeferredReasonResourceConfigUnknown}
			}
			warnPastDate(&resp.Diagnostics, path.Root("expire_at"), plan.ExpireAt)
		}
		return
	}
	var state accountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	warnMovedPassword(ctx, req.Private, plan, state, &resp.Diagnostics)
	if checkMovedOwner(ctx, req.Private, plan, state, &resp.Diagnostics) {
		return
	}
	var forcing path.Paths
	if !plan.Username.Equal(state.Username) {
		forcing = append(forcing, path.Root("username"))
	}
	if !plan.CustomerID.Equal(state.CustomerID) {
		forcing = append(forcing, path.Root("customer_id"))
	}
	if len(forcing) > 0 || !plan.ExpireAt.Equal(state.ExpireAt) {
		// Terraform shows no warnings of a replacement's create pass.
		warnPastDate(&resp.Diagnostics, path.Root("expire_at"), plan.ExpireAt)
	}
	if len(forcing) == 0 {
		return
	}
	if plan.Username.Equal(state.Username) {
		// The create pass will find the username taken, by this very
		// account, which is deleted first.
		r.plan.replacing("username", state.Username.ValueString())
	}
	resp.Diagnostics.AddWarning(
		fmt.Sprintf("Account %q (id %d) will be replaced", state.Username.ValueString(), state.ID.ValueInt64()),
		fmt.Sprintf("This plan deletes account %q (id %d) and creates a new one, because %s changes. %s "+
			"If that is not intended, undo the change; "+
			"lifecycle { prevent_destroy = true } on production accounts makes such a plan fail instead.",
			state.Username.ValueString(), state.ID.ValueInt64(), joinPaths(forcing), accountLoss(true)))
}

// checkNewAccount checks an account about to be created: it needs a
// password, and a username nobody has (asked of the API when the username
// is new and known). A taken username whose proof of ownership needs a
// password not known yet is an error, unless Terraform allows deferral
// (canDefer): it then reports that the plan of this account is to be
// deferred to a round in which the password is known.
func (r *accountResource) checkNewAccount(ctx context.Context, config tfsdk.Config, plan accountModel, canDefer bool, diags *diag.Diagnostics) (deferred bool) {
	var wo types.String
	diags.Append(config.GetAttribute(ctx, path.Root("password_wo"), &wo)...)
	if plan.Password.IsNull() && wo.IsNull() {
		diags.AddAttributeError(path.Root("password"), "Missing password",
			"A new account needs a password: set password_wo (with password_wo_version, Terraform 1.11 and later) "+
				"or password. Only an account that already exists (imported, or created earlier) may leave both "+
				"out; it then keeps the password it has.")
	}
	username := plan.Username
	if r.client == nil || username.IsUnknown() || username.IsNull() {
		return false
	}
	if r.plan.isReplacing("username", username.ValueString()) {
		return false
	}
	free, err := r.client.CheckUsername(ctx, username.ValueString())
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to check whether username %q is free", username.ValueString()), err, nil)
		return false
	}
	if free {
		return false
	}
	password := plan.Password
	if password.IsNull() {
		password = wo
	}
	if password.IsUnknown() && canDefer {
		return true
	}
	if password.IsNull() || password.IsUnknown() {
		diags.AddAttributeError(path.Root("username"), "Username already taken",
			fmt.Sprintf("The API does not accept username %q for a new account: it is taken (or not a valid username), "+
				"and with a password that is not known yet nothing can prove that account to be this configuration's. "+
				"It may belong to someone else sharing the API account (another workspace, a person in the web panel), "+
				"and it is left alone. Choose another username.", username.ValueString()))
		return false
	}
	// The proof of ownership: an account with this username that accepts
	// this password is the one an earlier apply of this configuration made
	// (the apply's create adopts it, see client.CreateAccount).
	own, err := r.client.ProveAccount(ctx, username.ValueString(), password.ValueString())
	if errors.Is(err, client.ErrNoMatch) {
		diags.AddAttributeError(path.Root("username"), "Username not accepted",
			fmt.Sprintf("The API does not accept username %q for a new account, and no account has it: it is not a valid "+
				"username. Choose another one.", username.ValueString()))
		return false
	}
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Username %q is taken", username.ValueString()), err, fieldPaths{"username": path.Root("username")})
		return false
	}
	diags.AddAttributeWarning(path.Root("username"), fmt.Sprintf("Account %q (id %d) already exists and is this configuration's", own.Username, own.ID),
		fmt.Sprintf("Account %q (id %d) exists and accepts the password this configuration sets, so it is this "+
			"configuration's account (an earlier apply made it and could not record it): the apply adopts it instead of "+
			"creating another, and then sets what the configuration says. If this resource is tainted, this plan replaces "+
			"it instead (a new id and new WireGuard keys, and the configurations handed out stop working): to keep it, run "+
			"`terraform untaint <resource address>` before applying.", own.Username, own.ID))
	return false
}
