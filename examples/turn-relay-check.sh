#!/usr/bin/env bash
# Does this TURN server relay data? Forces the data channel through it (--relay-only) and checks
# that the selected pair really is a relay. Exit 0 yes, 69 when the server refuses or cannot be
# reached, 75 on timeout.
#   examples/turn-relay-check.sh turn:user:pass@turn.example.org:3478?transport=udp
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
url=${1:?usage: turn-relay-check.sh turn:USER:PASS@HOST[:PORT][?transport=udp|tcp]}
report=$($rtcat loopback --size 4M --relay-only --ice "$url" --json --quiet --timeout 15)
code=$?
need_report
if [[ $code -ne 0 ]]; then
  echo "FAIL: $(jq -r .error <<<"$report") (exit $code)"
  exit "$code"
fi
jq -r '"OK: relayed via \(.connection.local_candidate.url) (\(.connection.local_candidate.relay_protocol)), rtt \(.connection.ice_rtt_ms) ms, \(.sender.bytes_per_second / 1e6 | floor) MB/s"' <<<"$report"
