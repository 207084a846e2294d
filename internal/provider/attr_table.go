package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// An object of the API (an account, a customer, a project) has one table
// of its attributes (accountAttrs, customerAttrs, projectAttrs): for each,
// its name, the type of its value, what it is (the one description every
// schema showing it gives), and how its value comes from the API's object.
// Every resource, data source, list resource and fleet entry holding the
// object reads the table: the schemas take names and descriptions from it,
// the models' fill copies the API's object through it, the fleet's entry
// type and codec are derived from it.
//
// The framework reads and writes a model through its fields' tfsdk tags,
// which Go cannot compute; each model's tags are bound to the table's rows
// once, when the package loads (bindModel), and a model whose tag names no
// row or whose field has another type than its row makes that fail, so a
// tag can only repeat a name the table declares.

// attrKind is the type of an attribute's value.
type attrKind int

const (
	kindString attrKind = iota
	kindBool
	kindInt64
)

// objectAttr is one row of an object's attribute table.
type objectAttr[O any] struct {
	name string
	kind attrKind
	// desc is what the value is, as every schema that shows the attribute
	// says it. A resource that takes the attribute as an argument adds what
	// setting it does.
	desc string
	// arg is what setting it does, for an attribute that resources take
	// as an argument (both account resources say the same of enabled).
	arg string
	// from is the value in the API's object; nil for an attribute that is
	// not in it (an account's customer_id).
	from func(*O) attr.Value
}

// argDesc is the description of the attribute as a resource's argument:
// what it is, what setting it does, then what this resource adds.
func (a objectAttr[O]) argDesc(more ...string) string {
	parts := []string{a.desc}
	for _, p := range append([]string{a.arg}, more...) {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// attrType is the framework type of the row's value.
func (a objectAttr[O]) attrType() attr.Type {
	switch a.kind {
	case kindBool:
		return types.BoolType
	case kindInt64:
		return types.Int64Type
	}
	return types.StringType
}

// rows lists the rows of a table: a struct of objectAttr fields. It panics
// on a field of another type: a programming error every test meets.
func rows[O any](table any) []objectAttr[O] {
	v := reflect.ValueOf(table)
	out := make([]objectAttr[O], 0, v.NumField())
	for i := range v.NumField() {
		r, ok := v.Field(i).Interface().(objectAttr[O])
		if !ok {
			panic(fmt.Sprintf("%s of %s is no attribute of this table", v.Type().Field(i).Name, v.Type()))
		}
		out = append(out, r)
	}
	return out
}

// boundField is a model's field that holds a row of the table.
type boundField[O any] struct {
	objectAttr[O]
	index []int
	typ   reflect.Type
	// id is true for an idValue field (an id of the custom type idType).
	id bool
}

// modelBinding is how a model struct M holds an object's attributes: the
// fields whose tfsdk tags name rows of the object's table.
type modelBinding[M, O any] struct {
	fields []boundField[O]
}

var idValueType = reflect.TypeFor[idValue]()

// bindModel binds M's tagged fields (embedded structs included) to the rows
// of table they name; other tags are M's own attributes. It panics when a
// field's type does not hold its row's kind: a programming error every test
// meets.
func bindModel[M, O any](table any) modelBinding[M, O] {
	byName := map[string]objectAttr[O]{}
	for _, r := range rows[O](table) {
		byName[r.name] = r
	}
	var b modelBinding[M, O]
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			at := append(append([]int{}, index...), i)
			tag := f.Tag.Get("tfsdk")
			if f.Anonymous && tag == "" {
				walk(f.Type, at)
				continue
			}
			r, ok := byName[strings.Split(tag, ",")[0]]
			if !ok {
				continue
			}
			want := reflect.TypeOf(r.attrType().ValueType(context.Background()))
			isID := f.Type == idValueType
			if f.Type != want && (!isID || r.kind != kindInt64) {
				panic(fmt.Sprintf("%s.%s holds %s, a %s attribute", reflect.TypeFor[M](), f.Name, r.name, want))
			}
			b.fields = append(b.fields, boundField[O]{objectAttr: r, index: at, typ: f.Type, id: isID})
		}
	}
	walk(reflect.TypeFor[M](), nil)
	return b
}

// set puts v (of the row's kind) into the field.
func (f *boundField[O]) set(m reflect.Value, v attr.Value) {
	if n, ok := v.(types.Int64); ok && f.id {
		v = idValue{Int64Value: n}
	}
	m.FieldByIndex(f.index).Set(reflect.ValueOf(v))
}

// fill copies o's values into m: every bound attribute the API's object
// has.
func (b modelBinding[M, O]) fill(m *M, o *O) {
	rv := reflect.ValueOf(m).Elem()
	for i := range b.fields {
		if f := &b.fields[i]; f.from != nil {
			f.set(rv, f.from(o))
		}
	}
}

// newModel is the model M of o: every bound attribute the API's object has.
// It is how the data sources and list resources make their items.
func (b modelBinding[M, O]) newModel(o O) M {
	var m M
	b.fill(&m, &o)
	return m
}

// null sets the named attribute of m to null.
func (b modelBinding[M, O]) null(m *M, name string) {
	rv := reflect.ValueOf(m).Elem()
	for i := range b.fields {
		if f := &b.fields[i]; f.name == name {
			f.set(rv, nullOf(f.kind))
		}
	}
}

// nullAll sets every bound attribute of m to null.
func (b modelBinding[M, O]) nullAll(m *M) {
	rv := reflect.ValueOf(m).Elem()
	for i := range b.fields {
		b.fields[i].set(rv, nullOf(b.fields[i].kind))
	}
}

func nullOf(k attrKind) attr.Value {
	switch k {
	case kindBool:
		return types.BoolNull()
	case kindInt64:
		return types.Int64Null()
	}
	return types.StringNull()
}

// attrTypes are the framework types of M's bound attributes.
func (b modelBinding[M, O]) attrTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(b.fields))
	for _, f := range b.fields {
		out[f.name] = f.attrType()
		if f.id {
			out[f.name] = idType{}
		}
	}
	return out
}

// dataAttributes is the schema of M as the data sources and list resources
// show it: every bound attribute computed, described as the table says.
func (b modelBinding[M, O]) dataAttributes() map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(b.fields))
	for _, f := range b.fields {
		switch {
		case f.id:
			out[f.name] = dschema.Int64Attribute{Computed: true, CustomType: idType{}, MarkdownDescription: f.desc}
		case f.kind == kindBool:
			out[f.name] = dschema.BoolAttribute{Computed: true, MarkdownDescription: f.desc}
		case f.kind == kindInt64:
			out[f.name] = dschema.Int64Attribute{Computed: true, MarkdownDescription: f.desc}
		default:
			out[f.name] = dschema.StringAttribute{Computed: true, MarkdownDescription: f.desc}
		}
	}
	return out
}

// upTo255 is the length rule of the API's text fields.
const upTo255 = "Up to 255 characters (Unicode characters, not bytes)."

// fieldsOf points the API's errors about each attribute's field (the API
// names its fields as the attributes are named) at the attribute.
func fieldsOf[O any](attrs ...objectAttr[O]) fieldPaths {
	out := make(fieldPaths, len(attrs))
	for _, a := range attrs {
		out[a.name] = a.path()
	}
	return out
}

// computedString is a resource's attribute that only the API sets.
func computedString[O any](a objectAttr[O], modifiers ...planmodifier.String) rschema.StringAttribute {
	return rschema.StringAttribute{MarkdownDescription: a.desc, Computed: true, PlanModifiers: modifiers}
}

// decode reads the attributes of a known object value into m. It reports
// false when they are not exactly M's bound attributes, each of its field's
// type.
func (b modelBinding[M, O]) decode(m *M, attrs map[string]attr.Value) bool {
	if len(attrs) != len(b.fields) {
		return false
	}
	rv := reflect.ValueOf(m).Elem()
	for i := range b.fields {
		f := &b.fields[i]
		v, ok := attrs[f.name]
		if !ok || reflect.TypeOf(v) != f.typ {
			return false
		}
		rv.FieldByIndex(f.index).Set(reflect.ValueOf(v))
	}
	return true
}

// values are m's bound attributes, as an object value holds them.
func (b modelBinding[M, O]) values(m *M) map[string]attr.Value {
	rv := reflect.ValueOf(m).Elem()
	out := make(map[string]attr.Value, len(b.fields))
	for _, f := range b.fields {
		// Every bound field holds an attr.Value (bindModel).
		out[f.name], _ = rv.FieldByIndex(f.index).Interface().(attr.Value)
	}
	return out
}
