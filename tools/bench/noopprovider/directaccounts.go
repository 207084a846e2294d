package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"

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
	entryType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"customer_id": tftypes.Number, "enabled": tftypes.Bool, "expire_at": tftypes.String,
		"id": tftypes.Number, "status": tftypes.String, "wg_ip": tftypes.String,
		"wg_public_key": tftypes.String, "created": tftypes.String, "updated": tftypes.String,
	}}
	mapType      = tftypes.Map{ElementType: entryType}
	objType      = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"accounts": mapType, "passwords_wo": tftypes.Map{ElementType: tftypes.String}, "passwords_wo_version": tftypes.Number, "deletion_protection": tftypes.Bool}}
	directNextID atomic.Int64
	directSchema = &tfprotov6.Schema{Version: 1, Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{
		{Name: "accounts", Required: true, NestedType: &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeMap, Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "created", Type: tftypes.String, Computed: true},
			{Name: "customer_id", Type: tftypes.Number, Optional: true},
			{Name: "enabled", Type: tftypes.Bool, Optional: true, Computed: true},
			{Name: "expire_at", Type: tftypes.String, Optional: true},
			{Name: "id", Type: tftypes.Number, Computed: true},
			{Name: "status", Type: tftypes.String, Computed: true},
			{Name: "updated", Type: tftypes.String, Computed: true},
			{Name: "wg_ip", Type: tftypes.String, Computed: true},
			{Name: "wg_public_key", Type: tftypes.String, Computed: true},
		}}},
		{Name: "deletion_protection", Type: tftypes.Bool, Optional: true, Computed: true},
		{Name: "passwords_wo", Type: tftypes.Map{ElementType: tftypes.String}, Optional: true, Sensitive: true, WriteOnly: true},
		{Name: "passwords_wo_version", Type: tftypes.Number, Optional: true},
	}}}
)

type directEntry struct {
	CustomerID, ID                                        types.Int64
	Enabled                                               types.Bool
	ExpireAt, Status, WgIP, WgPublicKey, Created, Updated types.String
}

type directModel struct {
	null, accountsUnknown bool
	accounts              map[string]directEntry
	version               types.Int64
	protection            types.Bool
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

// decodeEntry reads one entry of the map.
func decodeEntry(v tftypes.Value) (e directEntry, err error) {
	var a map[string]tftypes.Value
	if err = v.As(&a); err != nil {
		return e, err
	}
	var errs [9]error
	e.CustomerID, errs[0] = i64(a["customer_id"])
	e.ID, errs[1] = i64(a["id"])
	e.Enabled, errs[2] = bl(a["enabled"])
	e.ExpireAt, errs[3] = str(a["expire_at"])
	e.Status, errs[4] = str(a["status"])
	e.WgIP, errs[5] = str(a["wg_ip"])
	e.WgPublicKey, errs[6] = str(a["wg_public_key"])
	e.Created, errs[7] = str(a["created"])
	e.Updated, errs[8] = str(a["updated"])
	return e, errors.Join(errs[:]...)
}

// value is e as a value of the map.
func (e directEntry) value() tftypes.Value {
	return tftypes.NewValue(entryType, map[string]tftypes.Value{
		"customer_id": tfI64(e.CustomerID), "id": tfI64(e.ID), "enabled": tfBool(e.Enabled),
		"expire_at": tfStr(e.ExpireAt), "status": tfStr(e.Status), "wg_ip": tfStr(e.WgIP),
		"wg_public_key": tfStr(e.WgPublicKey), "created": tfStr(e.Created), "updated": tfStr(e.Updated),
	})
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
	if m.version, err = i64(top["passwords_wo_version"]); err != nil {
		return m, err
	}
	if m.protection, err = bl(top["deletion_protection"]); err != nil {
		return m, err
	}
	acc := top["accounts"]
	if !acc.IsKnown() {
		m.accountsUnknown = true
		return m, nil
	}
	var elems map[string]tftypes.Value
	if err := acc.As(&elems); err != nil {
		return m, err
	}
	m.accounts = make(map[string]directEntry, len(elems))
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

// encode writes m, with passwords_wo null.
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
	v := tftypes.NewValue(objType, map[string]tftypes.Value{
		"accounts":             acc,
		"passwords_wo":         tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
		"passwords_wo_version": tfI64(m.version),
		"deletion_protection":  tfBool(m.protection),
	})
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
	if proposed.protection.IsNull() {
		proposed.protection = types.BoolValue(true)
	}
	if !proposed.accountsUnknown {
		for k, e := range proposed.accounts {
			if e.Enabled.IsNull() {
				e.Enabled = types.BoolValue(true)
			}
			if o, ok := prior.accounts[k]; ok && !o.ID.IsNull() {
				e.ID, e.WgIP, e.WgPublicKey, e.Created, e.Status, e.Updated = o.ID, o.WgIP, o.WgPublicKey, o.Created, o.Status, o.Updated
			} else {
				e.ID = types.Int64Unknown()
				e.Status, e.WgIP, e.WgPublicKey, e.Created, e.Updated = types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
			}
			proposed.accounts[k] = e
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
	for k, e := range planned.accounts {
		if e.ID.IsUnknown() {
			e.ID = types.Int64Value(directNextID.Add(1))
		}
		for _, s := range []*types.String{&e.Status, &e.WgIP, &e.WgPublicKey, &e.Created, &e.Updated} {
			if s.IsUnknown() {
				*s = types.StringValue("noop")
			}
		}
		planned.accounts[k] = e
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
