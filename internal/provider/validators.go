package provider

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// stringCheck is a validator.String from a description and a check that
// returns a problem ("" when the value is fine). Null and unknown values are
// left to other rules.
type stringCheck struct {
	desc  string
	check func(string) string
}

func (v stringCheck) Description(context.Context) string         { return v.desc }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.desc }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), problem)
	}
}

// dateValidator accepts a calendar date written YYYY-MM-DD.
func dateValidator() validator.String {
	return stringCheck{
		desc: "must be a date in the form YYYY-MM-DD",
		check: func(s string) string {
			if _, err := time.Parse(client.DateLayout, s); err != nil || len(s) != len(client.DateLayout) {
				return fmt.Sprintf("%q is not a date in the form YYYY-MM-DD, such as \"2027-01-31\".", s)
			}
			return ""
		},
	}
}

// emailValidator accepts a bare address such as jane@example.com.
func emailValidator() validator.String {
	return stringCheck{
		desc: "must be an email address",
		check: func(s string) string {
			addr, err := mail.ParseAddress(s)
			if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
				return fmt.Sprintf("%q is not an email address such as \"jane@example.com\".", s)
			}
			return ""
		},
	}
}

// notBlankValidator rejects empty and whitespace-only strings.
func notBlankValidator() validator.String {
	return stringCheck{
		desc: "must not be empty or blank",
		check: func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "The value must not be empty or only white space."
			}
			return ""
		},
	}
}

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL"
}
func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (baseURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	stringCheck{check: func(s string) string {
		if _, err := client.ParseBaseURL(s); err != nil {
			return err.Error() + "."
		}
		return ""
	}}.ValidateString(ctx, req, resp)
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	stringCheck{check: func(s string) string {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return fmt.Sprintf("%q is not a positive duration such as \"30s\" or \"2m\".", s)
		}
		return ""
	}}.ValidateString(ctx, req, resp)
}

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

// insecureRemote reports whether u is plain http to a host other than this
// machine (localhost or a loopback address).
func insecureRemote(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
