package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// directServer serves benchnoop_directaccounts straight through
// terraform-plugin-go, behind terraform-plugin-mux, as the provider serves
// vpnresellers_accounts (internal/provider/direct_server.go): the schema of
// vpnresellers_accounts, no plan logic and no call. Each request is decoded
// and answered once, in one pass over the value, with what the framework
// would add (defaults, write-only nulls, computed unknowns). It is the floor
// of MODE=fleet for a provider served that way: what Terraform and the
// protocol cost for a map of that shape, before any work of the provider's
// own.
type directServer struct {
	// Only the RPCs of a resource type and those terraform-plugin-mux sends
	// every server are implemented; mux routes nothing else here.
	tfprotov6.ProviderServer
}

const directType = "benchnoop_directaccounts"

var (
	entries      = entriesSpec()
	entryType    = objectOf(entries.nested)
	mapType      = tftypes.Map{ElementType: entryType}
	objType      = objectOf(accountsAttrs)
	directSchema = &tfprotov6.Schema{Version: accountsVersion, Block: &tfprotov6.SchemaBlock{Attributes: protoAttributes(accountsAttrs)}}
)

// values are the attributes of an entry, or the resource's attributes
// besides its map, as the framework types the provider's models hold.
type values map[string]attr.Value

type directModel struct {
	null, accountsUnknown bool
	accounts              map[string]values
	top                   values
}

// i64, str and bl read a value as the framework type the provider's
// entries hold; tfI64, tfStr and tfBool write one back.
func i64(v tftypes.Value) (types.Int64, error) {
	if !v.IsKnown() {
		return types.Int64Unknown(), nil
	}
	if v.IsNull() {
		return types.Int64Null(), nil
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		return types.Int64{}, err
	}
	n, _ := f.Int64()
	return types.Int64Value(n), nil
}
func str(v tftypes.Value) (types.String, error) {
	if !v.IsKnown() {
		return types.StringUnknown(), nil
	}
	if v.IsNull() {
		return types.StringNull(), nil
	}
	var s string
	err := v.As(&s)
	return types.StringValue(s), err
}
func bl(v tftypes.Value) (types.Bool, error) {
	if !v.IsKnown() {
		return types.BoolUnknown(), nil
	}
	if v.IsNull() {
		return types.BoolNull(), nil
	}
	var b bool
	err := v.As(&b)
	return types.BoolValue(b), err
}

func tfI64(v types.Int64) tftypes.Value {
	switch {
	case v.IsUnknown():
		return tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	case v.IsNull():
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(v.ValueInt64()))
}
func tfStr(v types.String) tftypes.Value {
	switch {
	case v.IsUnknown():
		return tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	case v.IsNull():
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, v.ValueString())
}
func tfBool(v types.Bool) tftypes.Value {
	switch {
	case v.IsUnknown():
		return tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)
	case v.IsNull():
		return tftypes.NewValue(tftypes.Bool, nil)
	}
	return tftypes.NewValue(tftypes.Bool, v.ValueBool())
}

// decodeValue reads v as the framework value of a's kind.
func decodeValue(a attrSpec, v tftypes.Value) (attr.Value, error) {
	switch a.kind {
	case kindNumber:
		return i64(v)
	case kindBool:
		return bl(v)
	case kindString:
		return str(v)
	}
	return nil, fmt.Errorf("%s: not a primitive", a.name)
}

// encodeValue writes a framework value of a's kind back (decodeValue made
// it).
func encodeValue(v attr.Value) tftypes.Value {
	switch v := v.(type) {
	case types.Int64:
		return tfI64(v)
	case types.Bool:
		return tfBool(v)
	case types.String:
		return tfStr(v)
	}
	panic(fmt.Sprintf("benchnoop: a value of type %T", v))
}

// decodeEntry reads one entry of the map.
func decodeEntry(v tftypes.Value) (values, error) {
	var a map[string]tftypes.Value
	if err := v.As(&a); err != nil {
		return nil, err
	}
	e := make(values, len(entries.nested))
	errs := make([]error, 0, len(entries.nested))
	for _, n := range entries.nested {
		var err error
		e[n.name], err = decodeValue(n, a[n.name])
		errs = append(errs, err)
	}
	return e, errors.Join(errs...)
}

// value is e as a value of the map.
func (e values) value() tftypes.Value {
	m := make(map[string]tftypes.Value, len(entries.nested))
	for _, n := range entries.nested {
		m[n.name] = encodeValue(e[n.name])
	}
	return tftypes.NewValue(entryType, m)
}

// decodeModel reads a whole value of the resource (null when absent).
func decodeModel(dv *tfprotov6.DynamicValue) (directModel, error) {
	var m directModel
	if dv == nil {
		m.null = true
		return m, nil
	}
	v, err := dv.Unmarshal(objType)
	if err != nil {
		return m, err
	}
	if v.IsNull() {
		m.null = true
		return m, nil
	}
	var top map[string]tftypes.Value
	if err := v.As(&top); err != nil {
		return m, err
	}
	m.top = values{}
	for _, a := range accountsAttrs {
		if a.kind == kindEntries || a.kind == kindStringMap {
			continue // the map of entries below; passwords are write-only, never kept
		}
		if m.top[a.name], err = decodeValue(a, top[a.name]); err != nil {
			return m, err
		}
	}
	acc := top[entries.name]
	if !acc.IsKnown() {
		m.accountsUnknown = true
		return m, nil
	}
	var elems map[string]tftypes.Value
	if err := acc.As(&elems); err != nil {
		return m, err
	}
	m.accounts = make(map[string]values, len(elems))
	for k, ev := range elems {
		if !ev.IsKnown() {
			m.accountsUnknown = true
			return m, nil
		}
		e, err := decodeEntry(ev)
		if err != nil {
			return m, fmt.Errorf("%s: %w", k, err)
		}
		m.accounts[k] = e
	}
	return m, nil
}

// encode writes m, with the write-only passwords null.
func (m directModel) encode() (*tfprotov6.DynamicValue, error) {
	if m.null {
		dv, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, nil))
		return &dv, err
	}
	var acc tftypes.Value
	if m.accountsUnknown {
		acc = tftypes.NewValue(mapType, tftypes.UnknownValue)
	} else {
		elems := make(map[string]tftypes.Value, len(m.accounts))
		for k, e := range m.accounts {
			elems[k] = e.value()
		}
		acc = tftypes.NewValue(mapType, elems)
	}
	attrs := map[string]tftypes.Value{}
	for _, a := range accountsAttrs {
		switch a.kind {
		case kindEntries:
			attrs[a.name] = acc
		case kindStringMap:
			attrs[a.name] = tftypes.NewValue(a.tfType(), nil)
		default:
			attrs[a.name] = encodeValue(m.top[a.name])
		}
	}
	v := tftypes.NewValue(objType, attrs)
	dv, err := tfprotov6.NewDynamicValue(objType, v)
	return &dv, err
}

func diagErr(err error) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "benchnoop", Detail: err.Error()}}
}

func (directServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return &tfprotov6.GetMetadataResponse{Resources: []tfprotov6.ResourceMetadata{{TypeName: directType}},
		ServerCapabilities: &tfprotov6.ServerCapabilities{PlanDestroy: true, GetProviderSchemaOptional: true}}, nil
}
func (directServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return &tfprotov6.GetProviderSchemaResponse{ResourceSchemas: map[string]*tfprotov6.Schema{directType: directSchema},
		ServerCapabilities: &tfprotov6.ServerCapabilities{PlanDestroy: true, GetProviderSchemaOptional: true}}, nil
}
func (directServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}
func (directServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{}, nil
}
func (directServer) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}
func (directServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}
func (directServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (directServer) ValidateResourceConfig(_ context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	// The real resource checks keys and values here; decode to be fair.
	if _, err := decodeModel(req.Config); err != nil {
		return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: diagErr(err)}, nil
	}
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (directServer) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	v, err := req.RawState.UnmarshalWithOpts(objType, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: diagErr(err)}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(objType, v)
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: diagErr(err)}, nil
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (directServer) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	// The real resource decodes, refreshes and re-encodes only when
	// something changed.
	if _, err := decodeModel(req.CurrentState); err != nil {
		return &tfprotov6.ReadResourceResponse{Diagnostics: diagErr(err)}, nil
	}
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (directServer) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	proposed, err := decodeModel(req.ProposedNewState)
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: diagErr(err)}, nil
	}
	if proposed.null {
		return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
	}
	prior, err := decodeModel(req.PriorState)
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: diagErr(err)}, nil
	}
	for _, a := range accountsAttrs {
		if a.defaultTrue && proposed.top[a.name].IsNull() {
			proposed.top[a.name] = types.BoolValue(true)
		}
	}
	if !proposed.accountsUnknown {
		for k, e := range proposed.accounts {
			o, kept := prior.accounts[k]
			for _, n := range entries.nested {
				kept = kept && (n.optional || !o[n.name].IsNull())
			}
			for _, n := range entries.nested {
				switch {
				case n.defaultTrue && e[n.name].IsNull():
					e[n.name] = types.BoolValue(true)
				case n.computed && !n.optional && kept:
					e[n.name] = o[n.name]
				case n.computed && !n.optional:
					e[n.name] = unknownValue(n.kind)
				}
			}
		}
	}
	dv, err := proposed.encode()
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: diagErr(err)}, nil
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: dv, PlannedPrivate: req.PriorPrivate}, nil
}

func (directServer) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	planned, err := decodeModel(req.PlannedState)
	if err != nil {
		return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: diagErr(err)}, nil
	}
	if planned.null {
		return &tfprotov6.ApplyResourceChangeResponse{NewState: req.PlannedState}, nil
	}
	for _, e := range planned.accounts {
		for _, n := range entries.nested {
			if e[n.name].IsUnknown() {
				e[n.name] = decidedValue(n.kind)
			}
		}
	}
	dv, err := planned.encode()
	if err != nil {
		return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: diagErr(err)}, nil
	}
	return &tfprotov6.ApplyResourceChangeResponse{NewState: dv, Private: req.PlannedPrivate}, nil
}

func (directServer) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: diagErr(errors.New("no import"))}, nil
}

// unknownValue is a value of kind k not known until apply.
func unknownValue(k attrKind) attr.Value {
	switch k {
	case kindNumber:
		return types.Int64Unknown()
	case kindBool:
		return types.BoolUnknown()
	}
	return types.StringUnknown()
}
