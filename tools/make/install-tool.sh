#!/usr/bin/env bash
# tools/make/install-tool.sh NAME...: build the pinned build-only tools
# (tools/go.mod) from source into bin/, skipping each one that bin/ already
# holds at the pinned version, built with the current Go toolchain.
# NAME is one of tfplugindocs, golangci-lint, goreleaser, actionlint.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for name in "$@"; do
	case "$name" in
	tfplugindocs) module=github.com/hashicorp/terraform-plugin-docs pkg=$module/cmd/tfplugindocs ;;
	golangci-lint) module=github.com/golangci/golangci-lint/v2 pkg=$module/cmd/golangci-lint ;;
	goreleaser) module=github.com/goreleaser/goreleaser/v2 pkg=$module ;;
	actionlint) module=github.com/rhysd/actionlint pkg=$module/cmd/actionlint ;;
	*) echo "ERROR: unknown tool $name" >&2; exit 2 ;;
	esac
	want="$(awk -v m="$module" '$1 == m { print $2; exit }' tools/go.mod)"
	if [[ -z "$want" ]]; then
		echo "ERROR: $module is not pinned in tools/go.mod" >&2
		exit 1
	fi
	gover="$($GO env GOVERSION)"
	have=""
	if [[ -x "bin/$name" ]]; then
		have="$($GO version -m "bin/$name" 2>/dev/null |
			awk -v m="$module" 'NR == 1 { gv = $2 } ($1 == "dep" || $1 == "mod") && $2 == m { print $3 " " gv }' || true)"
	fi
	if [[ "$have" == "$want $gover" ]]; then
		echo "==> $name $want is up to date in bin/"
		continue
	fi
	echo "==> Building $name $want from source (tools/go.mod) into bin/ ..."
	start=$SECONDS
	(cd tools && GOWORK=off GOBIN="$repo_root/bin" $GO install "$pkg")
	echo "    $name built in $((SECONDS - start))s"
done
