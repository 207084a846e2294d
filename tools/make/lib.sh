# Shared shell functions for the tools/make/*.sh scripts (sourced, not run).
# Every script runs from the repository root with `set -euo pipefail`.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export CHECKPOINT_DISABLE=1
export PATH="$repo_root/bin:$PATH"
GO="${GO:-go}"

# The provider uses ephemeral resources (Terraform >= 1.10) and write-only
# arguments (>= 1.11); identity import blocks need 1.12; list resources reach
# the schema export (and so the docs) only from 1.14 on.
TF_FEATURES_VERSION=1.11.0
TF_IDENTITY_VERSION=1.12.0
# Actions (action blocks, action_trigger) need 1.14.
TF_ACTIONS_VERSION=1.14.0
TF_DOCS_VERSION=1.14.0
# A current Terraform kept next to the checkout (../shared/cli, see its README):
# a script that prints the path of the binary, unpacking it on first use.
SHARED_TF="${SHARED_TF:-$repo_root/../shared/cli/terraform-1.15.9}"

# resolve_tf: sets tf to a usable Terraform (TF_ACC_TERRAFORM_PATH, PATH, or
# v1.5.7 built from the Go module proxy) and tfv to its version.
resolve_tf() {
	tf="$("$repo_root/tools/ensure-terraform.sh")"
	tf_version
}

# resolve_current_tf: like resolve_tf, but prefers SHARED_TF unless
# TF_ACC_TERRAFORM_PATH is set.
resolve_current_tf() {
	if [[ -z "${TF_ACC_TERRAFORM_PATH:-}" && -x "$SHARED_TF" ]]; then
		tf="$("$SHARED_TF")"
		tf_version
	else
		resolve_tf
	fi
}

tf_version() {
	tfv="$("$tf" version 2>/dev/null | sed -n '1s/^Terraform v\([0-9.]*\).*/\1/p')"
}

# version_below V: $tfv is older than V.
version_below() {
	[[ "$(printf '%s\n' "$1" "$tfv" | sort -V | sed -n 1p)" != "$1" ]]
}

# require_docs_version: fails unless $tf can document the provider completely.
require_docs_version() {
	if version_below "$TF_DOCS_VERSION"; then
		cat >&2 <<MSG
ERROR: Terraform $tfv ($tf) cannot document this provider completely: list resources
       (terraform query) are in the schema export of Terraform >= $TF_DOCS_VERSION only, and
       docs without them would be incomplete, so none are generated. Keep
       ../shared/cli/terraform-1.15.9 next to the checkout (or set SHARED_TF), or point
       TF_ACC_TERRAFORM_PATH at Terraform >= $TF_DOCS_VERSION.
MSG
		exit 1
	fi
}

note_old_tf() {
	echo "==> Terraform CLI: $tf (v$tfv)"
	if version_below "$TF_FEATURES_VERSION"; then
		echo "NOTE: Terraform $tfv < $TF_FEATURES_VERSION: acceptance tests of ephemeral resources and write-only arguments will SKIP" >&2
	fi
}

# gotest ARGS...: go test -json ARGS, read by tools/make/testsummary.go,
# which prints what a plain go test prints (ok/FAIL lines, the output of
# failing tests) and, when it fails, the failures again at the end, so that
# the tail of a long CI log shows which test failed and why (go test prints
# a failing package's whole output first). The skipped tests and their
# reasons go to $GOTEST_SKIPS when the caller set it (and prints them with
# report_skips); otherwise gotest prints them at its end.
gotest() {
	local rc=0 skips="${GOTEST_SKIPS:-}" own=""
	if [[ -z "$skips" ]]; then
		skips="$(mktemp)"
		own=1
	fi
	"$GO" test -json "$@" 2>&1 | "$GO" run "$repo_root/tools/make/testsummary.go" -skips "$skips" || rc=$?
	if [[ -n "$own" ]]; then
		report_skips "$skips"
		rm -f "$skips"
	fi
	return "$rc"
}

# report_skips FILE: the skipped tests gotest recorded in FILE, grouped by
# reason, and where to get what a full run needs.
report_skips() {
	"$GO" run "$repo_root/tools/make/testsummary.go" -report "$1"
	if [[ -s "$1" ]]; then
		echo "    Full coverage needs Terraform >= 1.14 (TF_ACC_TERRAFORM_PATH=\"\$(../shared/cli/terraform-1.15.9)\" make test),"
		echo "    OpenTofu (make testacc-opentofu), ../shared/peers and, for TestAcc*, VPNRESELLERS_TOKEN: see README, Developing."
	fi
}
