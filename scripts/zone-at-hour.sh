#!/usr/bin/env bash
# Prints a fixed-offset zone (Etc/GMT±N) in which the local hour is now the
# hour given as the argument (0–23), computed from the current UTC hour.
# `make test` runs the clock-sensitive tests under the zone where it is
# 03:00 (night, inside the default quiet hours) and where it is 15:00 (day).
set -euo pipefail
want=$((10#${1:?usage: zone-at-hour.sh HOUR}))
utc=$((10#$(date -u +%H)))
off=$(( (want - utc + 24) % 24 ))   # 0..23 hours east of UTC
(( off > 12 )) && off=$(( off - 24 )) # -11..12: every one has an Etc zone
if (( off == 0 )); then
	echo Etc/UTC
elif (( off > 0 )); then
	echo "Etc/GMT-$off" # POSIX sign: Etc/GMT-3 is three hours east of UTC
else
	echo "Etc/GMT+$(( -off ))"
fi
