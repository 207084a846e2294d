package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The schemas come from the provider itself: accounts_schema_gen.go
// (vpnresellers_accounts) and singles_schema_gen.go (the single resources)
// are written from the provider's schemas (which read the objects'
// attribute tables) by a test of internal/provider, which fails while they
// are out of date. Both no-call fleets, benchnoop_accounts and
// benchnoop_directaccounts, and the no-call single resources build their
// schemas, types and values from them; nothing here names an attribute.

// attrKind is the type of an attribute's value.
type attrKind int

const (
	kindString attrKind = iota
	kindNumber
	kindBool
	kindStringMap // a map of strings
	kindEntries   // a map of objects: the fleet's accounts
	kindBlock     // a single nested block (timeouts)
)

// attrSpec is one attribute of the generated schema.
type attrSpec struct {
	name                                               string
	kind                                               attrKind
	required, optional, computed, sensitive, writeOnly bool
	defaultTrue                                        bool       // a bool whose default is true
	nested                                             []attrSpec // the attributes of each entry (kindEntries) or of the block (kindBlock)
}

// singleSpec is the generated schema of one single resource.
type singleSpec struct {
	name     string // the type name after the provider's
	version  int64
	identity bool // the resource has the provider's identity: its numeric id
	attrs    []attrSpec
}

// entriesSpec is the map of entries among the resource's attributes.
func entriesSpec() attrSpec {
	for _, a := range accountsAttrs {
		if a.kind == kindEntries {
			return a
		}
	}
	panic("the generated schema has no map of entries")
}

// entryAttrTypes are the framework types of an entry's attributes.
func entryAttrTypes() map[string]attr.Type { return attrTypes(entriesSpec().nested) }

// attrTypes are the framework types of attrs.
func attrTypes(attrs []attrSpec) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for _, a := range attrs {
		out[a.name] = a.attrType()
	}
	return out
}

func (a attrSpec) attrType() attr.Type {
	switch a.kind {
	case kindNumber:
		return types.Int64Type
	case kindBool:
		return types.BoolType
	case kindStringMap:
		return types.MapType{ElemType: types.StringType}
	case kindEntries:
		return types.MapType{ElemType: types.ObjectType{AttrTypes: attrTypes(a.nested)}}
	case kindBlock:
		return types.ObjectType{AttrTypes: attrTypes(a.nested)}
	}
	return types.StringType
}

// tfType is the attribute's type in the protocol's terms.
func (a attrSpec) tfType() tftypes.Type { return a.attrType().TerraformType(context.Background()) }

// objectOf is the object type of attrs.
func objectOf(attrs []attrSpec) tftypes.Object {
	t := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
	for _, a := range attrs {
		t.AttributeTypes[a.name] = a.tfType()
	}
	return t
}

// frameworkAttributes is attrs as a framework schema: no validators, plan
// modifiers or descriptions.
func frameworkAttributes(attrs []attrSpec) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, a := range attrs {
		switch a.kind {
		case kindNumber:
			out[a.name] = schema.Int64Attribute{Required: a.required, Optional: a.optional, Computed: a.computed,
				Sensitive: a.sensitive, WriteOnly: a.writeOnly}
		case kindBool:
			b := schema.BoolAttribute{Required: a.required, Optional: a.optional, Computed: a.computed,
				Sensitive: a.sensitive, WriteOnly: a.writeOnly}
			if a.defaultTrue {
				b.Default = booldefault.StaticBool(true)
			}
			out[a.name] = b
		case kindStringMap:
			out[a.name] = schema.MapAttribute{ElementType: types.StringType, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, WriteOnly: a.writeOnly}
		case kindEntries:
			out[a.name] = schema.MapNestedAttribute{Required: a.required, Optional: a.optional, Computed: a.computed,
				NestedObject: schema.NestedAttributeObject{Attributes: frameworkAttributes(a.nested)}}
		default:
			out[a.name] = schema.StringAttribute{Required: a.required, Optional: a.optional, Computed: a.computed,
				Sensitive: a.sensitive, WriteOnly: a.writeOnly}
		}
	}
	return out
}

// protoAttributes is attrs as a protocol schema, sorted by name as the
// generated list is.
func protoAttributes(attrs []attrSpec) []*tfprotov6.SchemaAttribute {
	out := make([]*tfprotov6.SchemaAttribute, 0, len(attrs))
	for _, a := range attrs {
		p := &tfprotov6.SchemaAttribute{Name: a.name, Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, WriteOnly: a.writeOnly}
		if a.kind == kindEntries {
			p.NestedType = &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeMap, Attributes: protoAttributes(a.nested)}
		} else {
			p.Type = a.tfType()
		}
		out = append(out, p)
	}
	return out
}
