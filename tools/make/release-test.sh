#!/usr/bin/env bash
# `make release-test`: install the provider the way the Terraform Registry
# installs it, and use it.
#
#   1. goreleaser builds a snapshot release with the repository's own
#      .goreleaser.yml, narrowed to this machine's platform (its builds'
#      goos/goarch, and dist in a temporary directory: the diff is printed),
#      and signs the SHA256SUMS file exactly as the release workflow does
#      (the signs section, GPG_FINGERPRINT), with a throwaway RSA key made
#      for the run in a temporary GNUPGHOME
#   2. tools/release-test copies what the GitHub release would hold (plus
#      release.extra_files: the manifest), checks it as the Registry does on
#      publishing, and serves it over HTTPS on loopback with the provider
#      registry protocol (discovery, versions, download with shasums_url,
#      shasums_signature_url and signing_keys), with a certificate made for
#      the run; SSL_CERT_FILE makes it the only one Terraform trusts
#   3. Terraform is pointed at it by a CLI configuration whose host block
#      gives registry.terraform.io the providers.v1 URL the local discovery
#      document names, so the configuration says source =
#      "vpnresellers/vpnresellers" exactly as users write it and the lock
#      file records registry.terraform.io/vpnresellers/vpnresellers as theirs
#      will; an unreachable proxy for anything not on loopback makes sure
#      nothing reaches the real Registry
#   4. in a fresh directory: terraform init (verifies the signature: "self-
#      signed, key ID ..."), the lock file (its zh: hashes must be the zips'
#      hashes in the served SHA256SUMS), plan and apply of a project against
#      the mock API, run by the installed binary (no dev_overrides)
#   5. in another fresh directory (no plugin cache anywhere), init against a
#      view of the registry that serves a tampered zip, with the genuine
#      checksums and signature: init must refuse it (checksum mismatch)
#
# Any check that fails fails the target. It skips, saying why, where it
# cannot run: no gpg and no way to install Debian's gnupg, or macOS and
# Windows (where Go, and so Terraform, ignores SSL_CERT_FILE).
# RELEASE_TEST_NO_SKIP=1 turns a skip into a failure (the release workflow);
# RELEASE_TEST_KEEP=1 keeps the temporary directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

namespace=vpnresellers
type=vpnresellers
mock_token=test-token
wait_seconds=60
start_all=$SECONDS

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: release-test: %s\n' "$*" >&2; exit 1; }
skip() {
	if [[ "${RELEASE_TEST_NO_SKIP:-}" == 1 ]]; then die "cannot run here (RELEASE_TEST_NO_SKIP=1): $*"; fi
	printf 'SKIP: make release-test: %s\n' "$*" >&2
	exit 0
}

case "$($GO env GOOS)" in
darwin | windows) skip "Go on $($GO env GOOS) verifies TLS with the system's trust store and ignores SSL_CERT_FILE, so Terraform could not be made to trust the local registry's throwaway certificate; run it on Linux" ;;
esac

# gpg, and gpg-agent which it starts to make keys and sign: Debian's gnupg.
if ! command -v gpg >/dev/null || ! command -v gpg-agent >/dev/null; then
	command -v apt-get >/dev/null ||
		skip "gpg (with gpg-agent) is not installed, and there is no apt-get to install Debian's gnupg: install GnuPG"
	sudo=()
	if [[ "$(id -u)" != 0 ]]; then
		if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			skip "gpg is not installed, and installing Debian's gnupg needs root (no password-less sudo): apt-get install gnupg"
		fi
	fi
	step "Installing gpg: apt-get install gnupg"
	${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		skip "apt-get update failed (no package mirror reachable?), so gnupg cannot be installed"
	${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnupg ||
		skip "apt-get install gnupg failed"
	command -v gpg >/dev/null && command -v gpg-agent >/dev/null || die "gnupg installed, but gpg or gpg-agent is still missing"
fi

resolve_current_tf
tmp="$(mktemp -d "${TMPDIR:-/tmp}/release-test.XXXXXX")"
pids=()
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in ${pids[@]+"${pids[@]}"}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ -d "$tmp/gnupg" ]]; then
		GNUPGHOME="$tmp/gnupg" gpgconf --kill all 2>/dev/null || true
		GNUPGHOME="$tmp/gnupg" gpgconf --remove-socketdir 2>/dev/null || true
	fi
	if [[ "${RELEASE_TEST_KEEP:-}" == 1 ]]; then
		echo "(RELEASE_TEST_KEEP=1: kept $tmp)"
	else
		rm -rf "$tmp"
	fi
	if ((rc != 0)); then
		printf '\nmake release-test FAILED (exit %d) after %ds\n' "$rc" $((SECONDS - start_all)) >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp/bin" "$tmp/registry" "$tmp/home" "$tmp/certs"

# wait_for FILE PID LOG: until the process PID has written FILE.
wait_for() {
	local deadline=$((SECONDS + wait_seconds))
	until [[ -s "$1" ]]; do
		if ! kill -0 "$2" 2>/dev/null; then
			cat "$3" >&2 || true
			die "$(basename "$3" .log) exited before it was ready (log above)"
		fi
		((SECONDS < deadline)) || { cat "$3" >&2; die "$(basename "$3" .log) not ready within ${wait_seconds}s"; }
		sleep 0.2
	done
}

# Terraform runs with nothing of the caller's: no TF_* variable, no CLI
# configuration, credentials or plugin directory from HOME, and no way out
# of loopback (Go never proxies loopback; everything else goes to a closed
# port), trusting only the certificate made for the run (Go reads
# SSL_CERT_FILE, and SSL_CERT_DIR instead of the system's directories).
for v in $(compgen -e); do
	case "$v" in TF_* | VPNRESELLERS_*) unset "$v" ;; esac
done
export CHECKPOINT_DISABLE=1
tf_run() {
	env HOME="$tmp/home" SSL_CERT_FILE="$tmp/registry/ca.pem" SSL_CERT_DIR="$tmp/certs" \
		HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY= \
		https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 no_proxy= \
		TF_IN_AUTOMATION=1 TF_INPUT=0 VPNRESELLERS_TOKEN="$mock_token" "$@" "$tf" "${tf_args[@]}"
}

step "Tools"
echo "    terraform: $tf (v$tfv)"
echo "    $(gpg --version | sed -n 1p)"
"$repo_root/tools/make/install-tool.sh" goreleaser
echo "    $(bin/goreleaser --version 2>/dev/null | grep -i -m1 '^gitversion' | tr -s ' ')"
echo "==> go vet + go test of tools/release-test, then build it and the mock API"
(cd tools && GOWORK=off "$GO" vet ./release-test && GOWORK=off "$GO" test -count=1 ./release-test &&
	GOWORK=off "$GO" build -o "$tmp/bin/release-test" ./release-test)
"$GO" build -o "$tmp/bin/vpnresellers-mock" ./internal/mockapi/cmd/vpnresellers-mock
rt="$tmp/bin/release-test"

step "Throwaway signing key (GNUPGHOME=$tmp/gnupg)"
export GNUPGHOME="$tmp/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
	--quick-generate-key 'release-test throwaway key <release-test@invalid>' rsa3072 sign 1d 2>/dev/null
fpr="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')"
[[ "$fpr" =~ ^[0-9A-F]{40}$ ]] || die "no fingerprint for the generated key"
key_id="${fpr: -16}"
gpg --batch --armor --export "$fpr" >"$tmp/signing-key.asc"
echo "    RSA 3072, fingerprint $fpr (key ID $key_id), expires in a day, exists only in $GNUPGHOME"

step "goreleaser release --snapshot, with .goreleaser.yml narrowed to $($GO env GOOS)/$($GO env GOARCH)"
"$rt" config -in .goreleaser.yml -dist "$tmp/dist" -out "$tmp/goreleaser.yml"
echo "--- what differs from .goreleaser.yml:"
diff -u .goreleaser.yml "$tmp/goreleaser.yml" | sed 1,2d || true
echo "---"
start=$SECONDS
GPG_FINGERPRINT="$fpr" bin/goreleaser release --snapshot --clean --config "$tmp/goreleaser.yml" 2>&1 |
	sed 's/^/    /'
echo "    goreleaser: $((SECONDS - start))s"

step "The release as published (the assets a GitHub release of this snapshot would hold)"
"$rt" assets -dist "$tmp/dist" -config "$tmp/goreleaser.yml" -out "$tmp/release" | sed 's/^/    /'

step "Local provider registry (HTTPS on loopback)"
"$rt" serve -assets "$tmp/release" -key "$tmp/signing-key.asc" -state "$tmp/registry" \
	-namespace "$namespace" -type "$type" >"$tmp/registry.log" 2>&1 &
pids+=($!)
wait_for "$tmp/registry/url" "${pids[-1]}" "$tmp/registry.log"
sed 's/^/    /' "$tmp/registry.log"
registry="$(tr -d '[:space:]' <"$tmp/registry/url")"
version="$(tr -d '[:space:]' <"$tmp/registry/version")"
get() { "$rt" fetch -ca "$tmp/registry/ca.pem" "$registry$1"; }

echo "--- GET /.well-known/terraform.json"
get /.well-known/terraform.json | tee "$tmp/discovery.json"
providers_v1="$(tr -d ' \n' <"$tmp/discovery.json" | sed -n 's/.*"providers\.v1":"\([^"]*\)".*/\1/p')"
[[ -n "$providers_v1" ]] || die "the discovery document names no providers.v1"
[[ "$providers_v1" == https://* ]] || providers_v1="$registry$providers_v1"

echo "--- GET ${providers_v1#"$registry"}$namespace/$type/versions"
get "${providers_v1#"$registry"}$namespace/$type/versions" | tee "$tmp/versions.json"
protocols="$(tr -d ' \n' <"$tmp/versions.json" | grep -o '"protocols":\[[^]]*\]')"
# main.go serves protocol 6 only (tf6server): the manifest must say so.
[[ "$protocols" == '"protocols":["6.0"]' ]] ||
	die "the release declares $protocols (terraform-registry-manifest.json), but the provider speaks protocol 6 only"

os_arch="$($GO env GOOS)/$($GO env GOARCH)"
echo "--- GET ${providers_v1#"$registry"}$namespace/$type/$version/download/$os_arch (ascii_armor shortened)"
get "${providers_v1#"$registry"}$namespace/$type/$version/download/$os_arch" |
	sed 's/\("ascii_armor": "-----BEGIN PGP PUBLIC KEY BLOCK-----\).*\(-----END PGP PUBLIC KEY BLOCK-----\\n"\)/\1\\n...\\n\2/'

sums_name="terraform-provider-${type}_${version}_SHA256SUMS"
echo "--- the served SHA256SUMS: GET /files/$sums_name"
get "/files/$sums_name" | tee "$tmp/SHA256SUMS"
grep -q -E "  terraform-provider-${type}_${version}_manifest\.json$" "$tmp/SHA256SUMS" ||
	die "SHA256SUMS does not list the manifest"
get "/files/$sums_name.sig" >"$tmp/SHA256SUMS.sig"
echo "--- gpg --verify of the served signature against the served SHA256SUMS:"
gpg --batch --verify "$tmp/SHA256SUMS.sig" "$tmp/SHA256SUMS" 2>&1 | sed 's/^/    /'

step "Mock VPNresellers API"
"$tmp/bin/vpnresellers-mock" -addr 127.0.0.1:0 -url-file "$tmp/mock.url" -token "$mock_token" >"$tmp/mock.log" 2>&1 &
pids+=($!)
wait_for "$tmp/mock.url" "${pids[-1]}" "$tmp/mock.log"
base_url="$(tr -d '[:space:]' <"$tmp/mock.url")"
echo "    $base_url (token $mock_token)"

# cli_config FILE PROVIDERS_V1: a CLI configuration that installs providers
# from registries only (no local mirror, no dev_overrides), with
# registry.terraform.io's providers.v1 service at PROVIDERS_V1.
cli_config() {
	cat >"$1" <<EOF
provider_installation {
  direct {}
}

host "registry.terraform.io" {
  services = {
    "providers.v1" = "$2"
  }
}
EOF
}
# workdir DIR: a fresh directory with the configuration users would write.
workdir() {
	mkdir -p "$1"
	cat >"$1/main.tf" <<EOF
terraform {
  required_providers {
    vpnresellers = {
      source  = "$namespace/$type"
      version = "$version"
    }
  }
}

provider "vpnresellers" {
  base_url = "$base_url"
}

resource "vpnresellers_project" "release_test" {
  name        = "release-test"
  description = "Created by make release-test with the provider from the signed snapshot release"
}

output "project_id" {
  value = vpnresellers_project.release_test.id
}
EOF
}

step "Terraform CLI configuration ($tmp/terraformrc)"
cli_config "$tmp/terraformrc" "$providers_v1"
cat "$tmp/terraformrc"
work="$tmp/work"
workdir "$work"
echo "--- $work/main.tf"
cat "$work/main.tf"

step "terraform init"
tf_args=(-chdir="$work" init -input=false -no-color)
tf_run TF_CLI_CONFIG_FILE="$tmp/terraformrc" 2>&1 | tee "$tmp/init.out"
installed="- Installed $namespace/$type v$version (self-signed, key ID $key_id)"
grep -q -x -F -- "$installed" "$tmp/init.out" || die "terraform init did not print: $installed"
echo "    ok: $installed"

step "The lock file ($work/.terraform.lock.hcl)"
cat "$work/.terraform.lock.hcl"
grep -q '"h1:' "$work/.terraform.lock.hcl" || die "the lock file has no h1: hash"
# Terraform records a zh: hash for every line of the signed SHA256SUMS (the
# zips of all platforms, and the manifest), so that another platform's
# package can be checked later: they must be exactly the served file's.
locked="$(grep -o '"zh:[0-9a-f]*"' "$work/.terraform.lock.hcl" | tr -d '"' | sed 's/^zh://' | sort)"
served="$(awk '{ print $1 }' "$tmp/SHA256SUMS" | sort)"
if [[ "$locked" != "$served" ]]; then
	printf 'lock file zh: hashes:\n%s\nhashes in the served SHA256SUMS:\n%s\n' "$locked" "$served" >&2
	die "the lock file's zh: hashes are not those of the served SHA256SUMS"
fi
zip_name="terraform-provider-${type}_${version}_$($GO env GOOS)_$($GO env GOARCH).zip"
awk -v n="$zip_name" '$2 == n { found = 1 } END { exit !found }' "$tmp/SHA256SUMS" ||
	die "the served SHA256SUMS does not list $zip_name"
awk '{ print "    ok: zh:" $1 " = " $2 " in the served SHA256SUMS" }' "$tmp/SHA256SUMS"

step "terraform plan and apply, against the mock API, with the installed provider"
# TF_LOG_PROVIDER=DEBUG, to a file: go-plugin's "starting plugin: path=..."
# line says which binary Terraform ran. Nothing secret is in play (the
# mock's token), and only that line is shown.
tf_args=(-chdir="$work" plan -input=false -no-color -out=tfplan)
tf_run TF_CLI_CONFIG_FILE="$tmp/terraformrc" TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$tmp/plan.log" 2>&1 | tee "$tmp/plan.out"
tf_args=(-chdir="$work" apply -input=false -no-color tfplan)
tf_run TF_CLI_CONFIG_FILE="$tmp/terraformrc" TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$tmp/apply.log" 2>&1 | tee "$tmp/apply.out"
grep -q '^Apply complete! Resources: 1 added, 0 changed, 0 destroyed\.$' "$tmp/apply.out" || die "apply did not create the project"
if grep -q -i 'development overrides' "$tmp/plan.out" "$tmp/apply.out"; then die "a dev override was in effect"; fi
installed=".terraform/providers/registry.terraform.io/$namespace/$type/$version/$($GO env GOOS)_$($GO env GOARCH)/terraform-provider-${type}_v$version"
echo "--- the provider binary Terraform ran (go-plugin's \"starting plugin\" log line):"
started="$(grep -h -o 'starting plugin: path=[^ ]*' "$tmp/plan.log" "$tmp/apply.log" | sort -u)"
sed 's/^/    /' <<<"$started"
[[ -n "$started" ]] || die "the logs show no provider started"
others="$(grep -v -F "$installed" <<<"$started" || true)"
[[ -z "$others" ]] || die "Terraform ran another provider binary than the installed one: $others"
echo "--- which is goreleaser's build (.goreleaser.yml's flags and env; go version -m):"
"$GO" version -m "$work/$installed" | grep -E '^[[:space:]]build[[:space:]](-trimpath|CGO_ENABLED|GOOS|GOARCH)=' |
	sed 's/^[[:space:]]*build[[:space:]]*/    /'
# -trimpath leaves -ldflags out of the build information: look for the
# version that -X main.version={{.Version}} wrote instead.
grep -a -q -F -- "$version" "$work/$installed" || die "the installed binary does not hold its version $version (ldflags)"
echo "    and holds main.version = $version"
echo "--- the mock API's requests:"
grep -E '(POST|GET) /v4_1/projects' "$tmp/mock.log" | sed 's/^/    /'
grep -q 'POST /v4_1/projects 20[01]' "$tmp/mock.log" || die "the mock API saw no project created"

step "A tampered zip: terraform init in a fresh directory, against a download host serving another zip"
cli_config "$tmp/terraformrc-tampered" "$registry/tampered${providers_v1#"$registry"}"
echo "--- $tmp/terraformrc-tampered: providers.v1 = $registry/tampered${providers_v1#"$registry"}"
echo "    (the same versions, download document, SHA256SUMS and signature; download_url serves a zip whose binary has bytes appended)"
tampered="$tmp/work-tampered"
workdir "$tampered"
tf_args=(-chdir="$tampered" init -input=false -no-color)
rc=0
tf_run TF_CLI_CONFIG_FILE="$tmp/terraformrc-tampered" >"$tmp/init-tampered.out" 2>&1 || rc=$?
cat "$tmp/init-tampered.out"
((rc != 0)) || die "terraform init installed the tampered zip"
grep -q -E 'incorrect checksum|checksum mismatch|doesn.t match the expected checksum' "$tmp/init-tampered.out" ||
	die "terraform init failed, but not on the checksum (output above)"
n="$(grep -c 'serving a TAMPERED' "$tmp/registry.log" || true)"
[[ "$n" == 1 ]] || die "the tampered zip was served $n times, expected once"
if find "$tampered/.terraform" -type f -name "terraform-provider-$type*" 2>/dev/null | grep -q .; then
	die "a provider binary was left in $tampered/.terraform"
fi
echo "    ok: terraform init refused the tampered zip (exit $rc), served once; nothing installed"

step "Everything the local registry served"
sed 's/^/    /' "$tmp/registry.log"

step "make release-test passed in $((SECONDS - start_all))s: v$version installed from a signed release through the registry protocol, applied, and a tampered zip refused"
