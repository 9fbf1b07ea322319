#!/bin/sh
# Measures one engine poll cycle with 500 open pages and derives the engine's
# steady CPU share at the default cadence: 3 sources polled every 30 s.
# Usage: bench/engine/run.sh [benchtime]   (default 3s; run from anywhere)
set -eu
cd "$(dirname "$0")/../.."
benchtime="${1:-3s}"
out=$(CGO_ENABLED=0 go test -run '^$' -bench '^BenchmarkReconcile500$' -benchmem \
	-benchtime "$benchtime" -count 3 ./internal/engine)
echo "$out" | grep -E '^(Benchmark|cpu:)'
echo "$out" | awk '
	/^BenchmarkReconcile500/ { n++; ns += $3 }
	END {
		if (n == 0) { print "no benchmark result" > "/dev/stderr"; exit 1 }
		ns /= n
		sources = 3; cadence_s = 30; budget = 0.5
		share = ns * sources / (cadence_s * 1e9) * 100
		printf "mean ns per cycle (500 pages): %.0f\n", ns
		printf "CPU share, %d sources every %d s: %.5f%% of one core (budget %.1f%%): %s\n",
			sources, cadence_s, share, budget, (share <= budget ? "OK" : "OVER BUDGET")
		if (share > budget) exit 2
	}'
