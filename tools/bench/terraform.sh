#!/usr/bin/env bash
# Real-Terraform benchmark (`make bench-terraform`): times terraform apply, a
# no-change plan and destroy of a generated configuration against the
# standalone mock API, beside the same graph built from terraform_data
# (Terraform's own floor: no plugin, no API) and from benchnoop_thing, a
# terraform-plugin-framework resource that makes no call (tools/bench/
# noopprovider, SDK logging off: the floor of any framework provider), and,
# for the single resources, from no-call framework resources of the
# provider's own schemas (benchnoop_project, _customer, _account: the floor
# of those schemas). It is a benchmark, not a test: it prints figures and
# fails only when Terraform fails or a plan is not empty.
#
# Parameters (environment variables, or make variables of the same name):
#   N=50            objects per level of the graph
#   LATENCY=20ms    delay the mock adds to every request (a Go duration)
#   MODE=graph      configuration layout (see "Layouts" below): graph (N
#                   projects -> N customers -> N accounts), accounts (N single
#                   account resources) or fleet (the same N accounts in one
#                   vpnresellers_accounts resource)
#   PARALLELISM=10  terraform -parallelism
#   REPEAT=1        runs of each phase; the median is reported
#   PROFILE=DIR     first run the phases once more, untimed, with the provider
#                   started with -debug -cpuprofile and attached through
#                   TF_REATTACH_PROVIDERS: DIR/provider-<phase>.pprof
#   RPS=0           the mock's rate limit in requests per second (0: none);
#                   with it, each phase also prints the requests answered 429
#                   and the rate bound 1.3 x calls / RPS + 10 s
#   API_ACCOUNTS=0  accounts on the API besides the configuration's (seeded
#                   in the mock as if made outside Terraform)
# Terraform is $TF_ACC_TERRAFORM_PATH, else the one on PATH; the provider is
# the freshly built binary, installed through dev_overrides. Log variables
# (TF_LOG...) are passed through as they are: unset them to measure what a
# user gets.
#
# Per phase it prints the wall time of each run, the limit (the framework
# floor + minimum API calls x LATENCY / PARALLELISM), the provider/limit and
# provider/terraform_data ratios, the same-schema floor and the provider
# against it plus the same calls (prov/slim), the peak RSS of the
# provider's plugin process and of the no-call provider's (the largest of
# the plugin processes a phase starts: tools/bench/peakrss; GOGC and
# GOMEMLIMIT as you set them), the CPU seconds of the plugins and of
# Terraform itself, and the API calls the mock counted, by route.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${N:-50}"
LATENCY="${LATENCY:-20ms}"
MODE="${MODE:-graph}"
PARALLELISM="${PARALLELISM:-10}"
REPEAT="${REPEAT:-1}"
PROFILE="${PROFILE:-}"
RPS="${RPS:-0}"
API_ACCOUNTS="${API_ACCOUNTS:-0}"

die() { printf 'bench-terraform: %s\n' "$*" >&2; exit 1; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive whole number, got '$N'"
[[ "$PARALLELISM" =~ ^[1-9][0-9]*$ ]] || die "PARALLELISM must be a positive whole number"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive whole number"
[[ "$RPS" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "RPS must be a number of requests per second, got '$RPS'"
[[ "$API_ACCOUNTS" =~ ^[0-9]+$ ]] || die "API_ACCOUNTS must be a whole number, got '$API_ACCOUNTS'"

# The layouts (MODE=NAME) live in tools/bench/layouts.sh.
# shellcheck source=tools/bench/layouts.sh
source "$repo_root/tools/bench/layouts.sh"

declare -F "layout_${MODE}_provider" >/dev/null || die "unknown MODE '$MODE' (no function layout_${MODE}_provider)"

# ---------------------------------------------------------------------------

tf="${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}"
[[ -n "$tf" && -x "$tf" ]] || die "no terraform: put one on PATH or set TF_ACC_TERRAFORM_PATH"
command -v curl >/dev/null || die "curl is needed to read the mock's counters"
# LATENCY in milliseconds (a single-unit Go duration: 0, 20ms, 1.5s, 500us).
latency_ms="$(awk -v d="$LATENCY" 'BEGIN {
	if (d == "0") { print 0; exit }
	if (!match(d, /^[0-9]+(\.[0-9]+)?(ns|us|ms|s|m)$/)) exit 1
	n = d; sub(/[a-z]+$/, "", n); u = substr(d, length(n) + 1)
	f["ns"] = 1e-6; f["us"] = 1e-3; f["ms"] = 1; f["s"] = 1e3; f["m"] = 6e4
	print n * f[u]
}')" || die "LATENCY must be a duration such as 20ms, 1s or 0, got '$LATENCY'"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/vpnresellers-bench.XXXXXX")"
mock_pid=""
prov_pid=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for pid in "$prov_pid" "$mock_pid"; do
		if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			kill -INT "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$repo_root"
echo "==> building the provider and the mock"
mkdir -p "$tmp/bin" "$tmp/plugins"
go build -o "$tmp/bin/terraform-provider-vpnresellers" .
go build -o "$tmp/vpnresellers-mock" ./internal/mockapi/cmd/vpnresellers-mock
(cd tools/bench/noopprovider && GOWORK=off go build -o "$tmp/bin/terraform-provider-benchnoop" .)
(cd tools && GOWORK=off go build -o "$tmp/bin/peakrss" ./bench/peakrss)
# Each plugin runs behind peakrss, which appends its peak RSS to $PEAKRSS_FILE.
for p in vpnresellers benchnoop; do
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$tmp/bin/peakrss" "$tmp/bin/terraform-provider-$p" >"$tmp/plugins/terraform-provider-$p"
	chmod +x "$tmp/plugins/terraform-provider-$p"
done

"$tmp/vpnresellers-mock" -addr 127.0.0.1:0 -url-file "$tmp/url" -latency "$LATENCY" -rps "$RPS" \
	-seed-accounts "$API_ACCOUNTS" -quiet >"$tmp/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 150); do
	[[ -s "$tmp/url" ]] && break
	kill -0 "$mock_pid" 2>/dev/null || { cat "$tmp/mock.log" >&2; die "the mock exited"; }
	sleep 0.2
done
base_url="$(tr -d '[:space:]' <"$tmp/url")"
[[ -n "$base_url" ]] || die "the mock did not start"
control="${base_url%/v4_1}/_mock"

cat >"$tmp/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "vpnresellers/vpnresellers" = "$tmp/plugins"
    "vpnresellers/benchnoop"    = "$tmp/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$tmp/terraformrc" CHECKPOINT_DISABLE=1 TF_INPUT=0 TF_IN_AUTOMATION=1
export VPNRESELLERS_BASE_URL="$base_url" VPNRESELLERS_TOKEN="test-token"

# The floors each run times before the provider: terraform_data and the
# no-call provider, and dnoop and snoop when the layout has them.
floors=(floor noop)
dnoop="" snoop=""
declare -F "layout_${MODE}_dnoop" >/dev/null && dnoop=1 && floors+=(dnoop)
declare -F "layout_${MODE}_snoop" >/dev/null && snoop=1 && floors+=(snoop)
for l in "${floors[@]}" provider; do
	mkdir -p "$tmp/$l"
	"layout_${MODE}_$l" >"$tmp/$l/main.tf"
done

logvars="$(env | grep -E '^TF_LOG' | cut -d= -f1 | tr '\n' ' ' || true)"
echo "==> $("$tf" version | sed -n 1p), MODE=$MODE N=$N LATENCY=$LATENCY PARALLELISM=$PARALLELISM REPEAT=$REPEAT RPS=$RPS API_ACCOUNTS=$API_ACCOUNTS"
echo "    log variables set: ${logvars:-none}; GOGC=${GOGC:-unset} GOMEMLIMIT=${GOMEMLIMIT:-unset}; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) on $(nproc 2>/dev/null || echo '?') cores"
[[ -n "$PROFILE" ]] && mkdir -p "$PROFILE" && PROFILE="$(cd "$PROFILE" && pwd)"

# start_debug_provider PHASE: starts the provider with -debug and a CPU
# profile, and exports TF_REATTACH_PROVIDERS for it.
start_debug_provider() {
	"$tmp/bin/terraform-provider-vpnresellers" -debug -cpuprofile "$PROFILE/provider-$1.pprof" \
		>"$tmp/provider.out" 2>"$tmp/provider-$1.err" &
	prov_pid=$!
	local line=""
	for _ in $(seq 100); do
		line="$(sed -n "s/^[[:space:]]*TF_REATTACH_PROVIDERS='\(.*\)'$/\1/p" "$tmp/provider.out")"
		[[ -n "$line" ]] && break
		sleep 0.1
	done
	[[ -n "$line" ]] || die "the provider in -debug mode printed no TF_REATTACH_PROVIDERS"
	export TF_REATTACH_PROVIDERS="$line"
}

stop_debug_provider() {
	unset TF_REATTACH_PROVIDERS
	kill -INT "$prov_pid"
	wait "$prov_pid" || true
	prov_pid=""
}

# run_phase DIR PHASE: runs one phase and prints its wall time in seconds,
# the peak RSS of its plugin processes in MiB, the CPU seconds they used
# ("-" when none ran) and the CPU seconds of Terraform itself (its process
# and its children, from bash's `times` in the subshell run_phase runs in,
# less the plugins').
run_phase() {
	local dir="$1" phase="$2" rc=0 start end rss cpu total
	local args=(-no-color -input=false -parallelism="$PARALLELISM")
	case "$phase" in
	apply) args=(apply -auto-approve "${args[@]}") ;;
	plan) args=(plan -detailed-exitcode "${args[@]}") ;;
	destroy) args=(destroy -auto-approve "${args[@]}") ;;
	esac
	: >"$tmp/rss"
	start="$EPOCHREALTIME"
	PEAKRSS_FILE="$tmp/rss" "$tf" -chdir="$dir" "${args[@]}" >"$tmp/$phase.log" 2>&1 || rc=$?
	end="$EPOCHREALTIME"
	times >"$tmp/times" # here, not in a subshell of its own: its children are this one's
	total="$(awk 'function secs(x, a) { split(x, a, "m"); sub(/s$/, "", a[2]); return a[1] * 60 + a[2] }
		NR == 2 { print secs($1) + secs($2) }' "$tmp/times")"
	rss="$(sort -n "$tmp/rss" | tail -1 | cut -d' ' -f1)"
	cpu="$(awk '{ s += $2 } END { if (NR) printf "%.2f", s; else print "-" }' "$tmp/rss")"
	if [[ $rc -ne 0 ]]; then
		cat "$tmp/$phase.log" >&2
		if [[ "$phase" == plan && $rc -eq 2 ]]; then
			die "the plan after apply of $dir is not empty"
		fi
		die "terraform $phase in $dir failed (exit $rc)"
	fi
	awk -v s="$start" -v e="$end" -v r="${rss:--}" -v c="$cpu" -v t="$total" 'BEGIN {
		printf "%.3f %s %s %.2f\n", e - s, (r == "-") ? "-" : sprintf("%.0f", r / 1024), c, t - (c == "-" ? 0 : c)
	}'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# mid "A B C": the median of a list of runs' figures ("-" and blanks left out).
mid() { tr ' ' '\n' <<<"$1" | { grep '^[0-9]' || true; } | median; }

phases=(apply plan destroy)
declare -A calls limited
# Per layout L, each phase's figures, one per run: wall time (t_L), plugin
# peak RSS (rss_L), plugin CPU (cpu_L) and Terraform's own CPU (tfc_L).
# Every layout's lists exist (empty when the layout has no such floor).
for l in floor noop dnoop snoop provider; do
	declare -A "t_$l" "rss_$l" "cpu_$l" "tfc_$l"
done

# record L PHASE: runs one phase of layout L and adds its figures to L's.
record() {
	local out t m c tc
	out="$(run_phase "$tmp/$1" "$2")" || exit 1
	read -r t m c tc <<<"$out"
	local -n T="t_$1" M="rss_$1" C="cpu_$1" TC="tfc_$1"
	T[$2]+="$t " M[$2]+="$m " C[$2]+="$c " TC[$2]+="$tc "
}
if [[ -n "$PROFILE" ]]; then
	# An untimed pass with the provider attached in -debug mode, profiled.
	for phase in "${phases[@]}"; do
		start_debug_provider "$phase"
		run_phase "$tmp/provider" "$phase" >/dev/null
		stop_debug_provider
	done
	echo "    profiling pass done"
fi
for ((r = 1; r <= REPEAT; r++)); do
	for phase in "${phases[@]}"; do
		for l in "${floors[@]}"; do
			record "$l" "$phase"
		done
		curl -fsS -X POST "$control/counts/reset" >/dev/null
		record provider "$phase"
		calls[$phase]="$(curl -fsS "$control/counts")"
		limited[$phase]="$(curl -fsS "$control/limited" | sed 's/.*"429": *\([0-9]*\).*/\1/')"
	done
	echo "    run $r/$REPEAT done"
done

# API calls as "ROUTE=COUNT, ..." and their total.
fmt_calls() { sed 's/^{//; s/}$//' <<<"$1" | tr -d '"' | tr ',' '\n' | sed 's/:\([0-9]*\)$/=\1/' | sort | paste -sd, - | sed 's/,/, /g'; }
sum_calls() { grep -o ':[0-9]*' <<<"$1" | tr -d : | awk '{ s += $1 } END { print s + 0 }'; }

# The largest of a phase's runs ("-" when no plugin ran).
peak() { tr ' ' '\n' <<<"$1" | grep '^[0-9]' | sort -n | tail -1 | grep . || echo -; }

echo
printf '%-8s %10s %10s %9s' phase provider_s tf_data_s noop_s
[[ -n "$dnoop" ]] && printf ' %9s %8s' dnoop_s dnoop_MiB
[[ -n "$snoop" ]] && printf ' %9s %10s %7s %7s' snoop_s prov/slim snoop_c snoop_t
printf ' %9s %9s %11s %8s %8s %6s %6s %16s %6s %7s' limit_s prov/lim prov/tf_data rss_MiB noop_MiB cpu_s noop_c tf_c:prov/base/d calls minimum
[[ "$RPS" != 0 ]] && printf ' %5s %5s %9s %9s' 429s 429% rate_lim_s prov/rate
printf '  %s\n' "calls by route"
for phase in "${phases[@]}"; do
	p="$(mid "${t_provider[$phase]}")"
	f="$(mid "${t_floor[$phase]}")"
	n="$(mid "${t_noop[$phase]}")"
	d="" sn=""
	[[ -n "$dnoop" ]] && d="$(mid "${t_dnoop[$phase]}")"
	[[ -n "$snoop" ]] && sn="$(mid "${t_snoop[$phase]}")"
	min="$("layout_${MODE}_calls" "$phase")"
	got="$(sum_calls "${calls[$phase]}")"
	awk -v ph="$phase" -v p="$p" -v f="$f" -v n="$n" -v c="$min" -v got="$got" -v ms="$latency_ms" -v par="$PARALLELISM" \
		-v rp="$(peak "${rss_provider[$phase]}")" -v rn="$(peak "${rss_noop[$phase]}")" -v rps="$RPS" -v lim429="${limited[$phase]:-0}" \
		-v cp="$(mid "${cpu_provider[$phase]}")" -v cn="$(mid "${cpu_noop[$phase]}")" \
		-v d="$d" -v rd="$(peak "${rss_dnoop[$phase]:-}")" -v sn="$sn" \
		-v cs="$(mid "${cpu_snoop[$phase]:-}")" \
		-v tcp="$(mid "${tfc_provider[$phase]}")" -v tcd="$(mid "${tfc_floor[$phase]}")" \
		-v tcb="$(mid "${tfc_dnoop[$phase]:-${tfc_noop[$phase]}}")" -v tcs="$(mid "${tfc_snoop[$phase]:-}")" \
		-v routes="$(fmt_calls "${calls[$phase]}")" 'BEGIN {
		base = (d != "") ? d : n
		lim = base + c * ms / 1000 / par
		printf "%-8s %10.3f %10.3f %9.3f", ph, p, f, n
		if (d != "") printf " %9.3f %8s", d, rd
		if (sn != "") printf " %9.3f %10.2f %7s %7s", sn, p / (sn + c * ms / 1000 / par), cs, tcs
		printf " %9.3f %9.2f %11.2f %8s %8s %6s %6s %16s %6d %7d", lim, p / lim, p / f, rp, rn, cp, cn, tcp "/" tcb "/" tcd, got, c
		if (rps != 0) {
			rl = 1.3 * got / rps + 10
			printf " %5d %4.1f%% %9.1f %9.2f", lim429, got ? 100 * lim429 / got : 0, rl, p / rl
		}
		printf "  %s\n", routes
	}'
	# Requests answered 429 are sent again: they are not over the minimum.
	over=$((got - ${limited[$phase]:-0} - min))
	[[ "$over" -le 0 ]] || echo "    NOTE: $phase made $over API calls more than the minimum (besides those answered 429)" >&2
done
echo
if [[ -n "$dnoop" ]]; then
	echo "limit = dnoop (the same resource making no call, served straight through terraform-plugin-go as the provider"
	echo "        serves it) + minimum calls x LATENCY / PARALLELISM; noop = a framework provider making no call;"
else
	echo "limit = noop (framework provider making no call) + minimum calls x LATENCY / PARALLELISM;"
fi
if [[ -n "$snoop" ]]; then
	echo "snoop = no-call framework resources of the provider's own schemas (attributes, timeouts block, identity);"
	echo "slim = snoop + minimum calls x LATENCY / PARALLELISM; snoop_c = their plugin's CPU seconds, median run;"
fi
echo "tf_data = the graph of terraform_data; times are medians of $REPEAT run(s), phases interleaved;"
echo "rss_MiB, noop_MiB = peak RSS of the provider's and the no-call provider's plugin process, largest run;"
echo "cpu_s, noop_c = CPU seconds of the provider's and the no-call provider's plugin processes, median run;"
echo "tf_c = CPU seconds of Terraform itself (plugins not counted) with the provider / the limit's floor / terraform_data;"
[[ -n "$snoop" ]] && echo "snoop_t = the same with snoop."
[[ "$RPS" != 0 ]] && echo "429s = requests the mock's rate limit refused (counted in calls too); rate_lim = 1.3 x calls / RPS + 10 s."
[[ -n "$PROFILE" ]] && echo "CPU profiles (untimed pass, provider attached with -debug): $PROFILE/provider-{apply,plan,destroy}.pprof"
exit 0
