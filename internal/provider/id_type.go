package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// idType is the type of id attributes: an Int64 whose configuration value
// must be a whole number. Terraform passes 1.5 to an Int64 attribute as it
// is, and the framework reports it as an internal error of the provider;
// with idType it is an error on the attribute that says what is wrong.
type idType struct{ basetypes.Int64Type }

var (
	_ basetypes.Int64Typable                    = idType{}
	_ basetypes.Int64ValuableWithSemanticEquals = idValue{}
	_ xattr.ValidateableAttribute               = idValue{}
)

func (idType) Equal(o attr.Type) bool { _, ok := o.(idType); return ok }
func (idType) String() string         { return "idType" }

func (idType) ValueType(context.Context) attr.Value { return idValue{} }

func (idType) ValueFromInt64(_ context.Context, v basetypes.Int64Value) (basetypes.Int64Valuable, diag.Diagnostics) {
	return idValue{Int64Value: v}, nil
}

func (t idType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if in.Type() != nil && in.IsKnown() && !in.IsNull() {
		var f big.Float
		if err := in.As(&f); err == nil && !f.IsInt() {
			return idValue{Int64Value: types.Int64Unknown(), fractional: f.Text('g', -1)}, nil
		}
	}
	v, err := t.Int64Type.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	iv, ok := v.(basetypes.Int64Value)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return idValue{Int64Value: iv}, nil
}

// idValue is a value of idType. A fractional configuration value is held
// as unknown, and ValidateAttribute reports it.
type idValue struct {
	basetypes.Int64Value
	fractional string
}

func idOf(n int64) idValue { return idValue{Int64Value: types.Int64Value(n)} }
func idNull() idValue      { return idValue{Int64Value: types.Int64Null()} }

func (idValue) Type(context.Context) attr.Type { return idType{} }

func (v idValue) Equal(o attr.Value) bool {
	ov, ok := o.(idValue)
	return ok && v.fractional == ov.fractional && v.Int64Value.Equal(ov.Int64Value)
}

func (v idValue) Int64SemanticEquals(_ context.Context, o basetypes.Int64Valuable) (bool, diag.Diagnostics) {
	ov, ok := o.(idValue)
	return ok && v.Equal(ov), nil
}

func (v idValue) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.fractional != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%s is not a whole number. Ids are whole numbers, such as 42.", v.fractional))
	}
}
