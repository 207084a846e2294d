package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// configFileModel is the result part of the OpenVPN and WireGuard
// configuration data sources and ephemeral resources.
type configFileModel struct {
	Name    types.String `tfsdk:"name"`
	Content types.String `tfsdk:"content"`
}

func (m *configFileModel) set(cfg *client.VPNConfig) {
	m.Name = types.StringValue(cfg.Name)
	m.Content = types.StringValue(cfg.Content)
}

// Descriptions shared by the list data sources.
const (
	descEmptyListIsNoError = "A filter that matches nothing gives an empty list, not an error; add a `postcondition` " +
		"(for example `length(self.%[1]s) > 0`) when the configuration needs at least one."
	descWalksEveryPage = "The API serves this list page by page; the provider fetches every page (several at a " +
		"time) and returns them all, sorted by id."
)
