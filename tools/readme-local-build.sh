#!/usr/bin/env bash
# Follows the README's "Use the provider from a local build" section literally
# in a fresh clone (`make readme-check`): it runs the section's three shell
# blocks as written - build and CLI config, the mock API (in the background,
# standing in for the second terminal), then `terraform apply` of the example
# (answering "yes") - and checks the example's output came from the mock.
#
# HOME is a temporary directory (Go's caches stay put), so the CLI config the
# README writes lands there; the clone, the mock and everything else are removed on exit.
# README_MOCK_ADDR replaces the README's 127.0.0.1:8080 when that port is taken.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
section="## Use the provider from a local build"
addr="${README_MOCK_ADDR:-127.0.0.1:8080}"

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/vpnresellers-readme.XXXXXX")"
mock_pgid=""
cleanup() {
	if [[ -n "$mock_pgid" ]]; then kill -- "-$mock_pgid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# The section's ```sh blocks, one file each.
awk -v section="$section" -v dir="$tmp" '
	$0 == section { in_section = 1; next }
	in_section && /^## / { exit }
	in_section && /^```sh$/ { n++; file = dir "/block" n ".sh"; next }
	in_section && /^```$/ && file != "" { close(file); file = ""; next }
	file != "" { print > file }
' "$repo_root/README.md"
[[ -f "$tmp/block3.sh" && ! -f "$tmp/block4.sh" ]] || die "expected 3 sh blocks in the README section \"$section\""
if [[ "$addr" != 127.0.0.1:8080 ]]; then
	sed -i "s/127\.0\.0\.1:8080/$addr/g" "$tmp"/block*.sh
fi

git clone --quiet "$repo_root" "$tmp/clone"
mkdir -p "$tmp/home"
# Keep Go's caches where they are: a new HOME would move them.
GOPATH="$(go env GOPATH)" GOMODCACHE="$(go env GOMODCACHE)" GOCACHE="$(go env GOCACHE)"
export GOPATH GOMODCACHE GOCACHE
export HOME="$tmp/home" CHECKPOINT_DISABLE=1
unset TF_CLI_CONFIG_FILE VPNRESELLERS_BASE_URL VPNRESELLERS_TOKEN
cd "$tmp/clone"

echo "==> README block 1: build and CLI config"
# shellcheck disable=SC1091
source "$tmp/block1.sh"

echo "==> README block 2: the mock API (second terminal)"
set -m
bash "$tmp/block2.sh" >"$tmp/mock.log" 2>&1 &
mock_pgid=$!
set +m
for _ in $(seq 1 300); do
	grep -q "listening on" "$tmp/mock.log" 2>/dev/null && break
	kill -0 "$mock_pgid" 2>/dev/null || { cat "$tmp/mock.log" >&2; die "the mock API exited"; }
	sleep 0.2
done
grep -q "listening on" "$tmp/mock.log" || die "the mock API did not start within 60s"

echo "==> README block 3: terraform apply"
# shellcheck disable=SC1091
source "$tmp/block3.sh" < <(yes yes)

echo "==> Checking the example's output came from the mock"
names="$(terraform output -json nl_server_names)"
grep -q '"ams-' <<<"$names" || die "unexpected nl_server_names: $names"
echo "==> The README's local-build section works as written"
