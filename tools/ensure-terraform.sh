#!/usr/bin/env bash
# Print the absolute path of a usable Terraform CLI on stdout (and nothing
# else); every diagnostic goes to stderr.
#
# Lookup order:
#   1. $TF_ACC_TERRAFORM_PATH, if set (it is an error if it is set but unusable)
#   2. `terraform` on $PATH
#   3. <repo>/bin/terraform (installed by an earlier run of this script)
#   4. otherwise build Terraform from source through the Go module proxy:
#        GOBIN=<repo>/bin go install github.com/hashicorp/terraform@v$TERRAFORM_VERSION
#      (no GitHub / releases.hashicorp.com access needed; takes a few minutes
#      on 2 cores the first time).
#
# Environment:
#   TERRAFORM_VERSION       version to build when none is found (default 1.5.7,
#                           the last MPL-licensed release, published as a Go module)
#   TERRAFORM_INSTALL_DIR   where to install it (default <repo>/bin)
set -euo pipefail

export CHECKPOINT_DISABLE=1

TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.5.7}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install_dir="${TERRAFORM_INSTALL_DIR:-$repo_root/bin}"

log() { printf '%s\n' "$*" >&2; }

# abspath FILE: absolute path of FILE (which exists) without needing GNU readlink.
abspath() {
	local dir base
	dir="$(cd "$(dirname "$1")" && pwd)"
	base="$(basename "$1")"
	printf '%s/%s\n' "$dir" "$base"
}

# usable FILE: FILE is an executable Terraform CLI that answers `version`.
usable() {
	[[ -n "$1" && -f "$1" && -x "$1" ]] || return 1
	# A missing/invalid TF_CLI_CONFIG_FILE only produces a warning; ignore output.
	"$1" version >/dev/null 2>&1
}

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
	if usable "$TF_ACC_TERRAFORM_PATH"; then
		abspath "$TF_ACC_TERRAFORM_PATH"
		exit 0
	fi
	log "ensure-terraform: TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not an executable Terraform CLI"
	exit 1
fi

if tf="$(command -v terraform 2>/dev/null)" && usable "$tf"; then
	abspath "$tf"
	exit 0
fi

if usable "$install_dir/terraform"; then
	abspath "$install_dir/terraform"
	exit 0
fi

if ! command -v go >/dev/null 2>&1; then
	log "ensure-terraform: no terraform on PATH and no Go toolchain to build one"
	exit 1
fi

log "==> No Terraform CLI found; building terraform v$TERRAFORM_VERSION from the Go module proxy"
log "    into $install_dir (one-off, typically 2-5 minutes on 2 cores)..."
mkdir -p "$install_dir"
start=$SECONDS
# Run outside any module/workspace so the repository's go.mod is not involved.
(cd / && GOWORK=off GOBIN="$install_dir" \
	go install "github.com/hashicorp/terraform@v$TERRAFORM_VERSION") >&2
if ! usable "$install_dir/terraform"; then
	log "ensure-terraform: built $install_dir/terraform but it does not run"
	exit 1
fi
log "    built terraform v$TERRAFORM_VERSION in $((SECONDS - start))s"
abspath "$install_dir/terraform"
