#!/usr/bin/env bash
# Docs targets: tools/make/docs.sh generate|check|validate
#   generate  docs/ from the provider schema, templates/ and examples/ with tfplugindocs
#   check     generate, then fail if docs/ differs from what is committed
#   validate  tfplugindocs validate
# All need Terraform >= 1.14 (SHARED_TF or TF_ACC_TERRAFORM_PATH) and bin/tfplugindocs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

resolve_current_tf
require_docs_version
tfplugindocs=(env PATH="$(dirname "$tf"):$PATH" "$repo_root/bin/tfplugindocs")

case "${1:-}" in
generate)
	echo "==> tfplugindocs generate (Terraform CLI: $tf)"
	"${tfplugindocs[@]}" generate --provider-name vpnresellers --rendered-provider-name VPNresellers
	;;
check)
	"$0" generate
	changes="$(git status --porcelain --untracked-files=all -- docs/)"
	if [[ -n "$changes" ]]; then
		cat >&2 <<MSG
ERROR: docs/ is out of date (or not committed): the provider schema, templates/ or
       examples/ changed without regenerating it. Run 'make docs' and commit docs/.
       Changed files:
$changes
MSG
		git --no-pager diff --stat -- docs/ >&2 || true
		exit 1
	fi
	echo "==> docs/ is up to date"
	;;
validate)
	echo "==> tfplugindocs validate"
	"${tfplugindocs[@]}" validate --provider-name vpnresellers
	;;
*)
	echo "usage: $0 generate|check|validate" >&2
	exit 2
	;;
esac
