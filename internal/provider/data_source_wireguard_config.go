package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// An account's WireGuard client configuration for a server, as a data
// source (here) and an ephemeral resource (ephemeral_wireguard_config.go):
// one spec behind both (config_file.go).

func newWireGuardConfigDataSource() datasource.DataSource {
	return &configFileDataSource[wireGuardConfigModel, *wireGuardConfigModel]{spec: wireGuardConfigSpec}
}

// wireGuardConfigModel is the model of the data source and the ephemeral
// resource alike.
type wireGuardConfigModel struct {
	ServerID  idValue `tfsdk:"server_id"`
	AccountID idValue `tfsdk:"account_id"`
	configFileModel
}

func (m *wireGuardConfigModel) ids() (int64, int64) {
	return m.ServerID.ValueInt64(), m.AccountID.ValueInt64()
}

var wireGuardConfigSpec = configFileSpec{
	typeSuffix: "_wireguard_config",
	key:        "account_id",
	keyDesc: "Numeric identifier of the account whose keys and address the configuration uses, such " +
		"as `vpnresellers_account.example.id`.",
	nameDesc: "Suggested file name, such as `wg0.conf`.",
	contentDesc: "The WireGuard client configuration file (`[Interface]` and `[Peer]` sections). " +
		"Sensitive: it holds the account's WireGuard private key.",
	sensitive: true,
	get: func(ctx context.Context, c *client.Client, serverID, accountID int64) (*client.VPNConfig, error) {
		return c.GetWireGuardConfig(ctx, serverID, accountID)
	},
	failure: func(serverID, accountID int64) string {
		return fmt.Sprintf("Unable to get the WireGuard configuration of account %d for server %d", accountID, serverID)
	},
	dataSourceDesc: "Fetches the WireGuard client configuration (`wg0.conf`) of an account for a server.\n\n" +
		"**The file holds the account's private key**, and a data source's result is stored in Terraform state " +
		"and in saved plan files, in clear text (`sensitive` only hides it from the CLI output). Use this data " +
		"source when you need the file as a stored value — on Terraform older than 1.10, or to pass it to a " +
		"resource argument that is not write-only (such as `local_sensitive_file.content`) — and keep the state " +
		"in an encrypted, access-controlled backend.\n\n" +
		"On Terraform 1.10 and later, prefer the `vpnresellers_wireguard_config` **ephemeral resource**: it " +
		"returns the same file but is never written to state or plan files.",
	ephemeralDesc: "Fetches the WireGuard client configuration (`wg0.conf`) of an account for a server " +
		"**without storing it**. The file holds the account's private key; ephemeral resources are never " +
		"written to Terraform state or plan files, and are fetched again on every plan and apply. Needs " +
		"Terraform 1.10 or later. This is the recommended way to render a customer's WireGuard configuration " +
		"in a pipeline.\n\n" +
		"Its values can be used only where Terraform allows ephemeral values: write-only arguments of " +
		"resources (Terraform 1.11 and later; for example to put the file into a secret manager), provider " +
		"configuration, provisioner and connection blocks, other ephemeral resources, ephemeral variables and " +
		"locals, and `ephemeral = true` outputs of child modules. They cannot go into an ordinary resource " +
		"argument, a data source or a non-ephemeral output.\n\n" +
		"Use the `vpnresellers_wireguard_config` **data source** instead only when the file must be a stored " +
		"value (Terraform older than 1.10, or an argument that is not write-only such as " +
		"`local_sensitive_file.content`); it then sits in state in clear text, key included. No resource " +
		"or other data source of this provider stores the private key.",
}
