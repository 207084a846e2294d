package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The OpenVPN client configuration of a server and a port, as a data source
// (here) and an ephemeral resource (ephemeral_openvpn_config.go): one spec
// behind both (config_file.go).

func newOpenVPNConfigDataSource() datasource.DataSource {
	return &configFileDataSource[openVPNConfigModel, *openVPNConfigModel]{spec: openVPNConfigSpec}
}

// openVPNConfigModel is the model of the data source and the ephemeral
// resource alike.
type openVPNConfigModel struct {
	ServerID idValue `tfsdk:"server_id"`
	PortID   idValue `tfsdk:"port_id"`
	configFileModel
}

func (m *openVPNConfigModel) ids() (int64, int64) {
	return m.ServerID.ValueInt64(), m.PortID.ValueInt64()
}

var openVPNConfigSpec = configFileSpec{
	typeSuffix: "_openvpn_config",
	key:        "port_id",
	keyDesc: "Numeric identifier of the port (protocol and port number) to connect on: an `id` from the " +
		"`vpnresellers_ports` data source (its `default_port_id` when any will do).",
	nameDesc: "Suggested file name, such as `NL-1194.ovpn`.",
	contentDesc: "The OpenVPN client configuration file. It holds no credentials: the client asks for the " +
		"account's username and password when it connects.",
	get: func(ctx context.Context, c *client.Client, serverID, portID int64) (*client.VPNConfig, error) {
		return c.GetOpenVPNConfig(ctx, serverID, portID)
	},
	failure: func(serverID, portID int64) string {
		return fmt.Sprintf("Unable to get the OpenVPN configuration for server %d and port %d", serverID, portID)
	},
	dataSourceDesc: "Fetches the OpenVPN client configuration (`.ovpn` file) for a server and a port, to hand " +
		"to your customers or write to disk (for example with `local_file`).\n\n" +
		"The file holds no secret — the OpenVPN client asks for the account's username and password — so this " +
		"data source, whose result is stored in Terraform state, is the usual choice. The " +
		"`vpnresellers_openvpn_config` ephemeral resource returns the same file without storing it " +
		"(Terraform 1.10 and later), for pipelines that keep every configuration file out of state.",
	ephemeralDesc: "Fetches the OpenVPN client configuration (`.ovpn` file) for a server and a port " +
		"**without storing it**: ephemeral resources are never written to Terraform state or plan files, and " +
		"are fetched again on every plan and apply. Needs Terraform 1.10 or later.\n\n" +
		"Its values can be used only where Terraform allows ephemeral values: write-only arguments of " +
		"resources (Terraform 1.11 and later), provider configuration, provisioner and connection blocks, " +
		"other ephemeral resources, ephemeral variables and locals, and `ephemeral = true` outputs of child " +
		"modules.\n\n" +
		"The OpenVPN file holds no secret (the client asks for the account's username and password), so the " +
		"`vpnresellers_openvpn_config` data source, whose result is stored in state, is usually simpler; use " +
		"this ephemeral resource when a pipeline must keep every client configuration out of state.",
}
