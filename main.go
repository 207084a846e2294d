// Command terraform-provider-vpnresellers is the VPNresellers Terraform
// provider plugin.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/provider"
)

// Set by goreleaser at build time.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/vpnresellers/vpnresellers",
		Debug:   debug,
	})
	if err != nil {
		log.Fatalf("provider %s (%s): %v", version, commit, err)
	}
}
