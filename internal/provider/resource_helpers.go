package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
func readObject[T any](ctx context.Context, resp *resource.ReadResponse, kind string, id int64,
	get func(context.Context, int64) (*T, error)) *T {
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
