package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

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

// readObject is the one GET of a refresh. When the object is gone (404) it
// removes the resource from state, so Terraform plans to create it again,
// and returns nil; other errors become diagnostics and also return nil.
func readObject[T any](ctx context.Context, resp *resource.ReadResponse, kind string, id int64,
	get func(context.Context, int64) (*T, error)) *T {
	obj, err := get(ctx, id)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return nil
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to read %s %d", kind, id), err, nil)
		return nil
	}
	return obj
}

// deleteObject deletes an object; one already gone counts as deleted. When
// the API refuses (422, such as a project that still has customers), hint
// tells the person what to do first.
func deleteObject(ctx context.Context, diags *diag.Diagnostics, kind string, id int64,
	del func(context.Context, int64) error, hint string) {
	err := del(ctx, id)
	if err == nil || client.IsNotFound(err) {
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
