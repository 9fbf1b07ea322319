#!/usr/bin/env bash
# Runs every benchmark in the repository; each prints its figures beside its
# peer's, measured in the same run (see bench/README.md). A bench whose
# directory or prerequisites are missing is skipped with a message.
#
#   bench/run.sh                 # all, default sizes (each about 2 min or less)
#   bench/run.sh app ui          # only some: app ui engine ics bus team
#   APP_ARGS="-n 7 -idle 20s" ENGINE_BENCHTIME=10s RUNS=5 \
#     BUS_ARGS="-watchers 200,500,1000 -claims 200" bench/run.sh   # longer runs
#
# Exit status: 0 when every bench that ran met its targets, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."

all=(app ui engine ics bus team)
want=("$@")
[ ${#want[@]} -eq 0 ] && want=("${all[@]}")

declare -A status
section() { printf '\n=== %s ===\n' "$1"; }

run_app() {
	[ -f bench/app/main.go ] || { echo "skipped: bench/app/main.go missing"; return 10; }
	# shellcheck disable=SC2086 # APP_ARGS is a list of flags
	go run ./bench/app ${APP_ARGS:-}
}

run_ui() {
	[ -f internal/ui/render_bench_test.go ] || { echo "skipped: internal/ui/render_bench_test.go missing"; return 10; }
	local out
	out=$(go test -run '^$' -bench '^BenchmarkPagesRender$' -benchtime "${UI_BENCHTIME:-20x}" \
		-count "${UI_COUNT:-5}" ./internal/ui 2>&1) || { echo "$out"; return 1; }
	echo "$out" | grep -E '^(Benchmark|cpu:)'
	echo "$out" | awk '
		/^BenchmarkPagesRender\// {
			split($1, p, "/"); key = p[2] "/" p[3]; sub(/-[0-9]+$/, "", key)
			v[key] = v[key] " " $3
		}
		END {
			printf "\nmedian ms from apply(vm) to a rendered frame (900x620, software painter):\n"
			for (k in v) {
				n = split(substr(v[k], 2), a, " ")
				for (i = 2; i <= n; i++) { # insertion sort (mawk has no asort)
					x = a[i] + 0
					for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j + 1] = a[j]
					a[j + 1] = x
				}
				m[k] = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			}
			split("cold warm paint", kinds, " ")
			printf "%-6s %12s %12s %8s\n", "", "500 rows", "50 rows", "ratio"
			for (i = 1; i <= 3; i++) {
				k = kinds[i]
				printf "%-6s %12.1f %12.1f %7.2fx\n", k, m[k "/rows=500"] / 1e6, m[k "/rows=50"] / 1e6, m[k "/rows=500"] / m[k "/rows=50"]
			}
			t = m["cold/rows=500"] / 1e6
			printf "cold, 500 rows: %.1f ms (target <= 100 ms): %s\n", t, (t <= 100 ? "pass" : "FAIL")
			if (t > 100) exit 2
		}'
}

run_engine() {
	[ -x bench/engine/run.sh ] || { echo "skipped: bench/engine/run.sh missing"; return 10; }
	bench/engine/run.sh "${ENGINE_BENCHTIME:-3s}"
}

run_ics() {
	[ -x bench/ics/run.sh ] || { echo "skipped: bench/ics/run.sh missing"; return 10; }
	for tool in node /usr/bin/time; do
		command -v "$tool" >/dev/null || { echo "skipped: bench/ics needs $tool"; return 10; }
	done
	bench/ics/run.sh
}

run_bus() {
	[ -d bench/bus ] || { echo "skipped: bench/bus missing"; return 10; }
	# shellcheck disable=SC2086 # BUS_ARGS is a list of flags
	go run ./bench/bus ${BUS_ARGS:-}
}

run_team() {
	[ -d bench/team ] || { echo "skipped: bench/team missing"; return 10; }
	[ -x /usr/bin/prometheus-alertmanager ] || { echo "skipped: bench/team needs /usr/bin/prometheus-alertmanager"; return 10; }
	# shellcheck disable=SC2086 # TEAM_ARGS is a list of flags
	go run ./bench/team ${TEAM_ARGS:-}
}

for b in "${want[@]}"; do
	if ! declare -F "run_$b" >/dev/null; then
		echo "unknown bench $b (have: ${all[*]})" >&2
		exit 2
	fi
	section "$b"
	start=$SECONDS
	"run_$b"
	rc=$?
	case $rc in
	0) status[$b]="ok" ;;
	10) status[$b]="skipped" ;;
	*) status[$b]="FAILED or over target (exit $rc)" ;;
	esac
	echo "($b: $((SECONDS - start)) s)"
done

section summary
fail=0
for b in "${want[@]}"; do
	printf '%-7s %s\n' "$b" "${status[$b]}"
	[[ ${status[$b]} == FAILED* ]] && fail=1
done
exit $fail
