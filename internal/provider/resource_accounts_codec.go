package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// The accounts map of vpnresellers_accounts is read and written as framework
// values, attribute by attribute, not through the framework's reflection
// (Object.As, MapValueFrom): with thousands of entries, reflection into and
// out of fleetEntry was most of the provider's time in a no-change plan
// (`make bench-terraform MODE=fleet PROFILE=dir`). Anything the fast path
// does not expect (a null entry, a value of another type) goes through
// reflection as before, so the two paths give the same entries and errors.

// fleetEntries decodes the accounts map. ok is false when the map or one of
// its entries is not known yet.
func fleetEntries(ctx context.Context, m types.Map) (map[string]fleetEntry, bool, diag.Diagnostics) {
	if m.IsUnknown() {
		return nil, false, nil
	}
	elems := m.Elements()
	out := make(map[string]fleetEntry, len(elems))
	var diags diag.Diagnostics
	for name, v := range elems {
		obj, ok := v.(types.Object)
		if !ok || obj.IsUnknown() {
			return nil, false, diags
		}
		e, decoded := entryFromObject(obj)
		if !decoded {
			diags.Append(obj.As(ctx, &e, basetypes.ObjectAsOptions{})...)
		}
		out[name] = e
	}
	return out, true, diags
}

// entryFromObject reads a known entry's attributes; decoded is false when
// the object is null or an attribute is missing or of another type.
func entryFromObject(obj types.Object) (e fleetEntry, decoded bool) {
	if obj.IsNull() {
		return fleetEntry{}, false
	}
	if !fleetEntryBinding.decode(&e, obj.Attributes()) {
		return fleetEntry{}, false
	}
	return e, true
}

// object is e as the framework value of one entry of the map.
func (e fleetEntry) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(fleetEntryType.AttrTypes, fleetEntryBinding.values(&e))
}

// fleetMap encodes entries as the accounts map (null for a nil map, as
// reflection does).
func fleetMap(_ context.Context, entries map[string]fleetEntry) (types.Map, diag.Diagnostics) {
	if entries == nil {
		return types.MapNull(fleetEntryType), nil
	}
	elems := make(map[string]attr.Value, len(entries))
	var diags diag.Diagnostics
	for name, e := range entries {
		obj, d := e.object()
		diags.Append(d...)
		elems[name] = obj
	}
	if diags.HasError() {
		return types.MapNull(fleetEntryType), diags
	}
	m, d := types.MapValue(fleetEntryType, elems)
	diags.Append(d...)
	return m, diags
}
