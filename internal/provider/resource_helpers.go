package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Plumbing shared by the resources.

// readObject is the one read of a refresh. Only the API's own answer that
// the object is gone ("Account not found." and the like, see client.IsGone)
// removes the resource from state, so Terraform plans to create it again.
// Any other failure, a proxy's 404 page or a wrong base_url included, is an
// error that leaves the state alone. Both return nil.
//
// get is the client's reader of the kind (client.ReadAccount, ReadCustomer,
// ReadProject), not its GET: the refreshes of many resources of one kind in
// one Terraform run (one provider process, one client) are then served from
// one walk of the kind's list, once that costs fewer requests than their
// GETs (5 accounts among 20,000 are still 5 GETs; 200 among 1,000 are about
// 20 requests instead of 200). The reader keeps to the same rule: an object
// the walk does not show, or that this provider wrote since the walk, is
// read with its own GET, so only the API's own answer removes it.
//
// A placeholder left by a create whose outcome was unknown is settled first
// (settlePendingCreate).
func readObject[T any](ctx context.Context, r *resourceClient, req resource.ReadRequest, resp *resource.ReadResponse, kind string, id int64,
	get func(context.Context, int64) (*T, error)) *T {
	id, ok := r.settlePendingCreate(ctx, req, resp, id)
	if !ok {
		return nil
	}
	// The identity never changes; set it first, so that it is there even
	// when the object turns out to be gone.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	obj, err := get(ctx, id)
	if client.IsGone(err, kind) {
		resp.State.RemoveResource(ctx)
		return nil
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to read %s %d", kind, id), err, nil)
		return nil
	}
	return obj
}

// malformedAnswer guards state against an answer that names no object (id 0
// or an empty name). It reports the answer as malformed and returns true;
// nothing of such an answer may reach state.
func malformedAnswer(diags *diag.Diagnostics, summary, kind string, id int64, name string) bool {
	if id > 0 && strings.TrimSpace(name) != "" {
		return false
	}
	diags.AddError(summary, fmt.Sprintf("The API's answer is malformed: it does not describe a %s (id %d, name %q). "+
		"Nothing was recorded in state. Check that base_url points at the VPNresellers API v4.1.", kind, id, name))
	return true
}

// joinPaths lists attribute paths for a message: "`a` and `b`".
func joinPaths(ps path.Paths) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = "`" + p.String() + "`"
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// warnPastDate warns when a configured date (YYYY-MM-DD) is before today
// (UTC).
func warnPastDate(diags *diag.Diagnostics, p path.Path, v types.String) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	d, err := time.Parse(client.DateLayout, v.ValueString())
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if err != nil || !d.Before(today) {
		return
	}
	diags.AddAttributeWarning(p, "Expiry date in the past",
		fmt.Sprintf("%s is %s, which has passed: the account expires (stops working) as soon as this is applied. "+
			"Use a future date, or leave expire_at out for an account that renews automatically.", p, v.ValueString()))
}

// createFailed reports the error of a create call. It returns true when
// there is nothing to record and the caller stops. made says the call
// returned its object anyway (a client.IncompleteCreateError: it exists and
// is this workspace's, only its last step failed); the caller then records
// it as usual, and the error makes Terraform keep it tainted. A create that
// may have made its object leaves a placeholder (keepPendingCreate).
func createFailed(ctx context.Context, err error, made bool, summary string, fields fieldPaths,
	req resource.CreateRequest, resp *resource.CreateResponse) bool {
	if err == nil {
		return false
	}
	addAPIError(&resp.Diagnostics, summary, err, fields)
	if made {
		return false
	}
	keepPendingCreate(ctx, err, req.Plan, resp)
	return true
}

// privatePendingCreate is the private-state key of a create whose outcome
// the API left unknown (a client.PendingCreate, as JSON: it holds no
// secret).
const privatePendingCreate = "pending_create"

// keepPendingCreate is called by a Create whose create call failed. When the
// API may still have made the object (a client.UnknownOutcomeError), it
// records the planned values as a placeholder in state, which Terraform
// keeps as tainted, and the create's note in private state, so that the
// next refresh settles the create (settlePendingCreate) before anything is
// created again. The error itself is reported by the caller.
func keepPendingCreate(ctx context.Context, err error, plan tfsdk.Plan, resp *resource.CreateResponse) {
	var unknown *client.UnknownOutcomeError
	if !errors.As(err, &unknown) || unknown.Pending.Kind == "" {
		return
	}
	note, jerr := json.Marshal(unknown.Pending)
	if jerr != nil {
		return
	}
	// Values only the API could have told (the id first) are unknown in the
	// plan; a placeholder holds them as null.
	raw, terr := tftypes.Transform(plan.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if terr != nil {
		return
	}
	resp.State.Raw = raw
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePendingCreate, note)...)
}

// dropPlaceholder removes a placeholder from state, so that Terraform plans
// its create again. The framework refuses a Read that ends without an
// identity, even one that removes the resource, and a placeholder never had
// one: it gets id 0, which no object has, and which leaves with it.
func dropPlaceholder(ctx context.Context, resp *resource.ReadResponse) {
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, 0)...)
	resp.State.RemoveResource(ctx)
}

// settlePendingCreate runs first in every Read. For a placeholder left by
// keepPendingCreate it settles what that create made, taking into state only
// what is proven this workspace's:
//
//   - an account: the placeholder stays, and its note is this run's record
//     of the unfinished create (runMemory.record). The plan, which knows the
//     password, looks for the account the create made (newer than the
//     note's mark, accepting the password: client.SettleAccount) and says
//     what the apply will do; the apply takes that account instead of
//     creating another (client.ResumeCreateAccount). Terraform plans a
//     tainted placeholder as a replacement: its delete, which deletes
//     nothing, hands the note on to the apply's create;
//   - a project or customer carrying the create's one-time claim: found
//     none, the placeholder leaves state and the object is planned again;
//     found one, its id is returned to be read, with a warning (Terraform
//     replaces the tainted object unless the person untaints it, both of
//     which touch only this workspace's object);
//   - a note without a claim (written by an older version): the candidates
//     are never adopted; an error names them.
//
// ok is false when the caller must stop.
func (r *resourceClient) settlePendingCreate(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, id int64) (int64, bool) {
	p, ok, diags := pendingNote(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if !ok || diags.HasError() {
		return id, !diags.HasError()
	}
	if p.Kind == client.KindAccount {
		r.run.record(usernameRef(p.Username), p)
		// The placeholder never had an identity: it gets id 0, which no
		// object has.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, 0)...)
		return 0, false
	}
	ids, err := r.client.FindPendingCreate(ctx, p)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to settle the earlier create of this %s", p.Kind), err, nil)
		return 0, false
	}
	switch {
	case len(ids) == 0:
		dropPlaceholder(ctx, resp)
		return 0, false
	case len(ids) == 1 && p.Proves():
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePendingCreate, nil)...)
		resp.Diagnostics.AddWarning(fmt.Sprintf("Found the %s an earlier apply created", p.Kind),
			fmt.Sprintf("An earlier apply could not confirm the create of this %s. The API has made it, with id %d: it carries "+
				"the one-time claim that create sent, so it is this workspace's, and it is now in state. Terraform marked it "+
				"tainted, so this plan replaces it (it is new and empty). To keep %s %d instead, run `terraform untaint` on "+
				"this resource's address before applying: the apply then sets its values in place.", p.Kind, ids[0], p.Kind, ids[0]))
		return ids[0], true
	case p.Proves():
		resp.Diagnostics.AddError(fmt.Sprintf("The %s was created more than once", p.Kind),
			fmt.Sprintf("An earlier apply could not confirm the create of this %s, and %d %ss carry the one-time claim it sent "+
				"(ids %s): all of them are this workspace's. Nothing is created again until this is settled: delete all but "+
				"one in the web panel, and run terraform apply again.", p.Kind, len(ids), p.Kind, client.JoinIDs(ids)))
		return 0, false
	default:
		resp.Diagnostics.AddError(fmt.Sprintf("Unsettled earlier create of this %s", p.Kind),
			fmt.Sprintf("An earlier apply could not confirm the create of this %s, and nothing proves which object it made: "+
				"%d matching %ss were made since (ids %s), and they may belong to someone else sharing the API account "+
				"(another workspace, a person in the web panel), so none is adopted or deleted. To go on, run `terraform "+
				"state rm` on this resource's address, then terraform apply: it creates a new %s and leaves those alone. "+
				"Check them in the web panel, and delete any that turns out to be an unwanted one of yours.",
				p.Kind, len(ids), p.Kind, client.JoinIDs(ids), p.Kind))
		return 0, false
	}
}

// pendingNote reads the note of an unfinished create from private state:
// ok is false when there is none.
func pendingNote(ctx context.Context, priv privateData) (client.PendingCreate, bool, diag.Diagnostics) {
	var p client.PendingCreate
	if priv == nil {
		return p, false, nil
	}
	note, diags := priv.GetKey(ctx, privatePendingCreate)
	if len(note) == 0 || diags.HasError() {
		return p, false, diags
	}
	if err := json.Unmarshal(note, &p); err != nil {
		diags.AddError("Unreadable private state", "The note of an earlier create that did not finish cannot be read: "+err.Error())
		return p, false, diags
	}
	return p, true, diags
}

// keepNote writes the note of an unfinished create into private state.
func keepNote(ctx context.Context, priv privateData, p client.PendingCreate, diags *diag.Diagnostics) {
	if note, err := json.Marshal(p); err == nil {
		diags.Append(priv.SetKey(ctx, privatePendingCreate, note)...)
	}
}
