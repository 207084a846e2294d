package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// accounts is benchnoop_accounts: the schema of vpnresellers_accounts (a map
// of nested accounts, write-only passwords, deletion_protection) with no
// plan logic and no call. Read keeps the state as it is; Create and Update
// fill the values an API would decide. It is the framework floor of
// MODE=fleet: what decoding and encoding a map of that shape costs before
// any work of the provider's own.
type accounts struct{}

var (
	entryAttrTypes = map[string]attr.Type{
		"customer_id":   types.Int64Type,
		"enabled":       types.BoolType,
		"expire_at":     types.StringType,
		"id":            types.Int64Type,
		"status":        types.StringType,
		"wg_ip":         types.StringType,
		"wg_public_key": types.StringType,
		"created":       types.StringType,
		"updated":       types.StringType,
	}
	nextID atomic.Int64
)

func (accounts) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (accounts) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func() schema.StringAttribute { return schema.StringAttribute{Computed: true} }
	resp.Schema = schema.Schema{Version: 1, Attributes: map[string]schema.Attribute{
		"accounts": schema.MapNestedAttribute{
			Required: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"customer_id":   schema.Int64Attribute{Optional: true},
				"enabled":       schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
				"expire_at":     schema.StringAttribute{Optional: true},
				"id":            schema.Int64Attribute{Computed: true},
				"status":        computed(),
				"wg_ip":         computed(),
				"wg_public_key": computed(),
				"created":       computed(),
				"updated":       computed(),
			}},
		},
		"passwords_wo": schema.MapAttribute{
			ElementType: types.StringType, Optional: true, Sensitive: true, WriteOnly: true,
		},
		"passwords_wo_version": schema.Int64Attribute{Optional: true},
		"deletion_protection": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
	}}
}

// decided returns the planned accounts with every unknown filled in.
func decided(plan types.Map) (types.Map, error) {
	out := make(map[string]attr.Value, len(plan.Elements()))
	for name, v := range plan.Elements() {
		obj, ok := v.(types.Object)
		if !ok {
			return types.Map{}, fmt.Errorf("entry %q is a %T", name, v)
		}
		attrs := make(map[string]attr.Value, len(entryAttrTypes))
		for k, a := range obj.Attributes() {
			attrs[k] = a
		}
		if attrs["id"].IsUnknown() {
			attrs["id"] = types.Int64Value(nextID.Add(1))
		}
		for _, k := range []string{"status", "wg_ip", "wg_public_key", "created", "updated"} {
			if attrs[k].IsUnknown() {
				attrs[k] = types.StringValue("noop")
			}
		}
		o, d := types.ObjectValue(entryAttrTypes, attrs)
		if d.HasError() {
			return types.Map{}, fmt.Errorf("entry %q: %v", name, d)
		}
		out[name] = o
	}
	m, d := types.MapValue(types.ObjectType{AttrTypes: entryAttrTypes}, out)
	if d.HasError() {
		return types.Map{}, fmt.Errorf("%v", d)
	}
	return m, nil
}

func (accounts) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	fill(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (accounts) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (accounts) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	fill(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (accounts) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// fill sets the accounts of state to those of plan, unknowns decided.
func fill(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics) {
	var m types.Map
	if diags.Append(plan.GetAttribute(ctx, path.Root("accounts"), &m)...); diags.HasError() {
		return
	}
	m, err := decided(m)
	if err != nil {
		diags.AddError("benchnoop", err.Error())
		return
	}
	diags.Append(state.SetAttribute(ctx, path.Root("accounts"), m)...)
}
