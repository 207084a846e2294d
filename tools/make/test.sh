#!/usr/bin/env bash
# The test targets of the GNUmakefile. Usage: tools/make/test.sh all|acc|tofu|clis
#   all   go vet, every test (TF_ACC=1: the mock-backed tier, and the real-API
#         TestAcc tier, which skips without VPNRESELLERS_TOKEN), then -race for
#         the client and the mock (the README's `make test`)
#   acc   the real-API tier only (TESTACC_RUN)
#   tofu  the provider tests against OpenTofu (built from the Go module proxy)
#   clis  acc once per available CLI: PATH's, OpenTofu, and SHARED_TF
# Environment: TESTARGS, TEST_TIMEOUT (15m), TESTACC_RUN, TESTACC_TIMEOUT (30m), TOFU_RUN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TESTARGS="${TESTARGS:-}"
TEST_TIMEOUT="${TEST_TIMEOUT:-15m}"
# The real-API tier: TestAcc* (no mock-backed test starts with TestAcc).
TESTACC_RUN="${TESTACC_RUN:-^TestAcc}"
TESTACC_TIMEOUT="${TESTACC_TIMEOUT:-30m}"
TOFU_RUN="${TOFU_RUN:-.}"
RACE_PKGS=(./internal/client/... ./internal/mockapi/...)

case "${1:-}" in
all)
	resolve_tf
	export TF_ACC_TERRAFORM_PATH="$tf"
	note_old_tf
	# Both runs record their skips; they are listed once, at the very end.
	GOTEST_SKIPS="$(mktemp)"
	export GOTEST_SKIPS
	trap 'rm -f "$GOTEST_SKIPS"' EXIT
	echo "==> go vet ./..."
	$GO vet ./...
	echo "==> TF_ACC=1 go test -count=1 -timeout $TEST_TIMEOUT $TESTARGS ./..."
	# shellcheck disable=SC2086 # TESTARGS is a list of flags
	TF_ACC=1 gotest -count=1 -timeout "$TEST_TIMEOUT" $TESTARGS ./...
	if [[ "$($GO env CGO_ENABLED)" == 1 ]]; then
		echo "==> go test -race -count=1 ${RACE_PKGS[*]}"
		# shellcheck disable=SC2086
		gotest -race -count=1 -timeout "$TEST_TIMEOUT" $TESTARGS "${RACE_PKGS[@]}"
	else
		echo "WARNING: cgo is not available (no C compiler?): skipping the -race run" >&2
	fi
	report_skips "$GOTEST_SKIPS"
	;;
acc)
	resolve_tf
	export TF_ACC_TERRAFORM_PATH="$tf"
	note_old_tf
	# shellcheck disable=SC2086
	TF_ACC=1 gotest -count=1 -run "$TESTACC_RUN" -timeout "$TESTACC_TIMEOUT" $TESTARGS ./...
	;;
tofu)
	tofu="$("$repo_root/tools/ensure-opentofu.sh")"
	if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "$TF_CLI_CONFIG_FILE" ]]; then unset TF_CLI_CONFIG_FILE; fi
	echo "==> OpenTofu CLI: $tofu ($("$tofu" version 2>/dev/null | sed -n 1p))"
	# shellcheck disable=SC2086
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tofu" TF_ACC_PROVIDER_HOST=registry.opentofu.org \
		gotest -count=1 -run "$TOFU_RUN" -timeout "$TESTACC_TIMEOUT" $TESTARGS ./internal/provider/...
	;;
clis)
	echo "==> [1/3] Terraform CLI from TF_ACC_TERRAFORM_PATH / PATH"
	"$0" acc
	echo "==> [2/3] OpenTofu"
	"$0" tofu
	if [[ -x "$SHARED_TF" ]]; then
		tf="$("$SHARED_TF")"
		echo "==> [3/3] $tf (features of Terraform 1.12+ and 1.14+: identity, terraform query)"
		TF_ACC_TERRAFORM_PATH="$tf" "$0" acc
	else
		echo "==> [3/3] SKIPPED: no $SHARED_TF; tests of Terraform >= 1.12 / 1.14 features skipped above"
	fi
	;;
*)
	echo "usage: $0 all|acc|tofu|clis" >&2
	exit 2
	;;
esac
