package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/vpnconfig"
)

func newWireGuardConfigEncodeFunction() function.Function { return wireGuardConfigEncodeFunction{} }

type wireGuardConfigEncodeFunction struct{}

func (wireGuardConfigEncodeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "wireguard_config_encode"
}

func (wireGuardConfigEncodeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Write a WireGuard configuration file from an object",
		MarkdownDescription: "Writes a WireGuard client configuration in the `wg-quick` format from an object of the shape " +
			"`wireguard_config_decode` returns: the inverse of that function, so that " +
			"`wireguard_config_decode(wireguard_config_encode(x)) == x` for every `x` it accepts. Use it to change a " +
			"configuration the API returned (another `DNS`, a `PersistentKeepalive`, split tunnelling through " +
			"`allowed_ips`) or to build one from other values.\n\n" +
			wgObjectDescription + "\n" +
			"Every attribute must be given, as Terraform requires for an object argument: `null` leaves out an " +
			"optional value, `[]` an empty list. The text has one `Key = Value` line per value, lists joined with " +
			"`, `, the `[Interface]` section first, then one `[Peer]` section per peer, in order.\n\n" +
			"**Errors** name the `config` argument and the attribute, such as `peers[1].endpoint`, never its value: " +
			"a null `private_key` or `public_key` or list, an empty string (use `null`), whitespace or `#` in a value " +
			"or a comma in a list item (the file could not be read back as given), a number that is not a whole " +
			"number in its range, two peers with the same `public_key`.\n\n" + functionMarksNote,
		Parameters: []function.Parameter{
			function.ObjectParameter{
				Name:                "config",
				MarkdownDescription: "The configuration, as `wireguard_config_decode` returns it.",
				AttributeTypes:      wgConfigAttrType,
			},
		},
		Return: function.StringReturn{},
	}
}

func (wireGuardConfigEncodeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var obj types.Object
	if resp.Error = req.Arguments.Get(ctx, &obj); resp.Error != nil {
		return
	}
	cfg, err := wireGuardFromObject(obj)
	var text string
	if err == nil {
		text, err = vpnconfig.EncodeWireGuard(cfg)
	}
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, text)
}

// wireGuardFromObject reads an object of wgConfigAttrType (which Terraform
// has converted the argument to, so every attribute is there, maybe null).
func wireGuardFromObject(obj types.Object) (*vpnconfig.WireGuard, error) {
	r := objectReader{}
	attrs := obj.Attributes()
	cfg := &vpnconfig.WireGuard{}
	if iface, ok := r.object("interface", attrs["interface"]); ok {
		cfg.Interface = vpnconfig.WireGuardInterface{
			PrivateKey: r.requiredString("interface.private_key", iface["private_key"]),
			Addresses:  r.strings("interface.addresses", iface["addresses"]),
			DNS:        r.strings("interface.dns", iface["dns"]),
			ListenPort: r.number("interface.listen_port", iface["listen_port"]),
			MTU:        r.number("interface.mtu", iface["mtu"]),
		}
	}
	peers, ok := attrs["peers"].(types.List)
	switch {
	case !ok || peers.IsNull():
		r.fail("peers", "must be a list ([] for none)")
	default:
		for i, v := range peers.Elements() {
			at := fmt.Sprintf("peers[%d]", i)
			p, ok := r.object(at, v)
			if !ok {
				continue
			}
			cfg.Peers = append(cfg.Peers, vpnconfig.WireGuardPeer{
				PublicKey:           r.requiredString(at+".public_key", p["public_key"]),
				PresharedKey:        r.optionalString(p["preshared_key"]),
				Endpoint:            r.optionalString(p["endpoint"]),
				AllowedIPs:          r.strings(at+".allowed_ips", p["allowed_ips"]),
				PersistentKeepalive: r.number(at+".persistent_keepalive", p["persistent_keepalive"]),
			})
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return cfg, nil
}

// objectReader reads the attributes of a function's object argument,
// keeping the first problem as a *vpnconfig.FieldError (a path and what is
// wrong, never the value).
type objectReader struct{ err error }

func (r *objectReader) fail(path, msg string) {
	if r.err == nil {
		r.err = &vpnconfig.FieldError{Path: path, Msg: msg}
	}
}

func (r *objectReader) object(path string, v attr.Value) (map[string]attr.Value, bool) {
	o, ok := v.(types.Object)
	if !ok || o.IsNull() || o.IsUnknown() {
		r.fail(path, "must not be null")
		return nil, false
	}
	return o.Attributes(), true
}

func (r *objectReader) requiredString(path string, v attr.Value) string {
	s, ok := v.(types.String)
	if !ok || s.IsNull() || s.IsUnknown() {
		r.fail(path, "must not be null")
		return ""
	}
	return s.ValueString()
}

func (r *objectReader) optionalString(v attr.Value) *string {
	s, ok := v.(types.String)
	if !ok || s.IsNull() || s.IsUnknown() {
		return nil
	}
	return s.ValueStringPointer()
}

func (r *objectReader) strings(path string, v attr.Value) []string {
	l, ok := v.(types.List)
	if !ok || l.IsNull() || l.IsUnknown() {
		r.fail(path, "must be a list ([] for none)")
		return nil
	}
	out := make([]string, 0, len(l.Elements()))
	for i, e := range l.Elements() {
		out = append(out, r.requiredString(fmt.Sprintf("%s[%d]", path, i), e))
	}
	return out
}

func (r *objectReader) number(path string, v attr.Value) *int64 {
	n, ok := v.(types.Number)
	if !ok || n.IsNull() || n.IsUnknown() {
		return nil
	}
	f := n.ValueBigFloat()
	if f == nil || !f.IsInt() {
		r.fail(path, "must be a whole number")
		return nil
	}
	i, _ := f.Int64() // clamped to the int64 range: the encoder's range check reports it
	return &i
}
