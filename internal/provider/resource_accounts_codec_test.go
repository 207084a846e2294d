package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// codecEntries is n entries as state holds them: every second one with a
// customer and an expiry, the last a placeholder (a create that failed).
func codecEntries(n int) map[string]fleetEntry {
	out := make(map[string]fleetEntry, n)
	for i := range n {
		e := fleetEntry{CustomerID: types.Int64Null()}
		e.ID = types.Int64Value(int64(1000 + i))
		e.Enabled = types.BoolValue(i%3 != 0)
		e.ExpireAt = types.StringNull()
		if i%2 == 0 {
			e.CustomerID, e.ExpireAt = types.Int64Value(7), types.StringValue("2027-01-31")
		}
		e.Status, e.WgIP = types.StringValue("Active"), types.StringValue(fmt.Sprintf("10.8.0.%d", i%250))
		e.WgPublicKey = types.StringValue(fmt.Sprintf("%044d", i))
		e.Created, e.Updated = types.StringValue("2026-01-01 00:00:00"), types.StringValue("2026-01-02 00:00:00")
		if i == n-1 {
			e = e.asPlaceholder()
		}
		if i == n-2 {
			e.unknownComputed()
		}
		out[fmt.Sprintf("fleet-%05d", i)] = e
	}
	return out
}

// The attribute-by-attribute codec gives exactly what the framework's
// reflection gives, both ways.
func TestResourceAccounts_codecSameAsReflection(t *testing.T) {
	ctx := context.Background()
	entries := codecEntries(50)
	want, diags := types.MapValueFrom(ctx, fleetEntryType, entries)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := fleetMap(ctx, entries)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !got.Equal(want) {
		t.Fatalf("fleetMap differs from MapValueFrom:\n got %s\nwant %s", got, want)
	}
	nilWant, _ := types.MapValueFrom(ctx, fleetEntryType, map[string]fleetEntry(nil))
	if nilGot, _ := fleetMap(ctx, nil); !nilGot.Equal(nilWant) {
		t.Fatalf("fleetMap(nil) = %s, reflection gives %s", nilGot, nilWant)
	}

	back, known, diags := fleetEntries(ctx, got)
	if !known || diags.HasError() {
		t.Fatalf("fleetEntries: known %v, %v", known, diags)
	}
	for name, v := range want.Elements() {
		var viaReflection fleetEntry
		if d := v.(types.Object).As(ctx, &viaReflection, basetypes.ObjectAsOptions{}); d.HasError() {
			t.Fatal(d)
		}
		if back[name] != viaReflection {
			t.Fatalf("entry %s: got %+v, reflection gives %+v", name, back[name], viaReflection)
		}
	}
	if len(back) != len(entries) {
		t.Fatalf("got %d entries, want %d", len(back), len(entries))
	}

	// What the fast path does not expect goes through reflection, errors
	// included: a null entry cannot be read into an entry.
	withNull, _ := types.MapValue(fleetEntryType, map[string]attr.Value{"x": types.ObjectNull(fleetEntryType.AttrTypes)})
	var viaReflection fleetEntry
	wantDiags := types.ObjectNull(fleetEntryType.AttrTypes).As(ctx, &viaReflection, basetypes.ObjectAsOptions{})
	_, _, gotDiags := fleetEntries(ctx, withNull)
	if !gotDiags.Equal(wantDiags) {
		t.Fatalf("a null entry: got %v, reflection gives %v", gotDiags, wantDiags)
	}
	if _, known, _ := fleetEntries(ctx, types.MapUnknown(fleetEntryType)); known {
		t.Fatal("an unknown map decoded as known")
	}
}

// BenchmarkResourceAccounts_codec is the provider's own part of a fleet refresh or plan
// of 3,000 entries: decode the map, encode it again. Compare with
// BenchmarkResourceAccounts_codecByReflection, the way it was done before.
func BenchmarkResourceAccounts_codec(b *testing.B) {
	ctx := context.Background()
	m, _ := fleetMap(ctx, codecEntries(3000))
	b.ReportAllocs()
	for b.Loop() {
		entries, _, _ := fleetEntries(ctx, m)
		_, _ = fleetMap(ctx, entries)
	}
}

func BenchmarkResourceAccounts_codecByReflection(b *testing.B) {
	ctx := context.Background()
	m, _ := fleetMap(ctx, codecEntries(3000))
	b.ReportAllocs()
	for b.Loop() {
		entries := make(map[string]fleetEntry, len(m.Elements()))
		for name, v := range m.Elements() {
			var e fleetEntry
			_ = v.(types.Object).As(ctx, &e, basetypes.ObjectAsOptions{})
			entries[name] = e
		}
		_, _ = types.MapValueFrom(ctx, fleetEntryType, entries)
	}
}
