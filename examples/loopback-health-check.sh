#!/usr/bin/env bash
# A health check a CI job can run: can this machine's WebRTC stack connect two peers (ICE, DTLS,
# SCTP) and move data at a sane rate? Prints one line; exit 0 healthy, 1 too slow, else rtcat's
# own exit code (69 unavailable, 75 timeout...; see `rtcat --help`).
#   RTCAT=./rtcat MIN_MBPS=5 examples/loopback-health-check.sh
set -uo pipefail
rtcat=${RTCAT:-"$(dirname "$0")/../rtcat"}
min=${MIN_MBPS:-5}
report=$($rtcat loopback --size "${SIZE:-16M}" --json --quiet ${ICE:+--ice "$ICE"})
code=$?
if [[ $code -ne 0 ]]; then
  echo "UNHEALTHY: $(jq -r '.error // "no report"' <<<"$report" 2>/dev/null) (exit $code)"
  exit "$code"
fi
mbps=$(jq -r '.sender.bytes_per_second / 1e6 | floor' <<<"$report")
summary="$(jq -r '"\(.connection.path) \(.connection.local_candidate.type)/\(.connection.local_candidate.protocol), connect \(.connect_ms) ms"' <<<"$report"), ${mbps} MB/s"
if (( mbps < min )); then
  echo "SLOW: $summary (below $min MB/s)"
  exit 1
fi
echo "OK: $summary"
