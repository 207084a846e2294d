package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// How resources, data sources and ephemeral resources get the API client
// the provider configured (ProviderData).

// clientFrom returns the API client the provider put in ProviderData. It is
// nil (and no error is added) before the provider is configured, which
// Terraform does for validation.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *client.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

// resourceClient is embedded by every resource: its Configure keeps the API
// client the provider hands over.
type resourceClient struct {
	client *client.Client
}

func (r *resourceClient) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// dataSourceClient is embedded by every data source: its Configure keeps the
// API client the provider hands over.
type dataSourceClient struct {
	client *client.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ephemeralClient is the same for ephemeral resources.
type ephemeralClient struct {
	client *client.Client
}

func (e *ephemeralClient) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}
