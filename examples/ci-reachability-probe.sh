#!/usr/bin/env bash
# Can this machine reach its STUN/TURN servers? Probes every URL given (no remote peer needed),
# asserts the candidate types in EXPECT and prints one line. Exits with rtcat probe's code:
# 0 ok, 80 STUN unreachable, 81 TURN credentials rejected, 82 TURN unreachable,
# 83 expected candidate type missing, 84 gathering timed out, 2 bad URL.
#   EXPECT=host,srflx,relay examples/ci-reachability-probe.sh stun:stun.example.org \
#       turn:user:pass@turn.example.org:3478?transport=udp
# EXPECT defaults to host, plus srflx when a stun: URL is given and relay when a turn(s): URL is.
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
if [[ $# -eq 0 ]]; then
  echo "usage: ci-reachability-probe.sh URL... (stun:HOST[:PORT], turn:USER:PASS@HOST[:PORT][?transport=udp|tcp])" >&2
  exit 2
fi
expect=${EXPECT:-}
if [[ -z $expect ]]; then
  expect=host
  for url in "$@"; do
    case $url in
      stun*) [[ $expect == *srflx* ]] || expect+=",srflx" ;;
      turn*) [[ $expect == *relay* ]] || expect+=",relay" ;;
    esac
  done
fi
args=()
for url in "$@"; do
  args+=(--ice "$url")
done
report=$($rtcat probe "${args[@]}" --expect "$expect" --timeout "${TIMEOUT:-10}" --json --quiet 2>/dev/null)
code=$?
need_report
if [[ $(jq -r 'has("error")' <<<"$report") == true ]]; then
  echo "FAIL: $(jq -r .error <<<"$report") (exit $code)"
  exit "$code"
fi
if [[ $code -eq 0 ]]; then
  jq -r --arg e "$expect" '"OK: \($e) found; " + ([.servers[] | "\(.url) \(.status)" + (if .first_candidate_ms then " \(.first_candidate_ms) ms" else "" end)] | join(", ")) + "; mapping \(.mapping.result)"' <<<"$report"
else
  jq -r '"FAIL: \(.failures[0].message) (exit \(.exit_code))"' <<<"$report"
fi
exit "$code"
