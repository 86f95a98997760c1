#!/usr/bin/env bash
# A call-quality probe a CI job or a monitor can run: what kind of video call does the path between here
# and a responder carry? Sends synthetic video and audio over real RTP/SRTP for DURATION seconds and compares
# the verdict with GRADE (audio, 180p, 360p, 720p or 1080p). Prints one line; exit 0 good enough, 88 below
# GRADE, else rtcat's own exit code (69 unavailable, 75 timeout...; see `rtcat --help`).
#   examples/call-quality-check.sh --from 192.0.2.10:40123        # against `rtcat respond` there
#   GRADE=360p DURATION=8 examples/call-quality-check.sh --local   # this machine's own stack
# Extra arguments go to `rtcat check` (e.g. --signal URL --room R, --ice ..., --codec VP9, --resolution 640x360).
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
grade=${GRADE:-720p}
report=$($rtcat check --media both --duration "${DURATION:-10}" --count 5 --expect "$grade" --json --quiet "$@" 2>/dev/null)
code=$?
need_report
if [[ $code -ne 0 && $code -ne 88 ]]; then
  echo "UNHEALTHY: $(jq -r '.error // "no report"' <<<"$report" 2>/dev/null) (exit $code)"
  exit "$code"
fi
summary=$(jq -r '.media | "\(.verdict.text); video \(.video.codec_sent) \(.video.width)x\(.video.height) at \(.video.fps) fps, \(.video.settled_kbps) kbit/s, loss \(.video.loss_percent)%; estimate \(.estimate.plateau_kbps // "n/a") kbit/s"' <<<"$report")
if [[ $code -eq 88 ]]; then
  echo "DEGRADED: $summary (expected at least $grade)"
  exit 88
fi
echo "OK: $summary"
