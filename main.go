// Command terraform-provider-vpnresellers is the VPNresellers Terraform
// provider plugin.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/provider"
)

// Set by goreleaser at build time.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("provider %s (%s): %v", version, commit, err)
	}
}

func run() error {
	var debug bool
	var cpuProfile string
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to this file until the provider exits (use with -debug)")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// Nobody asked for logs: switch the SDK's, the framework's, go-plugin's
	// and the provider's loggers off rather than format lines at TRACE that
	// Terraform throws away.
	if quiet := provider.QuietLogEnv(os.Environ()); quiet != nil {
		for k, v := range quiet {
			if err := os.Setenv(k, v); err != nil {
				return err
			}
		}
		opts = append(opts, tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}

	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	// Started by Terraform (not by a debugger), the process stops when
	// Terraform is gone, killed with SIGKILL most likely: what is in flight
	// is aborted, nothing new is sent, and it exits. A debug process outlives
	// whatever started it on purpose.
	var stop context.Context
	if !debug {
		stop = provider.StopWhenParentGone(provider.ParentWatchInterval, func() {
			// The API clients are stopped; let their requests unwind.
			time.Sleep(200 * time.Millisecond)
			os.Exit(1)
		})
	}

	// providerserver.Serve, with the go-plugin logger as an option, for
	// the provider's own server (NewServer: the write-only action
	// arguments, and the fleet served directly).
	server, err := provider.NewServer(version, stop)()
	if err != nil {
		return err
	}
	return tf6server.Serve("registry.terraform.io/vpnresellers/vpnresellers",
		func() tfprotov6.ProviderServer { return server }, opts...)
}
