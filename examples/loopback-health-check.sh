#!/usr/bin/env bash
# A health check a CI job can run: can this machine's WebRTC stack connect two peers (ICE, DTLS,
# SCTP) and move data at a sane rate? Prints one line; exit 0 healthy, 1 too slow, else rtcat's
# own exit code (69 unavailable, 75 timeout...; see `rtcat --help`).
#   MIN_MBPS=5 examples/loopback-health-check.sh     (RTCAT=./rtcat to use a checkout)
set -uo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi
# rtcat from PATH, or RTCAT (a path or a command line, e.g. RTCAT=./rtcat from a checkout)
rtcat=${RTCAT:-rtcat}
for tool in "${rtcat%% *}" jq; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (put rtcat on PATH or set RTCAT=/path/to/rtcat)" >&2; exit 69; }
done
# the report must be JSON: anything else is a failure, never an OK
need_report() {
  if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$report"; then
    echo "FAIL: rtcat printed no JSON report (exit $code): $(head -c 200 <<<"$report")"
    exit $(( code == 0 ? 70 : code ))
  fi
}
min=${MIN_MBPS:-5}
report=$($rtcat loopback --size "${SIZE:-16M}" --json --quiet ${ICE:+--ice "$ICE"})
code=$?
need_report
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
