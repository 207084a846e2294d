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

var nextID atomic.Int64

func (accounts) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (accounts) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Version: accountsVersion, Attributes: frameworkAttributes(accountsAttrs)}
}

// decided returns the planned accounts with every unknown filled in.
func decided(plan types.Map) (types.Map, error) {
	entryTypes := entryAttrTypes()
	out := make(map[string]attr.Value, len(plan.Elements()))
	for name, v := range plan.Elements() {
		obj, ok := v.(types.Object)
		if !ok {
			return types.Map{}, fmt.Errorf("entry %q is a %T", name, v)
		}
		attrs := make(map[string]attr.Value, len(entryTypes))
		for k, a := range obj.Attributes() {
			attrs[k] = a
		}
		for _, a := range entriesSpec().nested {
			if attrs[a.name].IsUnknown() {
				attrs[a.name] = decidedValue(a.kind)
			}
		}
		o, d := types.ObjectValue(entryTypes, attrs)
		if d.HasError() {
			return types.Map{}, fmt.Errorf("entry %q: %v", name, d)
		}
		out[name] = o
	}
	m, d := types.MapValue(types.ObjectType{AttrTypes: entryTypes}, out)
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
	if diags.Append(plan.GetAttribute(ctx, path.Root(entriesSpec().name), &m)...); diags.HasError() {
		return
	}
	m, err := decided(m)
	if err != nil {
		diags.AddError("benchnoop", err.Error())
		return
	}
	diags.Append(state.SetAttribute(ctx, path.Root(entriesSpec().name), m)...)
}

// decidedValue is what the no-call provider decides for a value only the
// API could: a new id for a number, "noop" for a string.
func decidedValue(k attrKind) attr.Value {
	switch k {
	case kindNumber:
		return types.Int64Value(nextID.Add(1))
	case kindBool:
		return types.BoolValue(true)
	}
	return types.StringValue("noop")
}
