#!/usr/bin/env bash
# Print the absolute path of an OpenTofu CLI on stdout (and nothing else);
# diagnostics go to stderr. Used by `make testacc-opentofu` so that the
# acceptance tests also run against OpenTofu.
#
# Lookup order:
#   1. $TOFU_PATH, if set (an error if it is set but unusable)
#   2. <repo>/bin/tofu, if it is version $OPENTOFU_VERSION
#   3. otherwise build it from source through the Go module proxy:
#        go mod download github.com/opentofu/opentofu@v$OPENTOFU_VERSION
#        go build ./cmd/tofu   (in a copy of the downloaded module)
#      No GitHub or other download site is needed; it takes a few minutes on
#      2 cores the first time.
#
# Environment:
#   OPENTOFU_VERSION       version to build (default 1.12.6)
#   OPENTOFU_INSTALL_DIR   where to put it (default <repo>/bin)
set -euo pipefail

OPENTOFU_VERSION="${OPENTOFU_VERSION:-1.12.6}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install_dir="${OPENTOFU_INSTALL_DIR:-$repo_root/bin}"

log() { printf '%s\n' "$*" >&2; }

version_of() { "$1" version 2>/dev/null | sed -n 's/^OpenTofu v\([0-9.]*\).*/\1/p' | head -n 1; }

if [[ -n "${TOFU_PATH:-}" ]]; then
	if [[ -x "$TOFU_PATH" && -n "$(version_of "$TOFU_PATH")" ]]; then
		printf '%s\n' "$(cd "$(dirname "$TOFU_PATH")" && pwd)/$(basename "$TOFU_PATH")"
		exit 0
	fi
	log "ensure-opentofu: TOFU_PATH=$TOFU_PATH is not an executable OpenTofu CLI"
	exit 1
fi

if [[ -x "$install_dir/tofu" && "$(version_of "$install_dir/tofu")" == "$OPENTOFU_VERSION" ]]; then
	printf '%s\n' "$install_dir/tofu"
	exit 0
fi

log "==> Building OpenTofu v$OPENTOFU_VERSION from the Go module proxy into $install_dir"
log "    (one-off, typically 3-5 minutes on 2 cores)..."
start=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/opentofu-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
src="$(cd "$work" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@v$OPENTOFU_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [[ -z "$src" || ! -d "$src" ]]; then
	log "ensure-opentofu: could not download github.com/opentofu/opentofu@v$OPENTOFU_VERSION"
	exit 1
fi
# The module cache is read-only; build in a writable copy.
cp -R "$src" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$install_dir"
(cd "$work/src" && GOWORK=off go build -o "$install_dir/tofu" ./cmd/tofu) >&2
log "    built OpenTofu v$OPENTOFU_VERSION in $((SECONDS - start))s"
printf '%s\n' "$install_dir/tofu"
