package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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

// deleteObject deletes an object; one the API says is gone (client.IsGone)
// counts as deleted, any other 404 is an error. deps, for an object others
// depend on (a customer's accounts, a project's customers; nil for an
// account), makes a delete refused only because dependents still exist
// (client.HasDependents) wait and retry, with backoff, for deps.wait: in
// one terraform destroy the dependents are usually being deleted at the
// same time, configurations with literal ids (as -generate-config-out
// writes them) giving Terraform no order to follow. Once the wait is over,
// or for any other 422, the error names what is left and what to do.
func deleteObject(ctx context.Context, diags *diag.Diagnostics, kind string, id int64,
	del func(context.Context, int64) error, deps *dependents) {
	err := del(ctx, id)
	if deps != nil && client.HasDependents(err, kind) {
		err = retryDelete(ctx, kind, id, del, deps.wait, err)
	}
	if err == nil || client.IsGone(err, kind) {
		return
	}
	summary := fmt.Sprintf("Unable to delete %s %d", kind, id)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && errors.Is(err, client.ErrValidation) {
		detail := "The API refused: " + apiErr.Message
		if deps != nil {
			if client.HasDependents(err, kind) {
				detail += fmt.Sprintf(" The provider retried for %s (timeouts.delete), and they are still there.", deps.wait)
			}
			detail += " " + deps.remaining(ctx, id) + deps.hint
		}
		diags.AddError(summary, detail)
		return
	}
	addAPIError(diags, summary, err, nil)
}

// dependents says what keeps an object from being deleted.
type dependents struct {
	wait time.Duration // how long a delete refused for them is retried
	what string        // "accounts", "customers"
	// list names the dependents still there, for the error.
	list func(context.Context, int64) ([]string, error)
	hint string // what to do
}

// dependentNames adapts a list of dependents to dependents.list: each is named by
// what name gives (made printable) and its id.
func dependentNames[T any](list func(context.Context, int64) ([]T, error), name func(T) (string, int64)) func(context.Context, int64) ([]string, error) {
	return func(ctx context.Context, id int64) ([]string, error) {
		items, err := list(ctx, id)
		names := make([]string, len(items))
		for i, it := range items {
			n, id := name(it)
			names[i] = fmt.Sprintf("%s (id %d)", client.Printable(n), id)
		}
		return names, err
	}
}

// remaining names the dependents still there ("Its accounts still there
// (2): a (id 1), b (id 2). "), or says why it cannot.
func (d *dependents) remaining(ctx context.Context, id int64) string {
	names, err := d.list(ctx, id)
	switch {
	case err != nil:
		return fmt.Sprintf("Listing its %s failed: %s. ", d.what, withoutFullStop(err))
	case len(names) == 0:
		return fmt.Sprintf("It has no %s left now: run terraform destroy (or apply) again. ", d.what)
	}
	const shown = 20
	total, more := len(names), ""
	if total > shown {
		more = fmt.Sprintf(", and %d more", total-shown)
		names = names[:shown]
	}
	return fmt.Sprintf("Its %s still there (%d): %s%s. ", d.what, total, strings.Join(names, ", "), more)
}

// defaultDeleteWait is how long a delete refused for its dependents is
// retried when no timeouts block says.
var defaultDeleteWait = 2 * time.Minute

// deleteTimeoutsBlock is the `timeouts { delete = "..." }` block of a
// resource whose delete waits for its dependents (dependents).
func deleteTimeoutsBlock(ctx context.Context, what string) schema.Block {
	return timeouts.Block(ctx, timeouts.Opts{
		Delete: true,
		DeleteDescription: fmt.Sprintf("How long a delete the API refuses only because %s still exist is retried, "+
			"with backoff, while they are being deleted (as in one terraform destroy of a configuration that refers "+
			"to objects by literal id). A duration such as `\"30s\"` or `\"10m\"`; default `%s`. After it, the delete "+
			"fails, naming the %s left.", what, strings.TrimSuffix(defaultDeleteWait.String(), "0s"), what),
	})
}

// nullTimeouts is the value of an absent timeouts block, for models built
// in code (moves, list results) rather than read from a plan or state.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"delete": types.StringType})}
}

// deleteWait is the delete timeout of t, defaultDeleteWait when unset.
func deleteWait(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) time.Duration {
	if t.IsNull() || len(t.AttributeTypes(ctx)) == 0 {
		return defaultDeleteWait
	}
	d, ds := t.Delete(ctx, defaultDeleteWait)
	diags.Append(ds...)
	return d
}

// Backoff of retryDelete: the first retry after deleteRetryMin, each next
// one after twice as long, at most deleteRetryMax.
var deleteRetryMin, deleteRetryMax = 500 * time.Millisecond, 10 * time.Second

// retryDelete retries a delete refused because dependents still exist,
// (err, the first refusal), until it is done, refused for another reason,
// or wait has passed. It returns the last error.
func retryDelete(ctx context.Context, kind string, id int64, del func(context.Context, int64) error, wait time.Duration, err error) error {
	deadline := time.Now().Add(wait)
	pause := deleteRetryMin
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return err
		}
		t := time.NewTimer(min(pause, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if err = del(ctx, id); !client.HasDependents(err, kind) {
			return err
		}
		pause = min(2*pause, deleteRetryMax)
	}
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
// keepPendingCreate it settles what that create made, adopting only what is
// proven this workspace's:
//
//   - an account: the placeholder leaves state, so that the next apply
//     creates the account; a create whose username is taken adopts the
//     account only when it accepts the configured password (the plan says
//     so first, see checkNewAccount);
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
	note, diags := req.Private.GetKey(ctx, privatePendingCreate)
	resp.Diagnostics.Append(diags...)
	if len(note) == 0 || diags.HasError() {
		return id, !diags.HasError()
	}
	var p client.PendingCreate
	if err := json.Unmarshal(note, &p); err != nil {
		resp.Diagnostics.AddError("Unreadable private state", "The note of an earlier create that did not finish cannot be read: "+err.Error())
		return 0, false
	}
	if p.Kind == client.KindAccount {
		dropPlaceholder(ctx, resp)
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
