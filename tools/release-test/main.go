// Command release-test is the Go half of `make release-test`
// (tools/make/release-test.sh): it installs the provider the way the
// Terraform Registry installs it, from a snapshot release built by goreleaser
// with the repository's own .goreleaser.yml.
//
//	release-test config -in .goreleaser.yml -dist DIR -out FILE
//	    writes .goreleaser.yml with its builds narrowed to this machine's
//	    platform and dist set to DIR; nothing else changes
//	release-test assets -dist DIR -config FILE -out DIR
//	    copies what the GitHub release would hold (the archives, checksum and
//	    signature goreleaser made, plus release.extra_files under their
//	    templated names) into DIR, as the Registry sees them
//	release-test serve -assets DIR -key FILE -state DIR [-addr 127.0.0.1:0]
//	    checks the release as the Registry does when it is published, then
//	    serves it over HTTPS with the provider registry protocol; writes
//	    STATE/ca.pem (the certificate made for the run), STATE/url and
//	    STATE/version
//	release-test fetch -ca FILE URL
//	    prints what URL serves, trusting only the certificate in FILE
//
// It is a test tool, kept in the tools module: the provider never imports it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "release-test:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: release-test config|assets|serve|fetch [flags]")
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("release-test "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	parse := func() error {
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return nil
	}
	switch args[0] {
	case "config":
		in := fs.String("in", ".goreleaser.yml", "the goreleaser configuration to narrow")
		dist := fs.String("dist", "", "dist directory to write into the configuration")
		out := fs.String("out", "", "where to write the narrowed configuration")
		if err := parse(); err != nil {
			return err
		}
		if *dist == "" || *out == "" {
			return errors.New("config: -dist and -out are required")
		}
		return writeSnapshotConfig(*in, *out, *dist)
	case "assets":
		dist := fs.String("dist", "", "goreleaser's dist directory")
		config := fs.String("config", "", "the goreleaser configuration that made it")
		out := fs.String("out", "", "directory to copy the release assets into")
		if err := parse(); err != nil {
			return err
		}
		if *dist == "" || *config == "" || *out == "" {
			return errors.New("assets: -dist, -config and -out are required")
		}
		names, err := collectAssets(*dist, *config, *out)
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Fprintln(stdout, n)
		}
		return nil
	case "serve":
		return serve(ctx, fs, args[1:], stderr)
	case "fetch":
		ca := fs.String("ca", "", "PEM file of the only certificate authority to trust")
		if err := parse(); err != nil {
			return err
		}
		if *ca == "" || fs.NArg() != 1 {
			return errors.New("fetch: usage: fetch -ca FILE URL")
		}
		return fetch(ctx, *ca, fs.Arg(0), stdout)
	default:
		fmt.Fprintf(stderr, "release-test: unknown command %q\n", args[0])
		return flag.ErrHelp
	}
}
