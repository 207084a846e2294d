package provider

import "github.com/hashicorp/terraform-plugin-framework/ephemeral"

// newWireGuardConfigEphemeral is the WireGuard configuration without state:
// the data source's spec, model and fetch (data_source_wireguard_config.go).
// It is the recommended way to render one, since the file holds the
// account's private key.
func newWireGuardConfigEphemeral() ephemeral.EphemeralResource {
	return &configFileEphemeral[wireGuardConfigModel, *wireGuardConfigModel]{spec: wireGuardConfigSpec}
}
