package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// What directServer turns from and into the protocol's terms, as the
// framework's own server does: diagnostics, attribute paths and private
// state.

// protoDiags converts diagnostics, each with its attribute path.
func protoDiags(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityInvalid}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p, err := protoPath(ctx, wp.Path())
			if err != nil {
				pd.Detail += "\n\n(" + err.Error() + ")"
			}
			pd.Attribute = p
		}
		out = append(out, pd)
	}
	return out
}

// protoPath converts an attribute path.
func protoPath(ctx context.Context, p path.Path) (*tftypes.AttributePath, error) {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(s))
		case path.PathStepElementKeyString:
			tp = tp.WithElementKeyString(string(s))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return tp, fmt.Errorf("path %s: %w", p, err)
			}
			tp = tp.WithElementKeyValue(v)
		default:
			return tp, fmt.Errorf("path %s: unknown step %T", p, step)
		}
	}
	return tp, nil
}

// errorDiag is one error diagnostic.
func errorDiag(summary string, err error) diag.Diagnostics {
	var d diag.Diagnostics
	d.AddError(summary, err.Error()+"\n\nThis is a bug in the provider; please report it.")
	return d
}

// frameworkKey reports whether a private state key is the framework's own
// (they start with a full stop), not the provider's.
func frameworkKey(k string) bool { return strings.HasPrefix(k, ".") }

// privateState is a resource's private state: the provider's keys, which a
// resource reads and writes through the framework's ProviderData, and the
// framework's own, kept as they are. It is stored as one JSON object of
// byte strings, as the framework stores it.
type privateState struct {
	framework, provider map[string][]byte
}

// parsePrivate reads the private state of a request. Data the framework
// would discard (an SDK provider's older format) is discarded.
func parsePrivate(b []byte) (privateState, diag.Diagnostics) {
	var ps privateState
	if len(b) == 0 {
		return ps, nil
	}
	var m map[string][]byte
	if err := json.Unmarshal(b, &m); err != nil {
		if json.Unmarshal(b, new(map[string]any)) == nil {
			return ps, nil
		}
		return ps, errorDiag("Error Decoding Private State", err)
	}
	ps.framework, ps.provider = map[string][]byte{}, map[string][]byte{}
	for k, v := range m {
		if !utf8.Valid(v) || !json.Valid(v) {
			return privateState{}, errorDiag("Error Decoding Private State", fmt.Errorf("the value of key %q is not valid JSON", k))
		}
		if frameworkKey(k) {
			ps.framework[k] = v
		} else {
			ps.provider[k] = v
		}
	}
	return ps, nil
}

// bytes is the private state to answer: nil when it holds nothing.
func (ps privateState) bytes() ([]byte, diag.Diagnostics) {
	merged := map[string][]byte{}
	for _, m := range []map[string][]byte{ps.framework, ps.provider} {
		for k, v := range m {
			if len(v) > 0 {
				merged[k] = v
			}
		}
	}
	if len(merged) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return nil, errorDiag("Error Encoding Private State", err)
	}
	return b, nil
}

// providerPrivate fills pd, a new framework ProviderData (see
// newProviderData), with the provider's keys of ps.
func providerPrivate(ctx context.Context, ps privateState, pd interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	var diags diag.Diagnostics
	for k, v := range ps.provider {
		diags.Append(pd.SetKey(ctx, k, v)...)
	}
	return diags
}

// newProviderData returns a new, empty framework ProviderData (whose type
// lives in the framework's internal package: it is inferred from the field
// it is for, as in resp.Private = newProviderData(resp.Private)). Its
// SetKey and GetKey work as on one the framework made.
func newProviderData[T any](*T) *T { return new(T) }

// providerKeys reads back the keys of a framework ProviderData after a
// resource's method ran. The framework exports no way to list them, so
// they are read from its one field by reflection; TestProvider_privateRoundTrip
// fails if a framework upgrade changes that field.
func providerKeys(pd any) (map[string][]byte, error) {
	v := reflect.ValueOf(pd)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, nil
	}
	f := v.Elem().FieldByName("data")
	if !f.IsValid() || f.Kind() != reflect.Map || f.Type().Key().Kind() != reflect.String || f.Type().Elem() != reflect.TypeFor[[]byte]() {
		return nil, errors.New("the framework's private state data has an unexpected shape")
	}
	out := make(map[string][]byte, f.Len())
	for it := f.MapRange(); it.Next(); {
		out[it.Key().String()] = append([]byte(nil), it.Value().Bytes()...)
	}
	return out, nil
}
