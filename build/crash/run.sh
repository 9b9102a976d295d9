#!/usr/bin/env bash
# Crash-safety check (issue 6): runs the service on SQLite, drives concurrent PATCHes, kills the
# process with SIGKILL mid-load, restarts it on the same database file and proves that every change
# acknowledged with 200 is present and that nothing is half-written. See docs/crash-safety.md.
#
# Usage: build/crash/run.sh [--rounds N] [--endpoints M] [--workers W] [--shared S]
#                           [--publish-dir DIR] [--keep] [--inject-wal-loss]
#
#   --rounds N         kill/restart rounds (default 5), each on a fresh database
#   --endpoints M      endpoints created per round (default 50)
#   --workers W        concurrent PATCH workers (default 16)
#   --shared S         of the M endpoints, S are patched by every worker at once (default 4);
#                      the others each belong to one worker
#   --publish-dir DIR  use an existing `dotnet publish` output instead of publishing
#   --inject-wal-loss  check of the check: cut the WAL to half its length after each kill (as a
#                      store that loses committed transactions would); the run must then FAIL
#   --keep             keep the work directory (databases, logs, PATCH logs); it is always kept
#                      when the check fails
#
# Needs: the .NET SDK (global.json), python3 (standard library only). Talks only to 127.0.0.1.
# Exit status: 0 when every round passed; 1 on any lost acknowledged write, half-written row,
# integrity failure or other anomaly; 2 on bad usage; other non-zero if the harness itself failed.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "${SCRIPT_DIR}/../.." && pwd)"
DRIVER=(python3 "${SCRIPT_DIR}/driver.py")

ROUNDS=5
ENDPOINTS=50
WORKERS=16
SHARED=4
PUBLISH_DIR=""
KEEP=0
INJECT_WAL_LOSS=0

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --endpoints) ENDPOINTS="${2:?}"; shift 2 ;;
    --workers) WORKERS="${2:?}"; shift 2 ;;
    --shared) SHARED="${2:?}"; shift 2 ;;
    --publish-dir) PUBLISH_DIR="${2:?}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --inject-wal-loss) INJECT_WAL_LOSS=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "${ROUNDS}" "${ENDPOINTS}" "${WORKERS}" "${SHARED}"; do
  [[ "${n}" =~ ^[0-9]+$ ]] || { echo "run.sh: not a number: ${n}" >&2; exit 2; }
done
if (( ROUNDS < 1 || ENDPOINTS < 1 || WORKERS < 1 || SHARED >= ENDPOINTS )); then
  echo "run.sh: need rounds >= 1, endpoints >= 1, workers >= 1, shared < endpoints" >&2; exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-crash.XXXXXX")"
SVC_PID=""
LOAD_PID=""
FAILED=1

log() { printf '==> %s\n' "$*"; }

proc_state() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo gone; }
exited() { [[ "$(proc_state "$1")" =~ ^(Z|X|gone)$ ]]; } # a zombie has exited, it is just not reaped yet

stop_pid() { # stop_pid PID: SIGTERM, SIGKILL if still running after 10 s, reap. Status 1 if it needed SIGKILL.
  local pid="$1" i forced=0
  [[ -n "${pid}" ]] || return 0
  if kill -TERM "${pid}" 2>/dev/null; then
    for i in $(seq 100); do
      exited "${pid}" && break
      sleep 0.1
    done
    if ! exited "${pid}"; then
      kill -KILL "${pid}" 2>/dev/null || true
      forced=1
    fi
  fi
  wait "${pid}" 2>/dev/null || true
  return "${forced}"
}

cleanup() {
  local rc=$?
  trap - EXIT ERR INT TERM
  stop_pid "${LOAD_PID}" || true
  stop_pid "${SVC_PID}" || true
  if [[ "${KEEP}" -eq 1 || "${FAILED}" -ne 0 || "${rc}" -ne 0 ]]; then
    echo "work directory kept: ${WORK}"
  else
    rm -rf "${WORK}"
  fi
  exit "${rc}"
}
trap cleanup EXIT
trap 'echo "run.sh: failed (status $?) at line ${LINENO}: ${BASH_COMMAND}" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

"${DRIVER[@]}" self-test

# --- 1. publish once (Release) ------------------------------------------------------------------
if [[ -n "${PUBLISH_DIR}" ]]; then
  PUB="$(cd -- "${PUBLISH_DIR}" && pwd)"
  [[ -x "${PUB}/Webhooks.Api" ]] || { echo "run.sh: no Webhooks.Api in ${PUB}" >&2; exit 2; }
  log "using the published service in ${PUB}"
else
  PUB="${WORK}/publish"
  log "dotnet publish src/Api -c Release (build output under ${WORK}, not in the repository)"
  # --artifacts-path keeps bin/ and obj/ out of the source tree, so this cannot collide with a
  # concurrent build/test.sh.
  if ! dotnet publish "${REPO_ROOT}/src/Api" -c Release -o "${PUB}" --artifacts-path "${WORK}/artifacts" \
      -nologo >"${WORK}/publish.log" 2>&1; then
    tail -n 30 "${WORK}/publish.log"
    echo "run.sh: dotnet publish failed (full log: ${WORK}/publish.log)" >&2
    exit 3
  fi
fi

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

admin() { # the admin commands of the same executable, with this round's configuration
  (cd "${PUB}" && ./Webhooks.Api "$@") 2>>"${ROUND_DIR}/admin.stderr"
}

start_service() { # start_service LOGFILE: the published binary itself (not `dotnet run`), so that
  # SVC_PID is the service's own process and SIGKILL reaches it, not a wrapper. The content root is
  # the publish directory (appsettings.json).
  (cd "${PUB}" && exec ./Webhooks.Api --urls "http://127.0.0.1:${PORT}") >"$1" 2>&1 &
  SVC_PID=$!
}

results=()
for ((round = 1; round <= ROUNDS; round++)); do
  ROUND_DIR="${WORK}/round-${round}"
  mkdir -p "${ROUND_DIR}"
  export ConnectionStrings__Webhooks="Data Source=${ROUND_DIR}/webhooks.db"
  export DataProtection__KeysPath="${ROUND_DIR}/keys"
  export ASPNETCORE_ENVIRONMENT=Production
  export RateLimiting__Enabled=false

  # --- 2. organization and key through the admin commands; start; create the endpoints ---------
  ORG="$(admin orgs create --name "crash-round-${round}" | json_field id)"
  KEY="$(admin keys create --org "${ORG}" --scopes webhooks:read,webhooks:write --name crash | json_field key)"
  PORT="$("${DRIVER[@]}" free-port)"
  start_service "${ROUND_DIR}/service-1.log"
  START_READY="$("${DRIVER[@]}" wait-ready --port "${PORT}" --pid "${SVC_PID}")"
  "${DRIVER[@]}" setup --port "${PORT}" --key "${KEY}" --endpoints "${ENDPOINTS}" --shared "${SHARED}" \
    --out "${ROUND_DIR}/endpoints.json"

  # --- 3. concurrent PATCHes, every acknowledgement in an append-only log -----------------------
  "${DRIVER[@]}" load --port "${PORT}" --key "${KEY}" --endpoints "${ROUND_DIR}/endpoints.json" \
    --workers "${WORKERS}" --log "${ROUND_DIR}/patches.jsonl" --started-file "${ROUND_DIR}/load-started" &
  LOAD_PID=$!
  for i in $(seq 600); do
    [[ -f "${ROUND_DIR}/load-started" ]] && break
    kill -0 "${LOAD_PID}" 2>/dev/null || break
    sleep 0.05
  done
  [[ -f "${ROUND_DIR}/load-started" ]] || { echo "run.sh: the load never got a 200" >&2; exit 3; }

  # --- 4. SIGKILL after 1-3 s of load, then restart on the same database file -------------------
  DELAY_MS=$((1000 + RANDOM % 2001))
  sleep "$((DELAY_MS / 1000)).$(printf '%03d' $((DELAY_MS % 1000)))"
  kill -KILL "${SVC_PID}"
  kill_rc=0; wait "${SVC_PID}" 2>/dev/null || kill_rc=$?  # quiet: no "Killed" job notice
  SVC_PID=""
  [[ "${kill_rc}" -eq 137 ]] || { echo "run.sh: the service exited with ${kill_rc}, not by SIGKILL" >&2; exit 3; }
  load_rc=0; wait "${LOAD_PID}" || load_rc=$?
  LOAD_PID=""
  [[ "${load_rc}" -eq 0 ]] || { echo "run.sh: the load driver failed (${load_rc})" >&2; exit 3; }

  if [[ "${INJECT_WAL_LOSS}" -eq 1 ]]; then
    wal_size="$(stat -c %s "${ROUND_DIR}/webhooks.db-wal" 2>/dev/null || echo 0)"
    echo "    (--inject-wal-loss: cutting the WAL from ${wal_size} to $((wal_size / 2)) bytes)"
    truncate -s "$((wal_size / 2))" "${ROUND_DIR}/webhooks.db-wal"
    rm -f "${ROUND_DIR}/webhooks.db-shm"
  fi

  # The files exactly as the kill left them, checked on a copy (SQLite's own WAL recovery).
  mkdir -p "${ROUND_DIR}/crash-image"
  cp "${ROUND_DIR}/webhooks.db" "${ROUND_DIR}/crash-image/"
  if [[ -f "${ROUND_DIR}/webhooks.db-wal" ]]; then cp "${ROUND_DIR}/webhooks.db-wal" "${ROUND_DIR}/crash-image/"; fi
  WAL_BYTES="$(stat -c %s "${ROUND_DIR}/webhooks.db-wal" 2>/dev/null || echo 0)"
  "${DRIVER[@]}" crash-image --db "${ROUND_DIR}/crash-image/webhooks.db" --out "${ROUND_DIR}/crash-image.json"

  start_service "${ROUND_DIR}/service-2.log"
  RESTART_READY="$("${DRIVER[@]}" wait-ready --port "${PORT}" --pid "${SVC_PID}")"

  # --- 5. verify through the API, then stop the service and check the file -----------------------
  "${DRIVER[@]}" verify --port "${PORT}" --key "${KEY}" --endpoints "${ROUND_DIR}/endpoints.json" \
    --log "${ROUND_DIR}/patches.jsonl" --out "${ROUND_DIR}/result.json" --states "${ROUND_DIR}/states.json"
  GRACEFUL_STOP=true
  stop_pid "${SVC_PID}" || { GRACEFUL_STOP=false; echo "run.sh: the service needed SIGKILL to stop after SIGTERM" >&2; }
  SVC_PID=""
  SERVICE_ERRORS="$(cat "${ROUND_DIR}"/service-*.log | grep -cE '^(fail|crit): ' || true)"
  "${DRIVER[@]}" dbcheck --db "${ROUND_DIR}/webhooks.db" --states "${ROUND_DIR}/states.json" \
    --crash-image "${ROUND_DIR}/crash-image.json" --result "${ROUND_DIR}/result.json" \
    --set "round=${round}" --set "kill_after_seconds=$((DELAY_MS / 1000)).$(printf '%03d' $((DELAY_MS % 1000)))" \
    --set "start_ready_seconds=${START_READY}" --set "restart_ready_seconds=${RESTART_READY}" \
    --set "wal_bytes_at_kill=${WAL_BYTES}" --set "graceful_stop=${GRACEFUL_STOP}" --set "service_log_errors=${SERVICE_ERRORS}"

  # --- 6. figures ------------------------------------------------------------------------------
  "${DRIVER[@]}" line "${ROUND_DIR}/result.json"
  results+=("${ROUND_DIR}/result.json")
done

echo
summary_rc=0
"${DRIVER[@]}" summary "${results[@]}" || summary_rc=$?
FAILED="${summary_rc}"
exit "${summary_rc}"
