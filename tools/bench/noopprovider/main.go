// Command terraform-provider-benchnoop is the benchmark's provider floor:
// resources that make no call. benchnoop_thing (two attributes),
// benchnoop_accounts (the schema of vpnresellers_accounts) and
// benchnoop_project, benchnoop_customer and benchnoop_account (the schemas
// of the single resources) are terraform-plugin-framework resources;
// benchnoop_directaccounts (the same schema) is served straight through
// terraform-plugin-go behind terraform-plugin-mux, as the provider serves
// vpnresellers_accounts. `make bench-terraform` builds the benchmark graph
// with them to measure what Terraform plus a provider cost, with the SDK's
// logging off, before any API time.
//
// It is a separate module so that nothing in the provider can depend on it.
package main

import (
	"context"
	"crypto/rand"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-mux/tf6muxserver"
)

func main() {
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_BENCHNOOP"} {
		if os.Getenv(k) == "" {
			_ = os.Setenv(k, "OFF")
		}
	}
	mux, err := tf6muxserver.NewMuxServer(context.Background(), providerserver.NewProtocol6(noopProvider{}),
		func() tfprotov6.ProviderServer { return directServer{} })
	if err != nil {
		log.Fatal(err)
	}
	if err := tf6server.Serve("registry.terraform.io/vpnresellers/benchnoop", mux.ProviderServer); err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "benchnoop"
}
func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return append([]func() resource.Resource{
		func() resource.Resource { return thing{} },
		func() resource.Resource { return accounts{} },
	}, singleResources()...)
}

type thing struct{}

type thingModel struct {
	ID    types.String `tfsdk:"id"`
	Input types.Map    `tfsdk:"input"`
}

func (thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"input": schema.MapAttribute{ElementType: types.StringType, Required: true},
	}}
}

func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue(rand.Text())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
