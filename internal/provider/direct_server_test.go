package provider

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// directServer answers exactly as the framework's own server does: the
// same protocol requests for vpnresellers_accounts, sent to the framework
// alone (New) and to NewServer, each against a mock API of its own in the
// same state, get the same answers (planned and new states, diagnostics
// with their paths, replacements, private state), through a whole life:
// validation, create, refresh, no-change and changing plans, protection,
// update, destroy, upgrade from schema version 0, import.

const fleetType = "vpnresellers_accounts"

// twinServers are the two servers under comparison.
type twinServers struct {
	t              *testing.T
	framework, mux *protoEnv
	typ            tftypes.Object
	entry          tftypes.Object
}

func newTwinServers(t *testing.T) *twinServers {
	t.Helper()
	fw := newProtoEnvWith(t, providerserver.NewProtocol6(New("test")())())
	direct := newProtoEnv(t)
	typ := direct.resourceType(fleetType).(tftypes.Object)
	if !typ.Equal(fw.resourceType(fleetType)) {
		t.Fatalf("the two servers give %s two types:\n%s\n%s", fleetType, typ, fw.resourceType(fleetType))
	}
	entry := typ.AttributeTypes["accounts"].(tftypes.Map).ElementType.(tftypes.Object)
	return &twinServers{t: t, framework: fw, mux: direct, typ: typ, entry: entry}
}

// fleetValue builds a value of the fleet's type. accounts maps a username
// to the entry's attributes (absent ones null); nil accounts is a null map.
func (tw *twinServers) fleetValue(accounts map[string]map[string]any, passwords map[string]string, version, protection any) tftypes.Value {
	tw.t.Helper()
	strMap := tftypes.Map{ElementType: tftypes.String}
	pw := tftypes.NewValue(strMap, nil)
	if passwords != nil {
		m := map[string]tftypes.Value{}
		for k, v := range passwords {
			m[k] = tftypes.NewValue(tftypes.String, v)
		}
		pw = tftypes.NewValue(strMap, m)
	}
	accType := tftypes.Map{ElementType: tw.entry}
	acc := tftypes.NewValue(accType, nil)
	if accounts != nil {
		m := map[string]tftypes.Value{}
		for name, e := range accounts {
			attrs := map[string]tftypes.Value{}
			for an, at := range tw.entry.AttributeTypes {
				attrs[an] = goValue(at, e[an])
			}
			m[name] = tftypes.NewValue(tw.entry, attrs)
		}
		acc = tftypes.NewValue(accType, m)
	}
	return tftypes.NewValue(tw.typ, map[string]tftypes.Value{
		"accounts":             acc,
		"passwords_wo":         pw,
		"passwords_wo_version": goValue(tftypes.Number, version),
		"deletion_protection":  goValue(tftypes.Bool, protection),
	})
}

// unknown stands for an unknown value in fleetValue's arguments.
type unknown struct{}

func goValue(typ tftypes.Type, v any) tftypes.Value {
	switch v := v.(type) {
	case nil:
		return tftypes.NewValue(typ, nil)
	case unknown:
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	case int:
		return tftypes.NewValue(typ, big.NewFloat(float64(v)))
	case int64:
		return tftypes.NewValue(typ, new(big.Float).SetInt64(v))
	}
	return tftypes.NewValue(typ, v)
}

func (tw *twinServers) dv(v tftypes.Value) *tfprotov6.DynamicValue {
	tw.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(tw.typ, v)
	if err != nil {
		tw.t.Fatal(err)
	}
	return &dv
}

func (tw *twinServers) value(dv *tfprotov6.DynamicValue) tftypes.Value {
	tw.t.Helper()
	if dv == nil {
		return tftypes.NewValue(tw.typ, nil)
	}
	v, err := dv.Unmarshal(tw.typ)
	if err != nil {
		tw.t.Fatal(err)
	}
	return v
}

// proposedNew is Terraform's proposed new state for this schema: the
// configuration, with the prior values of computed attributes the
// configuration leaves null, and write-only attributes null.
func (tw *twinServers) proposedNew(prior, config tftypes.Value) tftypes.Value {
	tw.t.Helper()
	if config.IsNull() {
		return config
	}
	var cfg, pri map[string]tftypes.Value
	must(tw.t, config.As(&cfg))
	if !prior.IsNull() {
		must(tw.t, prior.As(&pri))
	}
	out := map[string]tftypes.Value{}
	for k, v := range cfg {
		out[k] = v
	}
	out["passwords_wo"] = tftypes.NewValue(cfg["passwords_wo"].Type(), nil)
	if out["deletion_protection"].IsNull() && pri != nil {
		out["deletion_protection"] = pri["deletion_protection"]
	}
	if acc := cfg["accounts"]; acc.IsKnown() && !acc.IsNull() {
		var elems, priorElems map[string]tftypes.Value
		must(tw.t, acc.As(&elems))
		if pri != nil && pri["accounts"].IsKnown() && !pri["accounts"].IsNull() {
			must(tw.t, pri["accounts"].As(&priorElems))
		}
		newElems := map[string]tftypes.Value{}
		for name, e := range elems {
			var ea, pa map[string]tftypes.Value
			must(tw.t, e.As(&ea))
			if pe, ok := priorElems[name]; ok {
				must(tw.t, pe.As(&pa))
			}
			attrs := map[string]tftypes.Value{}
			for an, at := range tw.entry.AttributeTypes {
				v := ea[an]
				computed := an != "customer_id" && an != "expire_at"
				if computed && v.IsNull() {
					v = tftypes.NewValue(at, nil)
					if pa != nil {
						v = pa[an]
					}
				}
				attrs[an] = v
			}
			newElems[name] = tftypes.NewValue(tw.entry, attrs)
		}
		out["accounts"] = tftypes.NewValue(acc.Type(), newElems)
	}
	return tftypes.NewValue(tw.typ, out)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// apiDecided are the attributes whose values the API picks, differently in
// the two mocks: ids and addresses follow the order of the creates, which
// run side by side.
var apiDecided = map[string]bool{"id": true, "wg_ip": true, "wg_public_key": true, "created": true, "updated": true}

// same fails unless a and b, the two servers' answers, are the same:
// equal values once what the API picks is blanked (apiDecided), and the
// same diagnostics in any order.
func (tw *twinServers) same(what string, a, b any) {
	tw.t.Helper()
	if sa, sb := tw.describe(a), tw.describe(b); sa != sb {
		tw.t.Errorf("%s: the framework answered\n%s\nNewServer answered\n%s", what, sa, sb)
	}
}

// describe renders an answer for comparison.
func (tw *twinServers) describe(x any) string {
	var b strings.Builder
	switch r := x.(type) {
	case *tfprotov6.ValidateResourceConfigResponse:
		tw.diags(&b, r.Diagnostics)
	case *tfprotov6.PlanResourceChangeResponse:
		fmt.Fprintf(&b, "planned: %s\nprivate: %s\nreplace: %v\n", tw.render(r.PlannedState), renderPrivate(r.PlannedPrivate), r.RequiresReplace)
		tw.diags(&b, r.Diagnostics)
	case *tfprotov6.ApplyResourceChangeResponse:
		fmt.Fprintf(&b, "new: %s\nprivate: %s\n", tw.render(r.NewState), r.Private)
		tw.diags(&b, r.Diagnostics)
	case *tfprotov6.ReadResourceResponse:
		fmt.Fprintf(&b, "new: %s\nprivate: %s\n", tw.render(r.NewState), r.Private)
		tw.diags(&b, r.Diagnostics)
	case *tfprotov6.UpgradeResourceStateResponse:
		fmt.Fprintf(&b, "upgraded: %s\n", tw.render(r.UpgradedState))
		tw.diags(&b, r.Diagnostics)
	case *tfprotov6.ImportResourceStateResponse:
		for _, ir := range r.ImportedResources {
			fmt.Fprintf(&b, "imported %s: %s\nprivate: %s\n", ir.TypeName, tw.render(ir.State), ir.Private)
		}
		tw.diags(&b, r.Diagnostics)
	default:
		return fmt.Sprintf("%#v", x)
	}
	return b.String()
}

// renderPrivate is private state with the ids of the planned-deletes note
// (privatePlannedDeletes) counted, not listed: each side's mock numbers
// the objects of a fleet in the order its creates happened to finish.
func renderPrivate(b []byte) string {
	var keys map[string][]byte
	if json.Unmarshal(b, &keys) != nil {
		return string(b)
	}
	if note, ok := keys[privatePlannedDeletes]; ok {
		var byKind map[string]string
		if json.Unmarshal(note, &byKind) == nil {
			for kind, ids := range byKind {
				raw, _ := base64.RawStdEncoding.DecodeString(ids)
				n := 0
				for len(raw) > 0 {
					_, w := binary.Uvarint(raw)
					if w <= 0 {
						break
					}
					raw, n = raw[w:], n+1
				}
				byKind[kind] = fmt.Sprintf("(%d ids)", n)
			}
			keys[privatePlannedDeletes], _ = json.Marshal(byKind)
		}
	}
	out, _ := json.Marshal(keys)
	return string(out)
}

func (tw *twinServers) render(dv *tfprotov6.DynamicValue) string {
	if dv == nil {
		return "<none>"
	}
	v, err := tftypes.Transform(tw.value(dv), func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		steps := p.Steps()
		if n := len(steps); n > 0 && v.IsKnown() && !v.IsNull() {
			if name, ok := steps[n-1].(tftypes.AttributeName); ok && apiDecided[string(name)] {
				if v.Type().Is(tftypes.Number) {
					return tftypes.NewValue(v.Type(), 0), nil
				}
				return tftypes.NewValue(v.Type(), "(the API's)"), nil
			}
		}
		return v, nil
	})
	if err != nil {
		return err.Error()
	}
	return v.String()
}

func (tw *twinServers) diags(b *strings.Builder, ds []*tfprotov6.Diagnostic) {
	lines := make([]string, 0, len(ds))
	for _, d := range ds {
		lines = append(lines, fmt.Sprintf("%s at %v: %s: %s", d.Severity, d.Attribute, d.Summary, d.Detail))
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
}

// both sends one request to each server (req(0) to the framework, req(1)
// to NewServer: each carries on from its own answers) and compares the
// answers.
func both[Req any, Resp any](tw *twinServers, what string, call func(tfprotov6.ProviderServer, context.Context, *Req) (*Resp, error), req func(side int) *Req) [2]*Resp {
	tw.t.Helper()
	ctx := tw.t.Context()
	a, err := call(tw.framework.srv, ctx, req(0))
	must(tw.t, err)
	b, err := call(tw.mux.srv, ctx, req(1))
	must(tw.t, err)
	tw.same(what, a, b)
	return [2]*Resp{a, b}
}

func TestDirectServer_sameAnswersAsTheFramework(t *testing.T) {
	tw := newTwinServers(t)
	validate := func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
		return s.ValidateResourceConfig(ctx, r)
	}
	plan := func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
		return s.PlanResourceChange(ctx, r)
	}
	apply := func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
		return s.ApplyResourceChange(ctx, r)
	}
	read := func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
		return s.ReadResource(ctx, r)
	}
	wo := &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}

	// Validation, of a good configuration and of every rule.
	good := tw.fleetValue(map[string]map[string]any{"alice": {}, "bob": {"enabled": false, "expire_at": "2031-01-02", "customer_id": nil}},
		map[string]string{"alice": "alice-password", "bob": "bob-password"}, 1, nil)
	for name, cfg := range map[string]tftypes.Value{
		"good": good,
		"bad values": tw.fleetValue(map[string]map[string]any{" ": {}, "carol": {"customer_id": 0, "expire_at": "2031-13-45", "id": 5, "status": "x"}},
			map[string]string{"carol": "short"}, nil, nil),
		"unknown entries": tw.fleetValue(map[string]map[string]any{"dave": {"customer_id": unknown{}, "enabled": unknown{}}}, nil, unknown{}, unknown{}),
		"null accounts":   tw.fleetValue(nil, nil, nil, false),
	} {
		for _, caps := range []*tfprotov6.ValidateResourceConfigClientCapabilities{wo, nil} {
			both(tw, "validate "+name, validate, func(int) *tfprotov6.ValidateResourceConfigRequest {
				return &tfprotov6.ValidateResourceConfigRequest{TypeName: fleetType, Config: tw.dv(cfg), ClientCapabilities: caps}
			})
		}
	}

	// Create: plan, apply, refresh. Each side carries on from its own
	// answers (state[side]).
	null := tftypes.NewValue(tw.typ, nil)
	state := [2]tftypes.Value{null, null}
	planReq := func(config tftypes.Value, private []byte) func(int) *tfprotov6.PlanResourceChangeRequest {
		return func(side int) *tfprotov6.PlanResourceChangeRequest {
			return &tfprotov6.PlanResourceChangeRequest{TypeName: fleetType, PriorState: tw.dv(state[side]), Config: tw.dv(config),
				ProposedNewState: tw.dv(tw.proposedNew(state[side], config)), PriorPrivate: private}
		}
	}
	applyReq := func(config tftypes.Value, planned [2]*tfprotov6.PlanResourceChangeResponse) func(int) *tfprotov6.ApplyResourceChangeRequest {
		return func(side int) *tfprotov6.ApplyResourceChangeRequest {
			return &tfprotov6.ApplyResourceChangeRequest{TypeName: fleetType, PriorState: tw.dv(state[side]), Config: tw.dv(config),
				PlannedState: planned[side].PlannedState, PlannedPrivate: planned[side].PlannedPrivate}
		}
	}
	keep := func(a [2]*tfprotov6.ApplyResourceChangeResponse) {
		state = [2]tftypes.Value{tw.value(a[0].NewState), tw.value(a[1].NewState)}
	}
	keep(both(tw, "apply create", apply, applyReq(good, both(tw, "plan create", plan, planReq(good, nil)))))
	refreshed := both(tw, "read", read, func(side int) *tfprotov6.ReadResourceRequest {
		return &tfprotov6.ReadResourceRequest{TypeName: fleetType, CurrentState: tw.dv(state[side]), Private: []byte(`{"kept":"eyJhIjoxfQ=="}`)}
	})
	state = [2]tftypes.Value{tw.value(refreshed[0].NewState), tw.value(refreshed[1].NewState)}

	// Plans of no change, of changes, of changes protection refuses.
	both(tw, "plan no change", plan, planReq(good, nil))
	changed := tw.fleetValue(map[string]map[string]any{"alice": {"enabled": false}, "erin": {}},
		map[string]string{"alice": "alice-password", "erin": "erin-password"}, 1, nil)
	both(tw, "plan protected removal", plan, planReq(changed, nil))
	unprotected := tw.fleetValue(map[string]map[string]any{"alice": {"enabled": false, "expire_at": "2032-02-03"}, "erin": {}},
		map[string]string{"alice": "alice-password", "erin": "erin-password"}, 2, false)
	updatePlan := both(tw, "plan update", plan, planReq(unprotected, []byte(`{"note":"eyJiIjoyfQ=="}`)))
	both(tw, "plan unknown customer", plan, planReq(
		tw.fleetValue(map[string]map[string]any{"alice": {"customer_id": unknown{}}}, map[string]string{"alice": "alice-password"}, 1, false), nil))

	// Update, then destroy, refused and allowed.
	keep(both(tw, "apply update", apply, applyReq(unprotected, updatePlan)))
	both(tw, "plan destroy", plan, planReq(null, nil))
	nullPlan := &tfprotov6.PlanResourceChangeResponse{PlannedState: tw.dv(null)}
	keep(both(tw, "apply destroy", apply, applyReq(null, [2]*tfprotov6.PlanResourceChangeResponse{nullPlan, nullPlan})))
	state = [2]tftypes.Value{tw.fleetValue(nil, nil, nil, true), tw.fleetValue(nil, nil, nil, true)}
	both(tw, "plan destroy of nothing", plan, planReq(null, nil))

	// Upgrades: from version 0 (through the framework on both sides), of
	// the current version (one with an attribute the schema no longer has),
	// and of a state that does not fit.
	upgrade := func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
		return s.UpgradeResourceState(ctx, r)
	}
	for name, raw := range map[string]struct {
		version int64
		json    string
	}{
		"upgrade from 0": {0, `{"accounts":{"zed":{"customer_id":null,"enabled":true,"expire_at":null,"id":7,"status":"Active","wg_ip":"10.0.0.2","wg_public_key":"k","created":"c","updated":"u"}},"passwords_wo":null,"passwords_wo_version":null}`},
		"upgrade of 1":   {1, `{"accounts":{"zed":{"customer_id":3,"enabled":false,"expire_at":"2030-01-01","id":7,"status":"Disabled","wg_ip":"10.0.0.2","wg_public_key":"k","created":"c","updated":"u","gone":1}},"passwords_wo":null,"passwords_wo_version":2,"deletion_protection":false,"old":"x"}`},
		"bad upgrade":    {1, `{"accounts":{"zed":{"id":"seven"}}}`},
	} {
		both(tw, name, upgrade, func(int) *tfprotov6.UpgradeResourceStateRequest {
			return &tfprotov6.UpgradeResourceStateRequest{TypeName: fleetType, Version: raw.version, RawState: &tfprotov6.RawState{JSON: []byte(raw.json)}}
		})
	}
	both(tw, "import", func(s tfprotov6.ProviderServer, ctx context.Context, r *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
		return s.ImportResourceState(ctx, r)
	}, func(int) *tfprotov6.ImportResourceStateRequest {
		return &tfprotov6.ImportResourceStateRequest{TypeName: fleetType, ID: "alice,erin"}
	})
}

// The provider's private state keys travel through directServer as through
// the framework: a framework ProviderData made by newProviderData takes
// them (SetKey), hands them to a resource (GetKey), and gives back what the
// resource left (providerKeys, which reads the framework's field: this
// fails if an upgrade of the framework changes it).
func TestProvider_privateRoundTrip(t *testing.T) {
	ctx := t.Context()
	ps, d := parsePrivate([]byte(`{"note":"eyJhIjoxfQ==",".framework":"e30="}`))
	if d.HasError() {
		t.Fatal(d)
	}
	var resp resource.ReadResponse
	resp.Private = newProviderData(resp.Private)
	if d := providerPrivate(ctx, ps, resp.Private); d.HasError() {
		t.Fatal(d)
	}
	if got, _ := resp.Private.GetKey(ctx, "note"); string(got) != `{"a":1}` {
		t.Errorf("GetKey(note) = %s, want {\"a\":1}", got)
	}
	if d := resp.Private.SetKey(ctx, "more", []byte(`[1,2]`)); d.HasError() {
		t.Fatal(d)
	}
	keys, d := readPrivate(resp.Private)
	if d.HasError() {
		t.Fatal(d)
	}
	ps.provider = keys
	out, d := ps.bytes()
	if d.HasError() {
		t.Fatal(d)
	}
	if want := `{".framework":"e30=","more":"WzEsMl0=","note":"eyJhIjoxfQ=="}`; string(out) != want {
		t.Errorf("private state %s, want %s", out, want)
	}
}
