package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-mux/tf6muxserver"
)

// How the provider is served: terraform-plugin-mux in front of two servers.
//
//   - The framework's server (providerserver) serves everything but the
//     directly served resources.
//   - directServer serves those (vpnresellers_accounts): one map value of
//     thousands of entries, which the framework's per-value machinery made
//     quadratic (every entry of the map copied the whole map while planning
//     its nested attributes) and slow (a schema lookup per value, per walk).
//     It decodes each request once, does what the framework would have done
//     to it in one linear pass over this schema (schema defaults, write-only
//     and computed values, attribute validators: direct_schema.go), and
//     calls the resource's own methods with the framework's request and
//     response types, so the resource is written, and tested, as any other.
//     Schema, provider configuration, state upgrades, import and moves go
//     to a framework server of the same resources (direct_server.go).
//
// Both sides share one vpnProvider: one API client per process.

// servedPart is which side of NewServer's split a vpnProvider serves.
type servedPart int

const (
	partAll       servedPart = iota // everything, on the framework (New)
	partFramework                   // everything but directResources
	partDirect                      // directResources only
)

// directResources are served by directServer (see above).
var directResources = []func() resource.Resource{newAccountsResource}

// NewServer returns the constructor of the provider's protocol 6 server
// (for tf6server.Serve and terraform-plugin-testing), with the API clients
// stopped when stop is done (see NewWithStop).
func NewServer(version string, stop context.Context) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := newVPNProvider(version, stop)
		framework, direct := *p, *p
		framework.part, direct.part = partFramework, partDirect
		ds, err := newDirectServer(providerserver.NewProtocol6(&direct)(), &direct, directResources)
		if err != nil {
			return nil, fmt.Errorf("the directly served resources: %w", err)
		}
		// The framework side first: ConfigureProvider runs the servers in
		// order, and the direct side takes the client it made.
		mux, err := tf6muxserver.NewMuxServer(context.Background(),
			NewProtocol6(&framework),
			func() tfprotov6.ProviderServer { return ds })
		if err != nil {
			return nil, err
		}
		return mux.ProviderServer(), nil
	}
}
