package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// directServer serves the directly served resources (see server.go): the
// resource RPCs that carry its values (validate, plan, apply, read, and the
// upgrade of a state of the current schema version) are answered here,
// everything else by the embedded server, the framework's server of the
// same resources (schema, provider configuration, upgrades from older
// schema versions, import, moves), so that each keeps the framework's
// behaviour.
type directServer struct {
	tfprotov6.ProviderServer
	p     *vpnProvider
	types map[string]*directType
}

// directType is one directly served resource type.
type directType struct {
	name         string
	newResource  func() resource.Resource
	schema       schema.Schema
	typ          tftypes.Object
	attrs        []*directAttr
	hasWriteOnly bool
}

func newDirectServer(fw tfprotov6.ProviderServer, p *vpnProvider, resources []func() resource.Resource) (*directServer, error) {
	ctx := context.Background()
	s := &directServer{ProviderServer: fw, p: p, types: map[string]*directType{}}
	for _, newResource := range resources {
		t, err := newDirectType(ctx, newResource)
		if err != nil {
			return nil, err
		}
		s.types[t.name] = t
	}
	return s, nil
}

func newDirectType(ctx context.Context, newResource func() resource.Resource) (*directType, error) {
	r := newResource()
	var md resource.MetadataResponse
	r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "vpnresellers"}, &md)
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		return nil, fmt.Errorf("%s: its schema: %v", md.TypeName, sr.Diagnostics)
	}
	if _, ok := r.(resource.ResourceWithIdentity); ok {
		return nil, fmt.Errorf("%s: resource identity is not supported", md.TypeName)
	}
	if len(sr.Schema.Blocks) > 0 {
		return nil, fmt.Errorf("%s: blocks are not supported", md.TypeName)
	}
	t := &directType{name: md.TypeName, newResource: newResource, schema: sr.Schema}
	var ok bool
	if t.typ, ok = sr.Schema.Type().TerraformType(ctx).(tftypes.Object); !ok {
		return nil, fmt.Errorf("%s: its state is not an object", md.TypeName)
	}
	var err error
	if t.attrs, err = directAttrs(ctx, sr.Schema.Attributes, false); err != nil {
		return nil, fmt.Errorf("%s: %w", md.TypeName, err)
	}
	for _, a := range t.attrs {
		t.hasWriteOnly = t.hasWriteOnly || a.writeOnly || slices.ContainsFunc(a.nested, func(n *directAttr) bool { return n.writeOnly })
	}
	return t, nil
}

// decode reads a value of the resource's type (null when absent).
func (t *directType) decode(dv *tfprotov6.DynamicValue, diags *diag.Diagnostics) tftypes.Value {
	if dv == nil {
		return tftypes.NewValue(t.typ, nil)
	}
	v, err := dv.Unmarshal(t.typ)
	if err != nil {
		diags.Append(errorDiag("Unable to Read the Request", err)...)
		return tftypes.NewValue(t.typ, nil)
	}
	return v
}

// encode writes v, or hands back the request's own encoding when v is the
// value decoded from it (from == nil: always encode).
func (t *directType) encode(v, decoded tftypes.Value, from *tfprotov6.DynamicValue, diags *diag.Diagnostics) *tfprotov6.DynamicValue {
	if from != nil && v.Equal(decoded) {
		return from
	}
	dv, err := tfprotov6.NewDynamicValue(t.typ, v)
	if err != nil {
		diags.Append(errorDiag("Unable to Write the Response", err)...)
		return nil
	}
	return &dv
}

// instance is a new resource, configured with the provider's data, as the
// framework makes one for each request.
func (s *directServer) instance(ctx context.Context, t *directType, diags *diag.Diagnostics) resource.Resource {
	r := t.newResource()
	if rc, ok := r.(resource.ResourceWithConfigure); ok {
		var resp resource.ConfigureResponse
		var data any
		if d := s.p.configured.data.Load(); d != nil {
			data = d
		}
		rc.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resp)
		diags.Append(resp.Diagnostics...)
	}
	return r
}

func (t *directType) config(v tftypes.Value) tfsdk.Config {
	return tfsdk.Config{Schema: t.schema, Raw: v}
}
func (t *directType) plan(v tftypes.Value) tfsdk.Plan   { return tfsdk.Plan{Schema: t.schema, Raw: v} }
func (t *directType) state(v tftypes.Value) tfsdk.State { return tfsdk.State{Schema: t.schema, Raw: v} }

// ValidateProviderConfig answers nothing: the framework side validates the
// provider configuration, once.
func (s *directServer) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *directServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	t, ok := s.types[req.TypeName]
	if !ok {
		return s.ProviderServer.ValidateResourceConfig(ctx, req)
	}
	var diags diag.Diagnostics
	if req.Config == nil {
		return &tfprotov6.ValidateResourceConfigResponse{}, nil
	}
	config := t.config(t.decode(req.Config, &diags))
	r := s.instance(ctx, t, &diags)
	if diags.HasError() {
		return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: protoDiags(ctx, diags)}, nil
	}
	writeOnly := req.ClientCapabilities != nil && req.ClientCapabilities.WriteOnlyAttributesAllowed
	vreq := resource.ValidateConfigRequest{
		ClientCapabilities: resource.ValidateConfigClientCapabilities{WriteOnlyAttributesAllowed: writeOnly},
		Config:             config,
	}
	if rv, ok := r.(resource.ResourceWithConfigValidators); ok {
		for _, v := range rv.ConfigValidators(ctx) {
			var resp resource.ValidateConfigResponse
			v.ValidateResource(ctx, vreq, &resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	if rv, ok := r.(resource.ResourceWithValidateConfig); ok {
		var resp resource.ValidateConfigResponse
		rv.ValidateConfig(ctx, vreq, &resp)
		diags.Append(resp.Diagnostics...)
	}
	t.validate(ctx, config, writeOnly, &diags)
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: protoDiags(ctx, diags)}, nil
}

func (s *directServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	t, ok := s.types[req.TypeName]
	if !ok {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	}
	var diags diag.Diagnostics
	answer := func() (*tfprotov6.PlanResourceChangeResponse, error) {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: protoDiags(ctx, diags)}, nil
	}
	if deferred := s.p.configured.deferred.Load(); deferred != nil {
		// As the framework: the proposed state, deferred (Configure only
		// defers when the client allows it).
		return &tfprotov6.PlanResourceChangeResponse{
			PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate,
			Deferred: protoDeferred(deferred.Reason),
		}, nil
	}
	config, prior, proposed := t.decode(req.Config, &diags), t.decode(req.PriorState, &diags), t.decode(req.ProposedNewState, &diags)
	private, d := parsePrivate(req.PriorPrivate)
	diags.Append(d...)
	r := s.instance(ctx, t, &diags)
	if diags.HasError() {
		return answer()
	}
	planned := proposed
	if !proposed.IsNull() {
		planned = t.prepare(ctx, proposed, config, prior, &diags)
		if diags.HasError() {
			return answer()
		}
	}
	var requiresReplace path.Paths
	var deferred *tfprotov6.Deferred
	if rm, ok := r.(resource.ResourceWithModifyPlan); ok {
		mreq := resource.ModifyPlanRequest{
			Config: t.config(config), Plan: t.plan(planned), State: t.state(prior),
		}
		if req.ClientCapabilities != nil {
			mreq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
		}
		mreq.Private = newProviderData(mreq.Private)
		diags.Append(providerPrivate(ctx, private, mreq.Private)...)
		mresp := resource.ModifyPlanResponse{Diagnostics: diags, Plan: mreq.Plan, RequiresReplace: path.Paths{}, Private: mreq.Private}
		rm.ModifyPlan(ctx, mreq, &mresp)
		diags, planned, requiresReplace = mresp.Diagnostics, mresp.Plan.Raw, mresp.RequiresReplace
		if private.provider, d = readPrivate(mresp.Private); d.HasError() {
			diags.Append(d...)
		}
		deferred = t.deferral(mresp.Deferred, mreq.ClientCapabilities.DeferralAllowed, &diags)
	}
	if proposed.IsNull() && !planned.IsNull() {
		diags.AddError("Unexpected Planned Resource State on Destroy",
			"The Terraform Provider unexpectedly returned resource state data when the resource was planned for destruction. "+
				"This is always an issue in the Terraform Provider and should be reported to the provider developers.")
		return answer()
	}
	// With errors too, as the framework: Terraform reads none of it.
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedState: t.encode(planned, proposed, req.ProposedNewState, &diags), Deferred: deferred}
	resp.PlannedPrivate, d = private.bytes()
	diags.Append(d...)
	for _, p := range normalisedPaths(requiresReplace) {
		tp, err := protoPath(ctx, p)
		if err != nil {
			diags.Append(errorDiag("Unable to Write the Response", err)...)
			continue
		}
		resp.RequiresReplace = append(resp.RequiresReplace, tp)
	}
	resp.Diagnostics = protoDiags(ctx, diags)
	return resp, nil
}

// protoDeferred is a deferral for Terraform: the framework's reasons are the
// protocol's numbers.
func protoDeferred[R ~int32](reason R) *tfprotov6.Deferred {
	return &tfprotov6.Deferred{Reason: tfprotov6.DeferredReason(reason)}
}

// deferral is the resource's own deferral for Terraform, an error (as the
// framework makes it) when the client did not allow one.
func (t *directType) deferral(d *resource.Deferred, allowed bool, diags *diag.Diagnostics) *tfprotov6.Deferred {
	if d == nil {
		return nil
	}
	if !allowed {
		diags.AddError("Invalid Deferred Resource Response",
			"Resource of "+t.name+" returned a deferral when the client does not allow it. This is a bug in the provider; please report it.")
	}
	return protoDeferred(d.Reason)
}

// normalisedPaths sorts and deduplicates paths, as the framework does with
// RequiresReplace.
func normalisedPaths(ps path.Paths) path.Paths {
	if len(ps) < 2 {
		return ps
	}
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b path.Path) int {
		switch sa, sb := a.String(), b.String(); {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	})
	return slices.CompactFunc(out, func(a, b path.Path) bool { return a.Equal(b) })
}

// readPrivate is the provider's keys a resource method left in pd.
func readPrivate(pd any) (map[string][]byte, diag.Diagnostics) {
	keys, err := providerKeys(pd)
	if err != nil {
		return nil, errorDiag("Error Encoding Private State", err)
	}
	return keys, nil
}

func (s *directServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	t, ok := s.types[req.TypeName]
	if !ok {
		return s.ProviderServer.ApplyResourceChange(ctx, req)
	}
	var diags diag.Diagnostics
	config, prior, planned := t.decode(req.Config, &diags), t.decode(req.PriorState, &diags), t.decode(req.PlannedState, &diags)
	private, d := parsePrivate(req.PlannedPrivate)
	diags.Append(d...)
	r := s.instance(ctx, t, &diags)
	if diags.HasError() {
		return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: protoDiags(ctx, diags)}, nil
	}
	null := tftypes.NewValue(t.typ, nil)
	var newState tftypes.Value
	var pd any
	switch {
	case prior.IsNull():
		creq := resource.CreateRequest{Config: t.config(config), Plan: t.plan(planned)}
		cresp := resource.CreateResponse{State: t.state(null)}
		cresp.Private = newProviderData(cresp.Private)
		r.Create(ctx, creq, &cresp)
		diags, newState, pd = cresp.Diagnostics, cresp.State.Raw, cresp.Private
		private.framework = nil // a create starts afresh
		if !diags.HasError() && newState.IsNull() {
			diags.AddError("Missing Resource State After Create",
				"The Terraform Provider unexpectedly returned no resource state after having no errors in the resource creation. "+
					"This is always an issue in the Terraform Provider and should be reported to the provider developers.\n\n"+
					"The resource may have been successfully created, but Terraform is not tracking it. "+
					"Applying the configuration again with no other action may result in duplicate resource errors. "+
					"Import the resource if the resource was actually created and Terraform should be tracking it.")
		}
	case planned.IsNull():
		dreq := resource.DeleteRequest{State: t.state(prior)}
		dreq.Private = newProviderData(dreq.Private)
		diags.Append(providerPrivate(ctx, private, dreq.Private)...)
		dresp := resource.DeleteResponse{State: t.state(prior), Private: dreq.Private}
		r.Delete(ctx, dreq, &dresp)
		diags, newState, pd = dresp.Diagnostics, dresp.State.Raw, dresp.Private
		if !diags.HasError() {
			newState, pd, private = null, nil, privateState{}
		}
	default:
		ureq := resource.UpdateRequest{Config: t.config(config), Plan: t.plan(planned), State: t.state(prior)}
		ureq.Private = newProviderData(ureq.Private)
		diags.Append(providerPrivate(ctx, private, ureq.Private)...)
		uresp := resource.UpdateResponse{State: t.state(prior), Private: ureq.Private}
		r.Update(ctx, ureq, &uresp)
		diags, newState, pd = uresp.Diagnostics, uresp.State.Raw, uresp.Private
		if !diags.HasError() && newState.IsNull() {
			diags.AddError("Missing Resource State After Update",
				"The Terraform Provider unexpectedly returned no resource state after having no errors in the resource update. "+
					"This is always an issue in the Terraform Provider and should be reported to the provider developers.")
		}
	}
	if pd != nil {
		private.provider, d = readPrivate(pd)
		diags.Append(d...)
	}
	if !diags.HasError() && !newState.IsNull() {
		newState = t.nullWriteOnly(ctx, newState, &diags)
	}
	resp := &tfprotov6.ApplyResourceChangeResponse{NewState: t.encode(newState, planned, nil, &diags)}
	resp.Private, d = private.bytes()
	diags.Append(d...)
	resp.Diagnostics = protoDiags(ctx, diags)
	return resp, nil
}

func (s *directServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	t, ok := s.types[req.TypeName]
	if !ok {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	var diags diag.Diagnostics
	if req.CurrentState == nil {
		diags.AddError("Unexpected Read Request", "An unexpected error was encountered when reading the resource. The current state was missing.")
		return &tfprotov6.ReadResourceResponse{Diagnostics: protoDiags(ctx, diags)}, nil
	}
	if deferred := s.p.configured.deferred.Load(); deferred != nil {
		return &tfprotov6.ReadResourceResponse{
			NewState: req.CurrentState, Private: req.Private,
			Deferred: protoDeferred(deferred.Reason),
		}, nil
	}
	current := t.decode(req.CurrentState, &diags)
	private, d := parsePrivate(req.Private)
	diags.Append(d...)
	r := s.instance(ctx, t, &diags)
	if diags.HasError() {
		return &tfprotov6.ReadResourceResponse{Diagnostics: protoDiags(ctx, diags)}, nil
	}
	delete(private.framework, ".import_before_read") // privatestate.ImportBeforeReadKey
	rreq := resource.ReadRequest{State: t.state(current)}
	if req.ClientCapabilities != nil {
		rreq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
	}
	rreq.Private = newProviderData(rreq.Private)
	diags.Append(providerPrivate(ctx, private, rreq.Private)...)
	rresp := resource.ReadResponse{State: t.state(current), Private: rreq.Private}
	r.Read(ctx, rreq, &rresp)
	diags = rresp.Diagnostics
	newState := rresp.State.Raw
	private.provider, d = readPrivate(rresp.Private)
	diags.Append(d...)
	resp := &tfprotov6.ReadResourceResponse{Deferred: t.deferral(rresp.Deferred, rreq.ClientCapabilities.DeferralAllowed, &diags)}
	if !diags.HasError() {
		newState = t.nullWriteOnly(ctx, newState, &diags)
	}
	resp.NewState = t.encode(newState, current, req.CurrentState, &diags)
	resp.Private, d = private.bytes()
	diags.Append(d...)
	resp.Diagnostics = protoDiags(ctx, diags)
	return resp, nil
}

// UpgradeResourceState reads a state of the current schema version as the
// framework does (attributes the schema no longer has are dropped), without
// the framework's walks of the value; an older version goes to the
// resource's upgraders through the framework.
func (s *directServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	t, ok := s.types[req.TypeName]
	if !ok || req.RawState == nil || req.Version != t.schema.Version {
		return s.ProviderServer.UpgradeResourceState(ctx, req)
	}
	var diags diag.Diagnostics
	v, err := req.RawState.UnmarshalWithOpts(t.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		diags.AddError("Unable to Read Previously Saved State for UpgradeResourceState",
			"There was an error reading the saved resource state using the current resource schema.\n\n"+
				"If this resource state was last refreshed with Terraform CLI 0.11 and earlier, it must be refreshed or applied with an older provider version first. "+
				"If you manually modified the resource state, you will need to manually modify it to match the current resource schema. "+
				"Otherwise, please report this to the provider developer:\n\n"+err.Error())
		// A diagnostic, as the framework answers: the error is the state's,
		// not the connection's.
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: protoDiags(ctx, diags)}, nil //nolint:nilerr
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: t.encode(v, v, nil, &diags), Diagnostics: protoDiags(ctx, diags)}, nil
}
