#!/usr/bin/env bash
# Delivery crash safety and scale-out (issue 14): publishes the service (Release), then runs
# build/crash/deliveries.py against it on SQLite with a real HTTPS receiver (build/crash/receiver.py).
# See docs/crash-safety.md ("Deliveries") and the docstring of deliveries.py for what is checked.
#
# Usage: build/crash/deliveries.sh [crash|scale-out|both] [--publish-dir DIR] [--keep] [-- ARGS...]
#
#   crash        publish under load, SIGKILL the service several times, restart, count (default 4 kills)
#   scale-out    the API and two `worker` processes on one database, no faults: exactly once
#   both         crash, then scale-out (the default)
#   --publish-dir DIR  use an existing `dotnet publish` output (or build output) instead of publishing
#   --keep       keep the work directory (it is always kept when a run fails)
#   ARGS         passed to deliveries.py (e.g. crash -- --kills 8 --rate 20; with both, only the options
#                both take: --endpoints, --rate, --publishers, --receiver-delay-ms); see `deliveries.py crash -h`
#
# Needs: the .NET SDK (global.json), python3 (standard library), openssl. Talks only to 127.0.0.1.
# Exit status: 0 when every run passed; 1 on any violation; 2 on bad usage; 3 if the harness failed.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "${SCRIPT_DIR}/../.." && pwd)"
MODE=both
PUBLISH_DIR=""
KEEP=0
EXTRA=()
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    crash|scale-out|both) MODE="$1"; shift ;;
    --publish-dir) PUBLISH_DIR="${2:?}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deliveries.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command -v openssl >/dev/null || { echo "deliveries.sh: openssl is required" >&2; exit 3; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-deliveries.XXXXXX")"
RC=0
cleanup() {
  if [[ "${KEEP}" -eq 1 || "${RC}" -ne 0 ]]; then echo "work directory kept: ${WORK}"; else rm -rf "${WORK}"; fi
}
trap cleanup EXIT

if [[ -n "${PUBLISH_DIR}" ]]; then
  PUB="$(cd -- "${PUBLISH_DIR}" && pwd)"
else
  PUB="${WORK}/publish"
  echo "==> dotnet publish src/Api -c Release (output under ${WORK})"
  if ! dotnet publish "${REPO_ROOT}/src/Api" -c Release -o "${PUB}" --artifacts-path "${WORK}/artifacts" \
      -nologo >"${WORK}/publish.log" 2>&1; then
    tail -n 30 "${WORK}/publish.log"; RC=3; exit 3
  fi
fi

run() { # run MODE: one deliveries.py run in its own directory; RC keeps the worst status
  echo "==> deliveries.py $1 ${EXTRA[*]:-}"
  local rc=0
  python3 "${SCRIPT_DIR}/deliveries.py" "$1" --publish-dir "${PUB}" --work "${WORK}/$1" "${EXTRA[@]}" || rc=$?
  (( rc > RC )) && RC="${rc}"
  return 0
}
[[ "${MODE}" == crash || "${MODE}" == both ]] && run crash
[[ "${MODE}" == scale-out || "${MODE}" == both ]] && run scale-out
exit "${RC}"
