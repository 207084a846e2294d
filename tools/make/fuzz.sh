#!/usr/bin/env bash
# `make fuzz`: fuzzes every Go fuzz target of the module, one at a time, for a
# bounded time each, and prints how many inputs each one ran.
#
# The targets are found with `go test -list '^Fuzz' ./...`, so a target added
# in any package is fuzzed without touching this script. Their seed corpora
# (f.Add and testdata/fuzz/FuzzX/*) already run in every `go test`; this is
# the search for new inputs. A failing input is written by go test to
# testdata/fuzz/FuzzX/ in the target's package: this script prints it, and
# committed there it becomes a regression seed.
#
# Environment:
#   FUZZTIME       time (or Nx iterations) per target, default 30s
#   FUZZ_BUDGET    seconds of fuzzing in all (compiles not counted): when set,
#                  each target gets this divided by their number, at most
#                  FUZZTIME (in seconds) and at least 10s, so that targets
#                  added later do not lengthen a CI run without bound
#   FUZZ_PARALLEL  fuzzing workers per target, default go test's (GOMAXPROCS)
#   FUZZ_MINIMIZE  time spent shrinking each new input, default 2s: go test's
#                  60s would spend most of a short run shrinking the inputs
#                  that find new code instead of trying new ones (a 10-minute
#                  run of a target that finds 200 such inputs spent most of it
#                  shrinking them even at 5s)
#   FUZZ_RUN       only the targets whose name matches this regexp (default all)
#   FUZZ_PKGS      the packages to search, default ./...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FUZZTIME="${FUZZTIME:-30s}"
FUZZ_PARALLEL="${FUZZ_PARALLEL:-}"
FUZZ_MINIMIZE="${FUZZ_MINIMIZE:-2s}"
FUZZ_RUN="${FUZZ_RUN:-.}"
read -r -a pkgs <<<"${FUZZ_PKGS:-./...}"

# `go test -list` prints a package's matching names, then "ok <pkg> <time>".
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
if ! "$GO" test -list '^Fuzz' "${pkgs[@]}" >"$list" 2>&1; then
	cat "$list" >&2
	echo "ERROR: go test -list failed" >&2
	exit 1
fi
targets=()
names=()
while read -r first second _; do
	case "$first" in
	Fuzz*) names+=("$first") ;;
	ok)
		for name in "${names[@]}"; do
			if [[ "$name" =~ $FUZZ_RUN ]]; then
				targets+=("$second $name")
			fi
		done
		names=()
		;;
	esac
done <"$list"
if ((${#targets[@]} == 0)); then
	echo "no fuzz targets found (matching '$FUZZ_RUN')"
	exit 0
fi

if [[ -n "${FUZZ_BUDGET:-}" ]]; then
	share=$((FUZZ_BUDGET / ${#targets[@]}))
	if [[ "$FUZZTIME" =~ ^([0-9]+)s$ ]] && ((BASH_REMATCH[1] < share)); then
		share="${BASH_REMATCH[1]}"
	fi
	FUZZTIME="$((share < 10 ? 10 : share))s"
fi
module="$("$GO" list -m)"
parallel=()
if [[ -n "$FUZZ_PARALLEL" ]]; then
	parallel=(-parallel "$FUZZ_PARALLEL")
fi
echo "==> fuzzing ${#targets[@]} targets for $FUZZTIME each"
summary=()
failed=()
start=$SECONDS
for target in "${targets[@]}"; do
	read -r pkg name <<<"$target"
	echo "==> $pkg $name"
	out="$(mktemp)"
	rc=0
	# -run '^$': no tests, only the target (its seeds run first as its
	# baseline). The target's regexp is anchored: FuzzX must not match FuzzXY.
	"$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZ_MINIMIZE" "${parallel[@]}" "$pkg" 2>&1 | tee "$out" || rc=$?
	# The last progress line says how many inputs ran: "fuzz: elapsed: 30s,
	# execs: 123456 (4115/sec), new interesting: 3 (total: 40)".
	execs="$(sed -n 's/^fuzz: elapsed: .*, execs: \([0-9]*\) .*/\1/p' "$out" | tail -n 1)"
	summary+=("$(printf '%10s  %-28s %s' "${execs:-?}" "$name" "${pkg/#"$module"/.}")")
	if ((rc != 0)); then
		failed+=("$name ($pkg)")
		# The failing input go test saved, to commit as a regression seed.
		grep -o 'testdata/fuzz/[^ ]*' "$out" | sort -u | while read -r seed; do
			dir="$("$GO" list -f '{{.Dir}}' "$pkg")"
			if [[ -f "$dir/$seed" ]]; then
				echo "---- $dir/$seed:"
				cat "$dir/$seed"
			fi
		done
	fi
	rm -f "$out"
done
echo "==> executions per target ($FUZZTIME each, $((SECONDS - start))s in all):"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
	echo "==> FAILED: ${failed[*]}" >&2
	exit 1
fi
