#!/usr/bin/env bash
# terraform fmt -check, then terraform validate of every examples/ directory on
# its own, through dev_overrides for vpnresellers/vpnresellers (bin/ holds the
# provider built by `make build`) and no init. Directories using features of a
# newer Terraform than the one found are skipped, saying so.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

resolve_current_tf
mapfile -t dirs < <(find examples -type f -name '*.tf' -not -path '*/.terraform/*' -print0 2>/dev/null |
	xargs -0 -r -n1 dirname | sort -u)
if [[ ${#dirs[@]} -eq 0 ]]; then
	echo "==> no examples/**/*.tf to check"
	exit 0
fi
echo "==> terraform fmt -check -recursive examples"
"$tf" fmt -check -diff -recursive examples || { echo "ERROR: run 'make fmt'" >&2; exit 1; }

cfg="$(mktemp)"
trap 'rm -f "$cfg"' EXIT
printf 'provider_installation {\n  dev_overrides {\n    "vpnresellers/vpnresellers" = "%s"\n  }\n  direct {}\n}\n' \
	"$repo_root/bin" >"$cfg"
export TF_CLI_CONFIG_FILE="$cfg"

new_features_re='^[[:space:]]*ephemeral[[:space:]]*("|=)|_wo(_version)?[[:space:]]*='
identity_re='^[[:space:]]*identity[[:space:]]*='
actions_re='^[[:space:]]*(action[[:space:]]+"|action_trigger[[:space:]]*\{)'
failed=() skipped=()
for d in "${dirs[@]}"; do
	if version_below "$TF_FEATURES_VERSION" && grep -q -E "$new_features_re" "$d"/*.tf; then
		echo "==> terraform validate $d: SKIPPED (ephemeral values or write-only arguments need Terraform >= $TF_FEATURES_VERSION, have $tfv)"
		skipped+=("$d")
		continue
	fi
	if version_below "$TF_IDENTITY_VERSION" && grep -q -E "$identity_re" "$d"/*.tf; then
		echo "==> terraform validate $d: SKIPPED (import by identity needs Terraform >= $TF_IDENTITY_VERSION, have $tfv)"
		skipped+=("$d")
		continue
	fi
	if version_below "$TF_ACTIONS_VERSION" && grep -q -E "$actions_re" "$d"/*.tf; then
		echo "==> terraform validate $d: SKIPPED (actions need Terraform >= $TF_ACTIONS_VERSION, have $tfv)"
		skipped+=("$d")
		continue
	fi
	if out="$("$tf" -chdir="$d" validate -no-color 2>&1)"; then
		echo "==> terraform validate $d: ok"
	else
		echo "==> terraform validate $d: FAILED"
		printf '%s\n' "$out"
		failed+=("$d")
	fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
	echo "ERROR: terraform validate failed in: ${failed[*]}" >&2
	exit 1
fi
if [[ ${#skipped[@]} -gt 0 ]]; then
	echo "WARNING: not validated with Terraform $tfv: ${skipped[*]}" >&2
	echo "         put Terraform >= $TF_ACTIONS_VERSION on PATH for the full check" >&2
fi
echo "==> examples are formatted and valid"
