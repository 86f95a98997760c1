#!/usr/bin/env bash
# Does this TURN server relay data? Forces the data channel through it (--relay-only) and checks
# that the selected pair really is a relay. Exit 0 yes, 69 when the server refuses or cannot be
# reached, 75 on timeout.
#   examples/turn-relay-check.sh turn:user:pass@turn.example.org:3478?transport=udp
set -uo pipefail
rtcat=${RTCAT:-"$(dirname "$0")/../rtcat"}
url=${1:?usage: turn-relay-check.sh turn:USER:PASS@HOST[:PORT][?transport=udp|tcp]}
report=$($rtcat loopback --size 4M --relay-only --ice "$url" --json --quiet --timeout 15)
code=$?
if [[ $code -ne 0 ]]; then
  echo "FAIL: $(jq -r .error <<<"$report") (exit $code)"
  exit "$code"
fi
jq -r '"OK: relayed via \(.connection.local_candidate.url) (\(.connection.local_candidate.relay_protocol)), rtt \(.connection.ice_rtt_ms) ms, \(.sender.bytes_per_second / 1e6 | floor) MB/s"' <<<"$report"
