#!/usr/bin/env bash
# Benchmark of the ICS expansion: ours (internal/schedule/ical via
# bench/ics/icsexpand), the reference oracle (node tools/ics-oracle/expand.mjs)
# and github.com/apognu/gocal (bench/ics/gocalpeer), on the perf-2000 calendar
# (2,000 generated masters × 5 years). Prints seconds, max RSS and ratios.
#
#   bench/ics/run.sh            # from the repository root; needs go, node, /usr/bin/time
#   RUNS=5 GOCAL_TIMEOUT=120 bench/ics/run.sh
#
# Nothing is written outside a temporary directory (and, when the oracle has
# no node_modules, ~/.cache/standby-ics-oracle, filled once with `npm ci`).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$root/../shared}
runs=${RUNS:-3}
gocal_timeout=${GOCAL_TIMEOUT:-60}
oracle_timeout=${ORACLE_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }
command -v node >/dev/null || { echo "needs node" >&2; exit 2; }

echo "building…" >&2
(cd "$root" && go build -o "$tmp/icsexpand" ./bench/ics/icsexpand && go build -o "$tmp/gocalpeer" ./bench/ics/gocalpeer \
  && go build -o "$tmp/standby" ./cmd/standby)

oracle=$shared/tools/ics-oracle
if [ ! -d "$oracle/node_modules/ical.js" ]; then
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/standby-ics-oracle
  if [ ! -d "$cache/node_modules/ical.js" ]; then
    echo "installing the oracle's dependencies into $cache (npm ci)…" >&2
    mkdir -p "$cache"
    cp "$oracle/expand.mjs" "$oracle/package.json" "$oracle/package-lock.json" "$cache/"
    (cd "$cache" && npm ci --no-audit --no-fund >/dev/null)
  fi
  cp "$oracle/expand.mjs" "$cache/"
  oracle=$cache
fi

cal=$tmp/perf-2000.ics
node "$shared/tools/ics-gen/gen.mjs" perf-2000 --events 2000 --years 5 > "$cal"
echo "calendar: $(wc -c < "$cal") bytes, $(grep -c '^BEGIN:VEVENT' "$cal") VEVENTs" >&2

FULL=(2000-01-01T00:00:00Z 2030-01-01T00:00:00Z)
MONTH=(2025-03-01T00:00:00Z 2025-03-31T00:00:00Z)

# measure NAME TIMEOUT N CMD… : best wall time and its max RSS over N runs
measure() {
  local name=$1 limit=$2 n=$3; shift 3
  local best_s="" best_kb="" lines=""
  for ((i = 0; i < n; i++)); do
    if ! timeout "$limit" /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2>"$tmp/err"; then
      echo "$name timeout/failed (>${limit}s)"
      return
    fi
    read -r s kb < <(tail -1 "$tmp/time")
    lines=$(wc -l < "$tmp/out")
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$name $best_s $((best_kb / 1024)) $lines"
}

results=$tmp/results
: > "$results"
for w in FULL MONTH; do
  eval "win=(\"\${$w[@]}\")"
  measure "ours/$w" 60 "$runs" "$tmp/icsexpand" "$cal" "${win[@]}" >> "$results"
  # The same expansion as a whole `standby ics expand` command (the app's
  # binary, which also links Fyne).
  LANG=en_US.UTF-8 measure "standby/$w" 60 "$runs" "$tmp/standby" ics expand "$cal" "${win[@]}" >> "$results"
  measure "oracle/$w" "$oracle_timeout" 1 node "$oracle/expand.mjs" "$cal" "${win[@]}" --timeout 0 >> "$results"
  measure "gocal/$w" "$gocal_timeout" 1 "$tmp/gocalpeer" "$cal" "${win[@]}" >> "$results"
done

echo
echo "ours = bench/ics/icsexpand (the package alone); standby = the same through \`standby ics expand\`"
echo "window  tool     seconds   max RSS MB   lines    time vs ours   RSS vs ours"
for w in FULL MONTH; do
  read -r _ os omb _ < <(grep "^ours/$w " "$results" || echo "x - - -")
  for tool in ours standby oracle gocal; do
    line=$(grep "^$tool/$w " "$results" || true)
    if [ -z "$line" ] || [[ $line == *timeout* ]]; then
      printf '%-7s %-8s %s\n' "$w" "$tool" "${line#* }"
      continue
    fi
    read -r _ s mb lines <<< "$line"
    printf '%-7s %-8s %7s   %10s   %6s   %12s   %11s\n' "$w" "$tool" "$s" "$mb" "$lines" \
      "$(awk "BEGIN{if ($os>0) printf \"%.1fx\", $s/$os; else print \"-\"}")" \
      "$(awk "BEGIN{if ($omb>0) printf \"%.1fx\", $mb/$omb; else print \"-\"}")"
  done
done
echo
echo "windows: FULL ${FULL[*]} (ours/oracle print the first 100000 of ~600k), MONTH ${MONTH[*]}"
echo "gocal's output is its own (not comparable); a gocal timeout means > ${gocal_timeout}s"
