#!/usr/bin/env bash
# Newcomer demo (`make demo`): runs examples/demo against a local mock of the
# VPNresellers API, without credentials, network access or `terraform init`.
#
#   1. builds the provider and the mock API server into a temporary directory
#   2. starts the mock on a free localhost port (token "demo-token")
#   3. points Terraform at the freshly built provider via dev_overrides
#   4. `terraform apply` of a copy of examples/demo, then shows its outputs,
#      the WireGuard file it wrote, and checks that the state holds no secret
#
# Everything (mock process, temporary files, Terraform state, the WireGuard
# file whose path the outputs show) is removed on exit, whether the demo
# succeeds, fails or is interrupted, and the demo says so. Set DEMO_KEEP=1 to
# keep the temporary directory for inspection (the mock is stopped anyway).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo_src="$repo_root/examples/demo"
mock_token="demo-token"
mock_wait_seconds=30

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

[[ -d "$demo_src" ]] || die "$demo_src does not exist"
compgen -G "$demo_src/*.tf" >/dev/null || die "no .tf files in $demo_src"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/vpnresellers-demo.XXXXXX")"
mock_pid=""

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
		kill "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
	if [[ "${DEMO_KEEP:-}" == 1 ]]; then
		printf '\n(DEMO_KEEP=1: temporary files kept in %s, the state and jane-wg0.conf included)\n' "$tmp"
	else
		rm -rf "$tmp"
		printf '\nRemoved %s: the state and the WireGuard file shown above are gone (DEMO_KEEP=1 keeps them).\n' "$tmp"
	fi
	if [[ $rc -ne 0 ]]; then
		printf '\nDemo failed (exit %d).\n' "$rc" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$repo_root"

step "Locating a Terraform CLI"
tf="$("$repo_root/tools/ensure-terraform.sh")"
export CHECKPOINT_DISABLE=1
echo "    $tf ($("$tf" version 2>/dev/null | sed -n 1p))"

step "Building the provider"
mkdir -p "$tmp/plugins"
go build -o "$tmp/plugins/terraform-provider-vpnresellers" .
echo "    $tmp/plugins/terraform-provider-vpnresellers"

step "Building the mock VPNresellers API"
go build -o "$tmp/vpnresellers-mock" ./internal/mockapi/cmd/vpnresellers-mock
echo "    $tmp/vpnresellers-mock"

step "Starting the mock API on a free localhost port"
"$tmp/vpnresellers-mock" -addr 127.0.0.1:0 -url-file "$tmp/url" -token "$mock_token" \
	>"$tmp/mock.log" 2>&1 &
mock_pid=$!
base_url=""
deadline=$((SECONDS + mock_wait_seconds))
while :; do
	if [[ -s "$tmp/url" ]]; then
		base_url="$(sed -n 1p "$tmp/url" | tr -d '[:space:]')"
		[[ "$base_url" == http*://* ]] && break
	fi
	if ! kill -0 "$mock_pid" 2>/dev/null; then
		cat "$tmp/mock.log" >&2 || true
		die "the mock API exited before it was ready (log above)"
	fi
	if ((SECONDS >= deadline)); then
		cat "$tmp/mock.log" >&2 || true
		die "the mock API did not write its URL to $tmp/url within ${mock_wait_seconds}s"
	fi
	sleep 0.2
done
echo "    listening at $base_url (pid $mock_pid)"

step "Configuring Terraform to use the freshly built provider (dev_overrides)"
cat >"$tmp/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "vpnresellers/vpnresellers" = "$tmp/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$tmp/terraformrc"
export VPNRESELLERS_BASE_URL="$base_url"
export VPNRESELLERS_TOKEN="$mock_token"
export TF_INPUT=0
# The accounts' passwords reach Terraform as ephemeral variables and the
# provider as write-only arguments: random for the demo, never shown.
TF_VAR_jane_password="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 20 || true)"
TF_VAR_john_password="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 20 || true)"
export TF_VAR_jane_password TF_VAR_john_password
echo "    TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE"
echo "    VPNRESELLERS_BASE_URL=$VPNRESELLERS_BASE_URL"
echo "    VPNRESELLERS_TOKEN=$VPNRESELLERS_TOKEN"

step "Copying examples/demo to a scratch working directory"
work="$tmp/work"
mkdir -p "$work"
cp -R "$demo_src/." "$work/"
# Never reuse state or init artefacts from someone's earlier run in examples/.
rm -rf "$work/.terraform" "$work/.terraform.lock.hcl" "$work"/terraform.tfstate*
echo "    $work"

color=()
[[ -t 1 ]] || color=(-no-color)

step "terraform apply (no init needed: the provider comes from dev_overrides)"
"$tf" -chdir="$work" apply -auto-approve -input=false ${color[@]+"${color[@]}"}

step "terraform output"
"$tf" -chdir="$work" output ${color[@]+"${color[@]}"}

wg_file="$work/jane-wg0.conf"
keep_note="it goes with the temporary directory when the demo exits; run with DEMO_KEEP=1 to keep it"
[[ "${DEMO_KEEP:-}" == 1 ]] && keep_note="kept after the demo exits (DEMO_KEEP=1)"
step "Jane's WireGuard configuration, written by local-exec to $wg_file (private key hidden here; $keep_note)"
[[ -s "$wg_file" ]] || die "$wg_file was not written"
sed 's/^\(PrivateKey[[:space:]]*=[[:space:]]*\).*/\1(hidden)/' "$wg_file"

step "Checking that no secret reached the state"
state="$work/terraform.tfstate"
if grep -q -F -- '[Interface]' "$state"; then
	die "the WireGuard configuration is in $state"
fi
for pw in "$TF_VAR_jane_password" "$TF_VAR_john_password"; do
	if grep -q -F -- "$pw" "$state"; then die "an account password is in $state"; fi
done
echo "    ok: no WireGuard configuration and no account password in terraform.tfstate"

step "Demo finished: stopping the mock API and removing temporary files"
