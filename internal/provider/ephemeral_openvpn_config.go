package provider

import "github.com/hashicorp/terraform-plugin-framework/ephemeral"

// newOpenVPNConfigEphemeral is the OpenVPN configuration without state: the
// data source's spec, model and fetch (data_source_openvpn_config.go).
func newOpenVPNConfigEphemeral() ephemeral.EphemeralResource {
	return &configFileEphemeral[openVPNConfigModel, *openVPNConfigModel]{spec: openVPNConfigSpec}
}
