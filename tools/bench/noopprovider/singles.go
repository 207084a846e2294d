package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// single is benchnoop_project, benchnoop_customer or benchnoop_account: the
// schema of the provider's resource of that name (singles_schema_gen.go:
// its attributes, its timeouts block, its identity) with no plan logic and
// no call. Read keeps the state as it is; Create and Update fill the values
// an API would decide. They are the second floor of MODE=graph and
// MODE=accounts: what Terraform and the framework cost for resources of
// these schemas, before any work of the provider's own (benchnoop_thing,
// the first, has two attributes).
type single struct{ spec singleSpec }

func singleResources() []func() resource.Resource {
	out := make([]func() resource.Resource, 0, len(singles))
	for _, s := range singles {
		out = append(out, func() resource.Resource { return single{spec: s} })
	}
	return out
}

func (r single) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.spec.name
}

func (r single) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	var attrs []attrSpec
	blocks := map[string]schema.Block{}
	for _, a := range r.spec.attrs {
		if a.kind == kindBlock {
			blocks[a.name] = schema.SingleNestedBlock{Attributes: frameworkAttributes(a.nested)}
			continue
		}
		attrs = append(attrs, a)
	}
	resp.Schema = schema.Schema{Version: r.spec.version, Attributes: frameworkAttributes(attrs), Blocks: blocks}
}

func (r single) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	if r.spec.identity {
		resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
			"id": identityschema.Int64Attribute{RequiredForImport: true},
		}}
	}
}

// decide returns v with every unknown top-level attribute decided: the
// prior state's value when it has one, else what an API would decide.
func (r single) decide(v, prior tftypes.Value) (tftypes.Value, error) {
	var attrs, priorAttrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return v, err
	}
	if !prior.IsNull() {
		if err := prior.As(&priorAttrs); err != nil {
			return v, err
		}
	}
	for _, a := range r.spec.attrs {
		if attrs[a.name].IsKnown() {
			continue
		}
		if p, ok := priorAttrs[a.name]; ok && p.IsKnown() && !p.IsNull() {
			attrs[a.name] = p
			continue
		}
		d, err := decidedValue(a.kind).ToTerraformValue(context.Background())
		if err != nil {
			return v, err
		}
		attrs[a.name] = d
	}
	return tftypes.NewValue(v.Type(), attrs), nil
}

// save sets the new state to v, and the identity to its id.
func (r single) save(ctx context.Context, v, prior tftypes.Value, state *tfsdk.State, identity *tfsdk.ResourceIdentity) error {
	v, err := r.decide(v, prior)
	if err != nil {
		return err
	}
	state.Raw = v
	if identity == nil || !r.spec.identity {
		return nil
	}
	var id types.Int64
	if d := state.GetAttribute(ctx, path.Root("id"), &id); d.HasError() {
		return fmt.Errorf("%v", d)
	}
	if d := identity.SetAttribute(ctx, path.Root("id"), id); d.HasError() {
		return fmt.Errorf("%v", d)
	}
	return nil
}

func (r single) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if err := r.save(ctx, req.Plan.Raw, tftypes.NewValue(req.Plan.Raw.Type(), nil), &resp.State, resp.Identity); err != nil {
		resp.Diagnostics.AddError("benchnoop", err.Error())
	}
}

func (r single) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity != nil && !resp.Identity.Raw.IsNull() {
		return
	}
	if err := r.save(ctx, req.State.Raw, req.State.Raw, &resp.State, resp.Identity); err != nil {
		resp.Diagnostics.AddError("benchnoop", err.Error())
	}
}

func (r single) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if err := r.save(ctx, req.Plan.Raw, req.State.Raw, &resp.State, resp.Identity); err != nil {
		resp.Diagnostics.AddError("benchnoop", err.Error())
	}
}

func (single) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
