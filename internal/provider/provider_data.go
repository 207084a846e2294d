package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-version"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// How resources, data sources and ephemeral resources get the API client
// the provider configured (ProviderData).

// providerData is what the provider's Configure hands to everything it
// serves: the API client, and the memory of the current run. Each
// Terraform command runs its own provider process and configures it once,
// so both live for one plan or apply.
type providerData struct {
	client *client.Client
	run    *runMemory
	cli    cliVersion // the Terraform (or OpenTofu) that runs the provider
}

// dataFrom returns the provider data in ProviderData. It is nil (and no
// error is added) before the provider is configured, which Terraform does
// for validation.
func dataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return d
}

// clientFrom returns the API client in ProviderData (see dataFrom).
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if d := dataFrom(data, diags); d != nil {
		return d.client
	}
	return nil
}

// resourceClient is embedded by every resource: its Configure keeps the API
// client the provider hands over, and the memory of the run.
type resourceClient struct {
	client *client.Client
	run    *runMemory
	cli    cliVersion
}

func (r *resourceClient) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := dataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client, r.run, r.cli = d.client, d.run, d.cli
	}
}

// cliVersion is the version of the CLI that configured the provider, as
// Configure's request gives it ("1.5.7"); "" when unknown.
type cliVersion string

// writeOnlyVersion is the first Terraform (and OpenTofu) that sends
// write-only arguments.
const writeOnlyVersion = "1.11.0"

// below reports whether the CLI is known to be older than least. An
// unknown or unreadable version is not: nothing is refused on a guess.
func (v cliVersion) below(least string) bool {
	have, err := version.NewVersion(string(v))
	if err != nil {
		return false
	}
	return have.LessThan(version.Must(version.NewVersion(least)))
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
