package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/vpnconfig"
)

// The functions read and write configuration text and never call the API,
// so they work without provider configuration (and before Configure).
// Terraform, not the provider, carries sensitivity and ephemerality over
// to their results: see functionMarksNote.

// functionMarksNote is the documentation of every function on what happens
// to a sensitive or ephemeral argument. Neither CLI sends marks to a
// provider (a marked value cannot be serialized); both wrap a provider
// function in a cty function whose parameters leave AllowMarked false:
// Terraform in internal/providers/functions.go (FunctionParam.ctyParameter,
// used by FunctionDecl.BuildFunction; read in v1.11.4), OpenTofu in
// internal/tofu/context_functions.go (providerFunctionParameter, "force cty
// to strip marks ahead of time and re-add them to the resulting object";
// v1.12.6). cty's Function.Call (go-cty function/function.go) then takes
// every argument's marks off with UnmarkDeep, calls the provider with the
// bare values, and puts all the marks collected on the whole result
// (retVal.WithMarks), or on the unknown result when an argument is unknown.
// Terraform's sensitive and ephemeral markers are both such marks. The
// TestFunction_*_sensitiveInSensitiveOut and _ephemeralInEphemeralOut tests
// show it through the CLI.
const functionMarksNote = "**Sensitive and ephemeral values.** Terraform (1.8 and later) and OpenTofu " +
	"(1.7 and later) call a provider function with its arguments' values only, and mark the **whole result** with " +
	"every mark its arguments carried, at any depth: if the argument is sensitive (such as the `content` of the " +
	"`vpnresellers_wireguard_config` data source), the whole result is sensitive, and so is every value taken " +
	"from it (an output of one needs `sensitive = true`, or `nonsensitive()` on a part you know is not secret); " +
	"if it is ephemeral (such as the `content` of the `vpnresellers_wireguard_config` ephemeral resource), the " +
	"whole result is ephemeral and can only go where ephemeral values may (write-only arguments, provider " +
	"blocks, ephemeral locals and outputs). The function itself cannot lift or add a mark, and writes no value to " +
	"logs or errors: errors name the line or field, never its text."

// Attribute types of the object that wireguard_config_decode returns and
// wireguard_config_encode takes.
var (
	wgStringList        = types.ListType{ElemType: types.StringType}
	wgInterfaceAttrType = map[string]attr.Type{
		"private_key": types.StringType,
		"addresses":   wgStringList,
		"dns":         wgStringList,
		"listen_port": types.NumberType,
		"mtu":         types.NumberType,
	}
	wgPeerAttrType = map[string]attr.Type{
		"public_key":           types.StringType,
		"preshared_key":        types.StringType,
		"endpoint":             types.StringType,
		"allowed_ips":          wgStringList,
		"persistent_keepalive": types.NumberType,
	}
	wgPeerType       = types.ObjectType{AttrTypes: wgPeerAttrType}
	wgConfigAttrType = map[string]attr.Type{
		"interface": types.ObjectType{AttrTypes: wgInterfaceAttrType},
		"peers":     types.ListType{ElemType: wgPeerType},
	}
)

// wgObjectDescription documents the object of both WireGuard functions.
const wgObjectDescription = "The object has two attributes:\n\n" +
	"- `interface`: the `[Interface]` section, an object of\n" +
	"  - `private_key` (string): `PrivateKey`, required;\n" +
	"  - `addresses` (list of string): every `Address`, in order (an empty list when there is none);\n" +
	"  - `dns` (list of string): every `DNS` server or search domain, in order;\n" +
	"  - `listen_port` (number or null): `ListenPort`, 0 to 65535;\n" +
	"  - `mtu` (number or null): `MTU`, 1 to 65535.\n" +
	"- `peers`: one object per `[Peer]` section, in order, of\n" +
	"  - `public_key` (string): `PublicKey`, required, one peer per key;\n" +
	"  - `preshared_key` (string or null): `PresharedKey`;\n" +
	"  - `endpoint` (string or null): `Endpoint`, such as `vpn.example.com:51820` (null for a peer that only connects in);\n" +
	"  - `allowed_ips` (list of string): every `AllowedIPs` entry, in order;\n" +
	"  - `persistent_keepalive` (number or null): `PersistentKeepalive` in seconds, 0 to 65535 (`off` reads as null).\n"

func newWireGuardConfigDecodeFunction() function.Function { return wireGuardConfigDecodeFunction{} }

type wireGuardConfigDecodeFunction struct{}

func (wireGuardConfigDecodeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "wireguard_config_decode"
}

func (wireGuardConfigDecodeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parse a WireGuard configuration file into an object",
		MarkdownDescription: "Parses a WireGuard client configuration in the `wg-quick` format, such as the `content` of " +
			"the `vpnresellers_wireguard_config` data source or ephemeral resource, into an object: the keys, " +
			"addresses and endpoints as values that other resources can take (a router's peer, a Kubernetes " +
			"secret, a secret store). `wireguard_config_encode` is its inverse.\n\n" +
			wgObjectDescription + "\n" +
			"**The format** is read as `wg` and `wg-quick` read it: lines may end in LF or CRLF; `#` starts a " +
			"comment anywhere on a line (`;` does not); section names and keys are case-insensitive; whitespace " +
			"around keys and values is ignored; `Address`, `DNS` and `AllowedIPs` are lists separated by commas " +
			"(or spaces) and add up when repeated; any other repeated key replaces the earlier one; a second " +
			"`[Interface]` section continues the first.\n\n" +
			"**Unknown keys are rejected**, so that a slip such as `AllowedIP` (for `AllowedIPs`) cannot silently drop a route. The " +
			"`wg-quick` keys the object has no attribute for (`Table`, `FwMark`, `SaveConfig`, `PreUp`, `PostUp`, " +
			"`PreDown`, `PostDown`) are accepted and left out of the result, so encoding a decoded configuration " +
			"drops them. Also an error: a missing `[Interface]` or `PrivateKey`, a `[Peer]` without `PublicKey` " +
			"or with the `PublicKey` of an earlier one, whitespace inside a value, a number out of range. The error " +
			"names the `text` argument and the line, not its content.\n\n" + functionMarksNote,
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "text",
				MarkdownDescription: "The configuration file's text.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: wgConfigAttrType},
	}
}

func (wireGuardConfigDecodeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	if resp.Error = req.Arguments.Get(ctx, &text); resp.Error != nil {
		return
	}
	cfg, err := vpnconfig.DecodeWireGuard(text)
	if err != nil {
		resp.Error = configTextError("WireGuard", err)
		return
	}
	resp.Error = resp.Result.Set(ctx, wireGuardObject(cfg))
}

// configTextError is the error of a decode function on its text argument:
// the line and what is wrong, never the line's text.
func configTextError(format string, err error) *function.FuncError {
	var e *vpnconfig.Error
	if errors.As(err, &e) && e.Line > 0 {
		return function.NewArgumentFuncError(0, fmt.Sprintf("line %d of the %s configuration: %s", e.Line, format, e.Msg))
	}
	return function.NewArgumentFuncError(0, fmt.Sprintf("not a usable %s configuration: %v", format, err))
}

// wireGuardObject is cfg as the object of wgConfigAttrType.
func wireGuardObject(cfg *vpnconfig.WireGuard) types.Object {
	iface := cfg.Interface
	peers := make([]attr.Value, len(cfg.Peers))
	for i, p := range cfg.Peers {
		peers[i] = types.ObjectValueMust(wgPeerAttrType, map[string]attr.Value{
			"public_key":           types.StringValue(p.PublicKey),
			"preshared_key":        types.StringPointerValue(p.PresharedKey),
			"endpoint":             types.StringPointerValue(p.Endpoint),
			"allowed_ips":          stringList(p.AllowedIPs),
			"persistent_keepalive": numberValue(p.PersistentKeepalive),
		})
	}
	return types.ObjectValueMust(wgConfigAttrType, map[string]attr.Value{
		"interface": types.ObjectValueMust(wgInterfaceAttrType, map[string]attr.Value{
			"private_key": types.StringValue(iface.PrivateKey),
			"addresses":   stringList(iface.Addresses),
			"dns":         stringList(iface.DNS),
			"listen_port": numberValue(iface.ListenPort),
			"mtu":         numberValue(iface.MTU),
		}),
		"peers": types.ListValueMust(wgPeerType, peers),
	})
}

// stringList is a known list of strings, empty rather than null.
func stringList(items []string) types.List {
	vals := make([]attr.Value, len(items))
	for i, s := range items {
		vals[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vals)
}

// numberValue is *n as a number, null for nil.
func numberValue(n *int64) types.Number {
	if n == nil {
		return types.NumberNull()
	}
	return types.NumberValue(new(big.Float).SetInt64(*n))
}
