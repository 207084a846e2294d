package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/vpnconfig"
)

// Attribute types of the object that openvpn_config_decode returns.
var (
	ovpnRemoteAttrType = map[string]attr.Type{
		"host":  types.StringType,
		"port":  types.NumberType,
		"proto": types.StringType,
	}
	ovpnOptionAttrType = map[string]attr.Type{
		"name": types.StringType,
		"args": types.ListType{ElemType: types.StringType},
	}
	ovpnConfigAttrType = map[string]attr.Type{
		"remotes": types.ListType{ElemType: types.ObjectType{AttrTypes: ovpnRemoteAttrType}},
		"proto":   types.StringType,
		"dev":     types.StringType,
		"cipher":  types.StringType,
		"inline":  types.MapType{ElemType: types.StringType},
		"options": types.ListType{ElemType: types.ObjectType{AttrTypes: ovpnOptionAttrType}},
	}
)

func newOpenVPNConfigDecodeFunction() function.Function { return openVPNConfigDecodeFunction{} }

type openVPNConfigDecodeFunction struct{}

func (openVPNConfigDecodeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "openvpn_config_decode"
}

func (openVPNConfigDecodeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parse an OpenVPN configuration file into an object",
		MarkdownDescription: "Parses an OpenVPN client configuration (`.ovpn`), such as the `content` of the " +
			"`vpnresellers_openvpn_config` data source or ephemeral resource, into an object: the servers to " +
			"connect to, the protocol, the device, the cipher, and the inline certificates and keys as values " +
			"that other resources can take.\n\n" +
			"The object has these attributes:\n\n" +
			"- `remotes` (list of object): the servers, in the order OpenVPN tries them, each with\n" +
			"  - `host` (string);\n" +
			"  - `port` (number): the port given on its `remote` line, else the last `port` or `rport` directive, else 1194;\n" +
			"  - `proto` (string): the protocol given on its `remote` line, else the last `proto` directive, else `udp`.\n\n" +
			"  With `<connection>` blocks, one entry per block, which starts from the settings in force where it " +
			"opens (OpenVPN then ignores `remote` lines outside the blocks).\n" +
			"- `proto` (string): the last `proto` directive, `udp` when there is none.\n" +
			"- `dev` (string): the `dev` directive, such as `tun`; required.\n" +
			"- `cipher` (string or null): the `cipher` directive.\n" +
			"- `inline` (map of string): the inline blocks present, by tag name (`ca`, `cert`, `key`, `tls-auth`, " +
			"`tls-crypt`, `extra-certs`, …, every one but `<connection>`), each with the lines between its tags as " +
			"they are, each line ending in `\\n` (CRLF line ends become LF). Test for one with " +
			"`contains(keys(x.inline), \"tls-crypt\")`.\n" +
			"- `options` (list of object): every directive outside inline blocks, in order, as `name` (string, " +
			"without a leading `--`) and `args` (list of string, unquoted). Directives the object has no other " +
			"attribute for (`auth`, `verify-x509-name`, …) are kept here and not checked.\n\n" +
			"**The format** is read as `openvpn` reads it: lines may end in LF or CRLF; a word starting with `#` " +
			"or `;` starts a comment; arguments may be quoted (`\"…\"` with `\\\\`, `\\\"` and `\\ ` escapes, or `'…'`); " +
			"a line holding only `<tag>` opens an inline block, which ends at the first line starting with " +
			"`</tag>`; a later directive or block replaces an earlier one of the same name (`remote` adds a " +
			"server). **Errors**, which name the `text` argument and the line but never its content: no `dev`, a " +
			"`remote` without a host or with more than a host, a port and a protocol, a port that is not a whole " +
			"number from 1 to 65535, a protocol OpenVPN does not know, an inline block without its closing tag, a " +
			"`<connection>` block without a `remote`, an unclosed quotation mark, a backslash that escapes " +
			"anything but `\\`, `\"` or a space.\n\n" + functionMarksNote,
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "text",
				MarkdownDescription: "The configuration file's text.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: ovpnConfigAttrType},
	}
}

func (openVPNConfigDecodeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	if resp.Error = req.Arguments.Get(ctx, &text); resp.Error != nil {
		return
	}
	cfg, err := vpnconfig.DecodeOpenVPN(text)
	if err != nil {
		resp.Error = configTextError("OpenVPN", err)
		return
	}
	resp.Error = resp.Result.Set(ctx, openVPNObject(cfg))
}

// openVPNObject is cfg as the object of ovpnConfigAttrType.
func openVPNObject(cfg *vpnconfig.OpenVPN) types.Object {
	remoteType := types.ObjectType{AttrTypes: ovpnRemoteAttrType}
	remotes := make([]attr.Value, len(cfg.Remotes))
	for i, r := range cfg.Remotes {
		remotes[i] = types.ObjectValueMust(ovpnRemoteAttrType, map[string]attr.Value{
			"host":  types.StringValue(r.Host),
			"port":  numberValue(&r.Port),
			"proto": types.StringValue(r.Proto),
		})
	}
	optionType := types.ObjectType{AttrTypes: ovpnOptionAttrType}
	options := make([]attr.Value, len(cfg.Options))
	for i, o := range cfg.Options {
		options[i] = types.ObjectValueMust(ovpnOptionAttrType, map[string]attr.Value{
			"name": types.StringValue(o.Name),
			"args": stringList(o.Args),
		})
	}
	inline := make(map[string]attr.Value, len(cfg.Inline))
	for name, body := range cfg.Inline {
		inline[name] = types.StringValue(body)
	}
	return types.ObjectValueMust(ovpnConfigAttrType, map[string]attr.Value{
		"remotes": types.ListValueMust(remoteType, remotes),
		"proto":   types.StringValue(cfg.Proto),
		"dev":     types.StringValue(cfg.Dev),
		"cipher":  types.StringPointerValue(cfg.Cipher),
		"inline":  types.MapValueMust(types.StringType, inline),
		"options": types.ListValueMust(optionType, options),
	})
}
