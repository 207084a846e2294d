//go:build tools

// Package tools pins the build-only tools of the provider (documentation
// generator, release tool, linters) in a module separate from the provider's
// own go.mod, so their large dependency graphs never leak into the provider.
//
// Install them with `make tools` (binaries go to ./bin of the repository).
package tools

import (
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
	_ "github.com/goreleaser/goreleaser/v2"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
	_ "github.com/rhysd/actionlint/cmd/actionlint"
)
