package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// What the framework's server does to a resource's values before and after
// the resource's own methods, for the schemas directServer serves, in one
// pass over each value: schema defaults, write-only attributes set to
// null, computed attributes left out of the configuration planned as
// unknown, and the attributes' validators and configuration rules. The
// framework does each of these as a walk of the whole value with a schema
// lookup at every step; this reads the schema once, up front.
//
// It covers what those schemas use: top-level attributes of the primitive
// and collection kinds, and map-nested attributes whose objects hold such
// attributes, with validators and static defaults. newDirectType refuses
// anything else (plan modifiers, blocks, custom types, other nestings), so
// a schema change that needs more fails the provider's tests, never a plan.

// directAttr is one attribute of a directly served schema.
type directAttr struct {
	name                                    string
	typ                                     attr.Type
	tf                                      tftypes.Type
	required, optional, computed, writeOnly bool
	deprecation                             string
	// validate runs the attribute's validators on its configured value.
	validate func(ctx context.Context, req validator.MapRequest, v attr.Value, diags *diag.Diagnostics)
	// def is the attribute's default (nil: none).
	def func(ctx context.Context, p path.Path) (attr.Value, diag.Diagnostics)
	// nested are the attributes of a map-nested attribute's objects, and
	// object their type.
	nested []*directAttr
	object tftypes.Object
}

// directAttrs reads the attributes of a schema, sorted by name.
func directAttrs(ctx context.Context, attrs map[string]schema.Attribute, nested bool) ([]*directAttr, error) {
	out := make([]*directAttr, 0, len(attrs))
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a, err := newDirectAttr(ctx, name, attrs[name], nested)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func newDirectAttr(ctx context.Context, name string, a schema.Attribute, nested bool) (*directAttr, error) {
	d := &directAttr{
		name: name, typ: a.GetType(), required: a.IsRequired(), optional: a.IsOptional(), computed: a.IsComputed(),
		writeOnly: a.IsWriteOnly(), deprecation: a.GetDeprecationMessage(),
	}
	d.tf = d.typ.TerraformType(ctx)
	switch {
	case !d.required && !d.optional && !d.computed:
		return nil, fmt.Errorf("neither required, optional nor computed")
	case d.writeOnly && (d.computed || d.required && d.optional):
		return nil, fmt.Errorf("write-only and computed, or both required and optional")
	}
	var custom any
	var planModifiers int
	switch a := a.(type) {
	case schema.BoolAttribute:
		custom, planModifiers = a.CustomType, len(a.PlanModifiers)
		d.validate = runValidators(a.Validators, func(v validator.Bool, ctx context.Context, r validator.MapRequest, val types.Bool, diags *diag.Diagnostics) {
			var resp validator.BoolResponse
			v.ValidateBool(ctx, validator.BoolRequest{Path: r.Path, PathExpression: r.PathExpression, Config: r.Config, ClientCapabilities: r.ClientCapabilities, ConfigValue: val}, &resp)
			diags.Append(resp.Diagnostics...)
		})
		if a.Default != nil {
			d.def = func(ctx context.Context, p path.Path) (attr.Value, diag.Diagnostics) {
				var resp defaults.BoolResponse
				a.Default.DefaultBool(ctx, defaults.BoolRequest{Path: p}, &resp)
				return resp.PlanValue, resp.Diagnostics
			}
		}
	case schema.Int64Attribute:
		custom, planModifiers = a.CustomType, len(a.PlanModifiers)
		d.validate = runValidators(a.Validators, func(v validator.Int64, ctx context.Context, r validator.MapRequest, val types.Int64, diags *diag.Diagnostics) {
			var resp validator.Int64Response
			v.ValidateInt64(ctx, validator.Int64Request{Path: r.Path, PathExpression: r.PathExpression, Config: r.Config, ClientCapabilities: r.ClientCapabilities, ConfigValue: val}, &resp)
			diags.Append(resp.Diagnostics...)
		})
		if a.Default != nil {
			d.def = func(ctx context.Context, p path.Path) (attr.Value, diag.Diagnostics) {
				var resp defaults.Int64Response
				a.Default.DefaultInt64(ctx, defaults.Int64Request{Path: p}, &resp)
				return resp.PlanValue, resp.Diagnostics
			}
		}
	case schema.Float64Attribute:
		custom, planModifiers = a.CustomType, len(a.PlanModifiers)
		d.validate = runValidators(a.Validators, func(v validator.Float64, ctx context.Context, r validator.MapRequest, val types.Float64, diags *diag.Diagnostics) {
			var resp validator.Float64Response
			v.ValidateFloat64(ctx, validator.Float64Request{Path: r.Path, PathExpression: r.PathExpression, Config: r.Config, ClientCapabilities: r.ClientCapabilities, ConfigValue: val}, &resp)
			diags.Append(resp.Diagnostics...)
		})
		if a.Default != nil {
			return nil, fmt.Errorf("a float64 default is not supported")
		}
	case schema.StringAttribute:
		custom, planModifiers = a.CustomType, len(a.PlanModifiers)
		d.validate = runValidators(a.Validators, func(v validator.String, ctx context.Context, r validator.MapRequest, val types.String, diags *diag.Diagnostics) {
			var resp validator.StringResponse
			v.ValidateString(ctx, validator.StringRequest{Path: r.Path, PathExpression: r.PathExpression, Config: r.Config, ClientCapabilities: r.ClientCapabilities, ConfigValue: val}, &resp)
			diags.Append(resp.Diagnostics...)
		})
		if a.Default != nil {
			d.def = func(ctx context.Context, p path.Path) (attr.Value, diag.Diagnostics) {
				var resp defaults.StringResponse
				a.Default.DefaultString(ctx, defaults.StringRequest{Path: p}, &resp)
				return resp.PlanValue, resp.Diagnostics
			}
		}
	case schema.MapAttribute:
		custom, planModifiers = a.CustomType, len(a.PlanModifiers)
		d.validate = runValidators(a.Validators, mapValidator)
		if a.Default != nil {
			return nil, fmt.Errorf("a map default is not supported")
		}
	case schema.MapNestedAttribute:
		if nested {
			return nil, fmt.Errorf("nested attributes within nested attributes are not supported")
		}
		o := a.NestedObject
		if a.CustomType != nil || o.CustomType != nil || len(a.PlanModifiers) > 0 || len(o.PlanModifiers) > 0 || len(o.Validators) > 0 || a.Default != nil {
			return nil, fmt.Errorf("custom types, plan modifiers, defaults and object validators of a map-nested attribute are not supported")
		}
		d.validate = runValidators(a.Validators, mapValidator)
		var err error
		if d.nested, err = directAttrs(ctx, o.Attributes, true); err != nil {
			return nil, err
		}
		elem, ok := d.tf.(tftypes.Map)
		if !ok {
			return nil, fmt.Errorf("its type is %s, not a map", d.tf)
		}
		if d.object, ok = elem.ElementType.(tftypes.Object); !ok {
			return nil, fmt.Errorf("its elements are %s, not objects", elem.ElementType)
		}
	default:
		return nil, fmt.Errorf("attributes of type %T are not supported", a)
	}
	if custom != nil {
		return nil, fmt.Errorf("custom types are not supported")
	}
	if planModifiers > 0 {
		return nil, fmt.Errorf("plan modifiers are not supported")
	}
	return d, nil
}

func mapValidator(v validator.Map, ctx context.Context, r validator.MapRequest, val types.Map, diags *diag.Diagnostics) {
	var resp validator.MapResponse
	r.ConfigValue = val
	v.ValidateMap(ctx, r, &resp)
	diags.Append(resp.Diagnostics...)
}

// runValidators returns the validate function of an attribute whose
// values are V (nil when it has no validator). validator.MapRequest
// carries the path, path expression and configuration every request type
// has.
func runValidators[T any, V attr.Value](vs []T, call func(T, context.Context, validator.MapRequest, V, *diag.Diagnostics)) func(context.Context, validator.MapRequest, attr.Value, *diag.Diagnostics) {
	if len(vs) == 0 {
		return nil
	}
	return func(ctx context.Context, r validator.MapRequest, v attr.Value, diags *diag.Diagnostics) {
		val, ok := v.(V)
		if !ok {
			diags.AddAttributeError(r.Path, "Value Conversion Error", fmt.Sprintf("Expected %T, got %T. This is a bug in the provider; please report it.", val, v))
			return
		}
		for _, one := range vs {
			call(one, ctx, r, val, diags)
		}
	}
}

// attrs returns the attributes of a known, non-null object value.
func attrs(v tftypes.Value) (map[string]tftypes.Value, error) {
	var m map[string]tftypes.Value
	err := v.As(&m)
	return m, err
}

// member is the value of an attribute of an object value: null when the
// object is null or unknown (as the framework reads a path below them).
func member(obj map[string]tftypes.Value, a *directAttr) tftypes.Value {
	if v, ok := obj[a.name]; ok {
		return v
	}
	return tftypes.NewValue(a.tf, nil)
}

// known reports whether v is known and not null: a value with elements or
// attributes to read.
func known(v tftypes.Value) bool { return v.IsKnown() && !v.IsNull() }

// validate checks a configuration against the schema as the framework's
// server does: required attributes set, read-only ones not set, write-only
// ones only from a client that supports them, then each attribute's
// validators, then the same for every object of a map-nested attribute.
func (t *directType) validate(ctx context.Context, config tfsdk.Config, writeOnlyAllowed bool, diags *diag.Diagnostics) {
	if !known(config.Raw) {
		return
	}
	top, err := attrs(config.Raw)
	if err != nil {
		diags.Append(errorDiag("Configuration Read Error", err)...)
		return
	}
	for _, a := range t.attrs {
		p := path.Root(a.name)
		v := member(top, a)
		var own diag.Diagnostics
		a.check(ctx, config, p, v, writeOnlyAllowed, &own)
		diags.Append(own...)
		// The framework walks into the objects only when the attribute
		// itself has no error.
		if a.nested == nil || !known(v) || own.HasError() {
			continue
		}
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			diags.Append(errorDiag("Configuration Read Error", err)...)
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(elems)) {
			var obj map[string]tftypes.Value
			if e := elems[key]; known(e) {
				if obj, err = attrs(e); err != nil {
					diags.Append(errorDiag("Configuration Read Error", err)...)
					continue
				}
			}
			for _, n := range a.nested {
				n.check(ctx, config, p.AtMapKey(key).AtName(n.name), member(obj, n), writeOnlyAllowed, diags)
			}
		}
	}
}

// check is the framework's AttributeValidate for one value.
func (a *directAttr) check(ctx context.Context, config tfsdk.Config, p path.Path, tv tftypes.Value, writeOnlyAllowed bool, diags *diag.Diagnostics) {
	v, err := a.typ.ValueFromTerraform(ctx, tv)
	if err != nil {
		diags.AddAttributeError(p, "Configuration Read Error", "An unexpected error was encountered trying to convert an "+
			"attribute value from the configuration. This is a bug in the provider; please report it.\n\nError: "+err.Error())
		return
	}
	null := v.IsNull()
	if a.computed && !a.optional && !null {
		diags.AddAttributeError(p, "Invalid Configuration for Read-Only Attribute",
			"Cannot set value for this attribute as the provider has marked it as read-only. Remove the configuration line setting the value.\n\n"+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable and read-only attributes that are supported.")
	}
	if a.required && null {
		diags.AddAttributeError(p, "Missing Configuration for Required Attribute",
			fmt.Sprintf("Must set a configuration value for the %s attribute as the provider has marked it as required.\n\n", p)+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable attributes that are required.")
	}
	if !writeOnlyAllowed && a.writeOnly && !null {
		diags.AddAttributeError(p, "WriteOnly Attribute Not Allowed",
			fmt.Sprintf("The resource contains a non-null value for WriteOnly attribute %s. Write-only attributes are only supported in Terraform 1.11 and later.", p))
	}
	if a.validate != nil {
		a.validate(ctx, validator.MapRequest{Path: p, PathExpression: p.Expression(), Config: config,
			ClientCapabilities: validator.ValidateSchemaClientCapabilities{WriteOnlyAttributesAllowed: writeOnlyAllowed}}, v, diags)
	}
	if a.deprecation != "" && !null && !v.IsUnknown() {
		diags.AddAttributeWarning(p, "Attribute Deprecated", a.deprecation)
	}
}

// prepare is what the framework's server does to Terraform's proposed new
// state before the resource's ModifyPlan: schema defaults where the
// configuration is null, write-only attributes null, and, when the plan
// changes anything (planned differs from prior), every computed attribute
// the configuration leaves null and that has no default unknown, for the
// resource to plan.
func (t *directType) prepare(ctx context.Context, proposed, config, prior tftypes.Value, diags *diag.Diagnostics) tftypes.Value {
	planned := t.rewrite(ctx, proposed, config, passDefaults, diags)
	if diags.HasError() || planned.Equal(prior) {
		return planned
	}
	return t.rewrite(ctx, planned, config, passUnknowns, diags)
}

// rewritePass is what one rewrite of a value does.
type rewritePass int

const (
	passDefaults  rewritePass = iota // schema defaults, and write-only attributes null
	passUnknowns                     // computed attributes left out of the configuration unknown
	passWriteOnly                    // write-only attributes null
)

// rewrite is one pass over a planned or new value. It returns v itself
// when nothing changes.
func (t *directType) rewrite(ctx context.Context, v, config tftypes.Value, pass rewritePass, diags *diag.Diagnostics) tftypes.Value {
	if !known(v) {
		return v
	}
	top, err := attrs(v)
	if err != nil {
		diags.Append(errorDiag("Plan Modification Error", err)...)
		return v
	}
	var cfg map[string]tftypes.Value
	if known(config) {
		if cfg, err = attrs(config); err != nil {
			diags.Append(errorDiag("Plan Modification Error", err)...)
			return v
		}
	}
	attrsOut := cowMap{m: top}
	for _, a := range t.attrs {
		cv, inConfig := cfg[a.name]
		if nv, ok := a.rewrite(ctx, path.Root(a.name), attrsOut.m[a.name], cv, inConfig, pass, diags); ok {
			attrsOut.set(a.name, nv)
		}
		if a.nested == nil || !known(attrsOut.m[a.name]) {
			continue
		}
		if m, ok := a.rewriteElements(ctx, attrsOut.m[a.name], cv, pass, diags); ok {
			attrsOut.set(a.name, m)
		}
	}
	if !attrsOut.changed {
		return v
	}
	return tftypes.NewValue(v.Type(), attrsOut.m)
}

// cowMap is the attributes or elements of a value as As hands them out: the
// value's own map, not a copy. It is copied before its first write.
type cowMap struct {
	m       map[string]tftypes.Value
	changed bool
}

func (c *cowMap) set(k string, v tftypes.Value) {
	if !c.changed {
		c.m, c.changed = maps.Clone(c.m), true
	}
	c.m[k] = v
}

// rewriteElements applies rewrite to the attributes of every object of a
// map-nested attribute's planned value m, whose configured value is cm.
func (a *directAttr) rewriteElements(ctx context.Context, m, cm tftypes.Value, pass rewritePass, diags *diag.Diagnostics) (tftypes.Value, bool) {
	var elems, cfg map[string]tftypes.Value
	if err := m.As(&elems); err != nil {
		diags.Append(errorDiag("Plan Modification Error", err)...)
		return m, false
	}
	if known(cm) {
		if err := cm.As(&cfg); err != nil {
			diags.Append(errorDiag("Plan Modification Error", err)...)
			return m, false
		}
	}
	out := cowMap{m: elems}
	for key, e := range elems {
		if !known(e) {
			continue
		}
		obj, err := attrs(e)
		if err != nil {
			diags.Append(errorDiag("Plan Modification Error", err)...)
			return m, false
		}
		ce, inConfig := cfg[key]
		var cobj map[string]tftypes.Value
		if known(ce) {
			if cobj, err = attrs(ce); err != nil {
				diags.Append(errorDiag("Plan Modification Error", err)...)
				return m, false
			}
		}
		o := cowMap{m: obj}
		for _, n := range a.nested {
			// Below a configured object that is null or unknown, the
			// framework reads null; where the configuration has no such
			// object at all, it marks nothing unknown.
			cv, ok := cobj[n.name]
			if !ok {
				cv = tftypes.NewValue(n.tf, nil)
			}
			if nv, ok := n.rewrite(ctx, path.Root(a.name).AtMapKey(key).AtName(n.name), obj[n.name], cv, inConfig, pass, diags); ok {
				o.set(n.name, nv)
			}
		}
		if o.changed {
			out.set(key, tftypes.NewValue(a.object, o.m))
		}
	}
	if !out.changed {
		return m, false
	}
	return tftypes.NewValue(m.Type(), out.m), true
}

// rewrite is one attribute's part of prepare: its new planned value and
// whether it changes. configured is the attribute's configured value
// (inConfig false: its object is missing from the configuration).
func (a *directAttr) rewrite(ctx context.Context, p path.Path, planned, configured tftypes.Value, inConfig bool, pass rewritePass, diags *diag.Diagnostics) (tftypes.Value, bool) {
	configNull := !inConfig || configured.IsNull()
	switch {
	case pass != passUnknowns && a.writeOnly:
		if planned.IsNull() {
			return planned, false
		}
		return tftypes.NewValue(a.tf, nil), true
	case pass == passDefaults && a.def != nil && configNull:
		dv, d := a.def(ctx, p)
		if diags.Append(d...); d.HasError() {
			return planned, false
		}
		tv, err := dv.ToTerraformValue(ctx)
		if err != nil {
			diags.Append(errorDiag("Plan Modification Error", err)...)
			return planned, false
		}
		return tv, !tv.Equal(planned)
	case pass == passUnknowns && a.computed && a.def == nil && inConfig && configured.IsNull() && planned.IsKnown():
		return tftypes.NewValue(a.tf, tftypes.UnknownValue), true
	}
	return planned, false
}

// nullWriteOnly sets every write-only attribute of a new state to null, as
// the framework's server does after a create, update or read.
func (t *directType) nullWriteOnly(ctx context.Context, v tftypes.Value, diags *diag.Diagnostics) tftypes.Value {
	if !t.hasWriteOnly {
		return v
	}
	return t.rewrite(ctx, v, tftypes.NewValue(t.typ, nil), passWriteOnly, diags)
}
