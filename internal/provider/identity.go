package provider

import (
	"context"
	"math"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// saveWithIdentity records m in state and id as the resource's identity:
// the last step of the resources' creates and updates.
func saveWithIdentity(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, m any, id int64) diag.Diagnostics {
	diags := state.Set(ctx, m)
	return append(diags, setIdentity(ctx, identity, id)...)
}

// importKey reads what an import names: the id of an `import { identity =
// { id = N } }` block, or the string of `terraform import` / `import { id =
// "..." }` read by the one grammar of object references (parseRef) for an
// object of kind, whose key is keyName ("" for a kind imported by id
// alone). A string it cannot read is an "Invalid import ID" error.
func importKey(req resource.ImportStateRequest, kind, keyName string) (ref objectRef, diags diag.Diagnostics) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		id, diags := identityID(req.Identity.Raw)
		if diags.HasError() {
			return ref, diags
		}
		return objectRef{id: id}, diags
	}
	ref, err := parseRef(req.ID, kind, keyName)
	if err != nil {
		diags.AddError("Invalid import ID", capitalize(err.Error())+".")
	}
	return ref, diags
}

// importNumericID imports an object named by its numeric id (42 or id:42),
// as a string or as an identity, and records both the id and the identity.
func importNumericID(ctx context.Context, kind string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, diags := importKey(req, kind, "")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	setImported(ctx, resp, ref.id)
}

// setImported records an imported object's id in state and identity.
func setImported(ctx context.Context, resp *resource.ImportStateResponse, id int64) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

// identityID reads the id of an import identity from its raw value, not
// through the framework's Int64 conversion: that one reports a number that
// does not fit (2^63, 1.5) as a provider bug, and the person who wrote the
// import block is told nothing about their value. Anything but a positive
// whole number that fits in 64 bits is an error on the identity's id.
func identityID(raw tftypes.Value) (int64, diag.Diagnostics) {
	var diags diag.Diagnostics
	bad := func(why string) (int64, diag.Diagnostics) {
		diags.AddAttributeError(path.Root("id"), "Invalid import identity",
			"The identity's id must be a positive whole number of at most "+strconv.FormatInt(math.MaxInt64, 10)+
				" (the numeric id of the object in the API); "+why+".")
		return 0, diags
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return bad("the identity is not an object with an id")
	}
	v, ok := attrs["id"]
	switch {
	case !ok || v.IsNull():
		return bad("it is not set")
	case !v.IsKnown():
		return bad("it is not known yet")
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		return bad("it is not a number")
	}
	text := f.Text('f', -1)
	if !f.IsInt() {
		return bad("got " + text + ", which is not a whole number")
	}
	n, acc := f.Int64()
	if acc != big.Exact {
		return bad("got " + text + ", which is too large")
	}
	if n <= 0 {
		return bad("got " + text)
	}
	return n, diags
}
