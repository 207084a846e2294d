package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later), shared by the project,
// customer and account resources: each is identified by its numeric id.

// identityModel is the identity of every managed object.
type identityModel struct {
	ID types.Int64 `tfsdk:"id"`
}

// numericIdentity is embedded by the resources: it gives them the identity
// schema { id = number }.
type numericIdentity struct{}

func (numericIdentity) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.Int64Attribute{
				Description:       "Numeric identifier of the object in the API.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records id as the identity of the resource. identity is nil
// for a resource type without identity, which never happens here; tolerate
// it anyway.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id int64) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, identityModel{ID: types.Int64Value(id)})
}

// importKey is what an import names: the id from an `import { identity = {
// id = N } }` block, or the string of `terraform import` / `import { id =
// "..." }`. key is "" when id was given.
func importKey(ctx context.Context, req resource.ImportStateRequest) (id int64, key string, diags diag.Diagnostics) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var ident identityModel
		diags = req.Identity.Get(ctx, &ident)
		if diags.HasError() {
			return 0, "", diags
		}
		if ident.ID.IsNull() || ident.ID.IsUnknown() || ident.ID.ValueInt64() <= 0 {
			diags.AddAttributeError(path.Root("id"), "Invalid import identity",
				fmt.Sprintf("The identity's id must be a positive whole number, got %s.", ident.ID))
			return 0, "", diags
		}
		return ident.ID.ValueInt64(), "", diags
	}
	key = strings.TrimSpace(req.ID)
	if n, err := strconv.ParseInt(key, 10, 64); err == nil && n > 0 {
		return n, "", nil
	}
	return 0, key, nil
}

// importNumericID imports an object named by its numeric id, as a string or
// as an identity, and records both the id and the identity.
func importNumericID(ctx context.Context, kind string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, key, diags := importKey(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if id == 0 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("A %s is imported by its numeric id, such as 42; got %q.", kind, key))
		return
	}
	setImported(ctx, resp, id)
}

// setImported records an imported object's id in state and identity.
func setImported(ctx context.Context, resp *resource.ImportStateResponse, id int64) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}
