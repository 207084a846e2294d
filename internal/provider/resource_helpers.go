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

// resourceClient is embedded by every resource: its Configure keeps the API
// client the provider hands over.
type resourceClient struct {
	client *client.Client
}

func (r *resourceClient) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// readObject is the one GET of a refresh. Only the API's own answer that the
// object is gone ("Account not found." and the like, see client.IsGone)
// removes the resource from state, so Terraform plans to create it again.
// Any other failure, a proxy's 404 page or a wrong base_url included, is an
// error that leaves the state alone. Both return nil.
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
// counts as deleted, any other 404 is an error. When
// the API refuses (422, such as a project that still has customers), hint
// tells the person what to do first.
func deleteObject(ctx context.Context, diags *diag.Diagnostics, kind string, id int64,
	del func(context.Context, int64) error, hint string) {
	err := del(ctx, id)
	if err == nil || client.IsGone(err, kind) {
		return
	}
	summary := fmt.Sprintf("Unable to delete %s %d", kind, id)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && errors.Is(err, client.ErrValidation) {
		diags.AddError(summary, "The API refused: "+apiErr.Message+" "+hint)
		return
	}
	addAPIError(diags, summary, err, nil)
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

// settlePendingCreate runs first in every Read. For a placeholder left by
// keepPendingCreate it looks for what that create made: nothing (the
// placeholder leaves state and the object is planned again), exactly one
// object newer than the create's high-water mark (its id is returned to be
// read, with a warning: Terraform replaces the tainted object unless the
// person untaints it), or several (an error listing them, so that nothing
// is created a second time). ok is false when the caller must stop.
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
	ids, err := r.client.FindPendingCreate(ctx, p)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to settle the earlier create of this %s", p.Kind), err, nil)
		return 0, false
	}
	switch len(ids) {
	case 0:
		resp.State.RemoveResource(ctx)
		return 0, false
	case 1:
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePendingCreate, nil)...)
		resp.Diagnostics.AddWarning(fmt.Sprintf("Found the %s an earlier apply created", p.Kind),
			fmt.Sprintf("An earlier apply could not confirm the create of this %s; the API has made it, with id %d, and it is "+
				"now in state. Terraform marked it tainted, so this plan replaces it. To keep %s %d as it is instead, "+
				"run `terraform untaint` on this resource's address before applying.", p.Kind, ids[0], p.Kind, ids[0]))
		return ids[0], true
	default:
		resp.Diagnostics.AddError(fmt.Sprintf("Several %ss may come from an earlier create", p.Kind),
			fmt.Sprintf("An earlier apply could not confirm the create of this %s, and %d matching %ss were made since "+
				"(ids %s). Nothing is created again until this is settled: import the right one with %s, or delete "+
				"the ones that are not wanted and run `terraform apply` again.",
				p.Kind, len(ids), p.Kind, joinIDs(ids), client.ImportCommand("", "<id>")))
		return 0, false
	}
}
