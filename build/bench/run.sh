#!/usr/bin/env bash
# The benchmark: publishes Release, starts the service on a fresh SQLite database, seeds one
# organization, one API key, one client and N endpoints, and runs wrk against each scenario and two
# references measured in the same run (the service's cheapest route, and a plain Microsoft.Data.Sqlite
# baseline on the same database file). Prints one table; raw figures go to artifacts/bench/.
# The delivery scenarios (issue 16: ceiling, deliver, latency, backlog, isolation, fan-out; build/bench/delivery.py) run only when
# --scenarios names them, against build/bench/Receiver, and print a table of their own.
#
# Usage: bash build/bench/run.sh [--endpoints N] [--duration SECONDS (10)] [--warmup SECONDS (25)] [--rounds R (3)]
#                                [--connections C] [--synchronous NORMAL|FULL] [--no-publish]
#                                [--service-dir DIR --label NAME]   (compare another published build)
#                                [--scenarios floor,get,list,patch,client,ingest,baseline]   (a subset; default all of these)
#                                [--scenarios ceiling,deliver,latency] [--deliveries N (100000)] [--delivery-endpoints E (8)]
#                                [--latency-seconds S (20)]   (the delivery scenarios; any mix with the others)
#                                [--scenarios backlog,isolation,fan-out] [--backlog-rows N (1000000)] [--dead-timeout S (5)]
#                                [--fanout-endpoints N (1000)]   (backlog and isolation run deliver too, to compare)
#                                [--postgres [--workers 1,2,4]]   (issue 17: only with --scenarios ceiling,deliver; deliver runs
#                                once per worker count on a fresh PostgreSQL database, drained by that many `worker` processes;
#                                a throwaway cluster of its own (build/postgres-cluster.sh) unless WEBHOOKS_TEST_POSTGRES is set)
# Needs: the .NET 10 SDK, python3, wrk (apt-get install -y wrk); with --postgres PostgreSQL 15 (initdb, pg_ctl, psql). Sends traffic only to 127.0.0.1.
set -euo pipefail

ENDPOINTS=10000
DURATION=10
ROUNDS=3
WARMUP=25
CONNECTIONS=32
SYNCHRONOUS=NORMAL
PUBLISH=1
SERVICE_DIR=""
LABEL=""
SCENARIOS="floor,get,list,patch,client,ingest,baseline"
DELIVERIES=100000
DELIVERY_ENDPOINTS=8
LATENCY_SECONDS=20
BACKLOG_ROWS=1000000
DEAD_TIMEOUT=5
FANOUT_ENDPOINTS=1000
POSTGRES=0
WORKERS=1,2,4
PORT=5091
BASELINE_PORT=5092
while [[ $# -gt 0 ]]; do
  case "$1" in
    --endpoints) ENDPOINTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --synchronous) SYNCHRONOUS="$2"; shift 2 ;;
    --no-publish) PUBLISH=0; shift ;;
    --service-dir) SERVICE_DIR="$2"; shift 2 ;;   # a service published elsewhere (e.g. an older commit)
    --label) LABEL="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --deliveries) DELIVERIES="$2"; shift 2 ;;
    --delivery-endpoints) DELIVERY_ENDPOINTS="$2"; shift 2 ;;
    --latency-seconds) LATENCY_SECONDS="$2"; shift 2 ;;
    --backlog-rows) BACKLOG_ROWS="$2"; shift 2 ;;
    --dead-timeout) DEAD_TIMEOUT="$2"; shift 2 ;;
    --fanout-endpoints) FANOUT_ENDPOINTS="$2"; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --workers) WORKERS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

BENCH_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "${BENCH_DIR}/../.." && pwd)"
OUT="${REPO_ROOT}/artifacts/bench"
PUB="${OUT}/publish"
BASE_PUB="${OUT}/baseline"
RUN="${OUT}/run-${ENDPOINTS}${LABEL:+-${LABEL}}"
RESULTS="${OUT}/results-${ENDPOINTS}${LABEL:+-${LABEL}}.jsonl"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
log() { printf '==> %s\n' "$*" >&2; }
want() { [[ ",${SCENARIOS}," == *",$1,"* ]]; }
want_any() { local name; for name in "$@"; do want "${name}" && return 0; done; return 1; }
DELIVERY_SCENARIOS="$(printf '%s' "${SCENARIOS}" | tr ',' '\n' | grep -xE 'ceiling|deliver|latency|backlog|isolation|fan-out' | paste -sd, || true)"
if [[ "${POSTGRES}" -eq 1 && ",${SCENARIOS}," != *",deliver,"* ]]; then
  echo "--postgres measures the deliver scenario: name it in --scenarios (e.g. --scenarios ceiling,deliver)" >&2; exit 2
fi
if [[ "${POSTGRES}" -eq 1 ]] && printf '%s' "${SCENARIOS}" | tr ',' '\n' | grep -qvxE 'ceiling|deliver'; then
  echo "--postgres runs only the ceiling and deliver scenarios, not all of: ${SCENARIOS}" >&2; exit 2
fi

if [[ "${PUBLISH}" -eq 1 || ! -x "${PUB}/Webhooks.Api" ]]; then
  log "dotnet publish (Release)"
  dotnet publish "${REPO_ROOT}/src/Api" -c Release -o "${PUB}" --nologo -v q >/dev/null
  dotnet publish "${BENCH_DIR}/Baseline" -c Release -o "${BASE_PUB}" --nologo -v q >/dev/null
fi
if [[ -n "${DELIVERY_SCENARIOS}" ]] && [[ "${PUBLISH}" -eq 1 || ! -x "${OUT}/receiver/Receiver" || ! -x "${OUT}/ceiling/Ceiling" ]]; then
  dotnet publish "${BENCH_DIR}/Receiver" -c Release -o "${OUT}/receiver" --nologo -v q >/dev/null
  dotnet publish "${BENCH_DIR}/Ceiling" -c Release -o "${OUT}/ceiling" --nologo -v q >/dev/null
fi
[[ -n "${SERVICE_DIR}" ]] && PUB="${SERVICE_DIR}"

rm -rf "${RUN}" && mkdir -p "${RUN}"
: > "${RESULTS}"
DB="${RUN}/webhooks.db"
export ASPNETCORE_ENVIRONMENT=Production
export ConnectionStrings__Webhooks="Data Source=${DB}"
export DataProtection__KeysPath="${RUN}/keys"
export Database__Provider=Sqlite
export Database__SqliteSynchronous="${SYNCHRONOUS}"
export RateLimiting__Enabled=false          # the per-credential limiter would answer 429 under load
export Logging__LogLevel__Default=Warning
export Delivery__Worker__Enabled=false       # no deliveries in these scenarios (ingest's pile up pending)
export Urls="http://127.0.0.1:${PORT}"

SERVICE_PID=""
BASELINE_PID=""
PG_STARTED=""
cleanup() {
  [[ -n "${SERVICE_PID}" ]] && kill "${SERVICE_PID}" 2>/dev/null || true
  [[ -n "${BASELINE_PID}" ]] && kill "${BASELINE_PID}" 2>/dev/null || true
  [[ -n "${PG_STARTED}" ]] && pg_cluster_stop "${PG_STARTED}" || true
}
trap cleanup EXIT

# --postgres: the given server (WEBHOOKS_TEST_POSTGRES, and WEBHOOKS_TEST_POSTGRES_DIR for its CPU figures),
# or a throwaway cluster of the run's own, stopped and deleted on exit (also on failure).
if [[ "${POSTGRES}" -eq 1 && -z "${WEBHOOKS_TEST_POSTGRES:-}" ]]; then
  # shellcheck source=../postgres-cluster.sh
  source "${REPO_ROOT}/build/postgres-cluster.sh"
  pg_cluster_start
  PG_STARTED="${WEBHOOKS_TEST_POSTGRES_DIR}"
fi

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
wait_for() { for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }

start_service() {
  "${PUB}/Webhooks.Api" >"${RUN}/service.log" 2>&1 &
  SERVICE_PID=$!
  wait_for "http://127.0.0.1:${PORT}/healthz/ready"
}
stop_service() { kill "${SERVICE_PID}"; wait "${SERVICE_PID}" 2>/dev/null || true; SERVICE_PID=""; }

if want_any floor get list patch client ingest baseline; then
log "credentials (admin commands of the published executable)"
"${PUB}/Webhooks.Api" migrate >/dev/null
ORG="$("${PUB}/Webhooks.Api" orgs create --name Bench | json id)"
KEY="$("${PUB}/Webhooks.Api" keys create --org "${ORG}" --scopes webhooks:read,webhooks:write --name bench | json key)"
CLIENT_JSON="$("${PUB}/Webhooks.Api" clients create --customer-id bench)"
CLIENT_ID="$(printf '%s' "${CLIENT_JSON}" | json client_id)"
CLIENT_SECRET="$(printf '%s' "${CLIENT_JSON}" | json client_secret)"
BEARER="Bearer ${KEY}"
BASIC="Basic $(printf '%s:%s' "${CLIENT_ID}" "${CLIENT_SECRET}" | base64 -w0)"

log "one endpoint through the API (the template of the seeded rows)"
start_service
TEMPLATE="$(curl -fsS -X POST "http://127.0.0.1:${PORT}/v1/webhooks" -H "Authorization: ${BEARER}" -H 'Content-Type: application/json' \
  -d '{"url":"https://hooks.example.com/bench","description":"bench","events":["wallet.balance_low","wallet.balance_zero"]}' | json id)"
stop_service

log "seeding ${ENDPOINTS} endpoints"
"${BASE_PUB}/Baseline" seed --db "${DB}" --template "${TEMPLATE}" --endpoints "${ENDPOINTS}" --ids-out "${RUN}/ids.txt" >&2

# The sum of every endpoint's revision: each PATCH that writes adds exactly one, so the difference
# across a round is the number of endpoint writes (the table shows writes per request).
revisions() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT total(revision) FROM webhook_endpoints").fetchone()[0].__int__())' "${DB}"
}

# One scenario: a warm-up run, then ROUNDS measured runs; before each, the VmHWM of the process is
# reset (clear_refs 5), and read after it. The table reports the median round (by req/s).
measure() {
  local name="$1" pid="$2" url="$3" mode="$4" auth="$5" kind="$6"
  wrk -t1 -c"${CONNECTIONS}" -d"${WARMUP}s" -s "${BENCH_DIR}/bench.lua" "${url}" -- "${mode}" "${RUN}/ids.txt" "${auth}" >/dev/null
  local round output hwm before after
  for round in $(seq 1 "${ROUNDS}"); do
    echo 5 > "/proc/${pid}/clear_refs" 2>/dev/null || true
    before=0; after=0
    [[ "${mode}" == patch || "${mode}" == write ]] && before="$(revisions)"   # only these write endpoints
    output="$(wrk -t1 -c"${CONNECTIONS}" -d"${DURATION}s" --latency -s "${BENCH_DIR}/bench.lua" "${url}" -- "${mode}" "${RUN}/ids.txt" "${auth}")"
    printf '%s\n' "${output}" > "${RUN}/$(printf '%s' "${name}" | tr -c 'A-Za-z0-9' '_').${round}.wrk.txt"
    hwm="$(awk '/^VmHWM/ {print $2}' "/proc/${pid}/status")"
    [[ "${mode}" == patch || "${mode}" == write ]] && after="$(revisions)"
    printf '%s\n' "${output}" | sed -n 's/^BENCH //p' | python3 -c '
import json, sys
row = json.loads(sys.stdin.read())
row.update(name=sys.argv[1], kind=sys.argv[2], hwm_kb=int(sys.argv[3]), round=int(sys.argv[4]), endpoint_writes=int(sys.argv[5]))
print(json.dumps(row))' \
      "${name}" "${kind}" "${hwm}" "${round}" "$((after - before))" >> "${RESULTS}"
  done
  log "${name}: done"
}

ID1="$(head -n1 "${RUN}/ids.txt")"
log "service scenarios (${ROUNDS} x ${DURATION}s each after ${WARMUP}s warm-up, wrk -t1 -c${CONNECTIONS})"
start_service
S="http://127.0.0.1:${PORT}"
want floor && measure "floor: GET /healthz/live" "${SERVICE_PID}" "${S}/healthz/live" floor - floor
want get && measure "GET /v1/webhooks/{id}" "${SERVICE_PID}" "${S}/v1/webhooks/${ID1}" get "${BEARER}" read
want list && measure "GET /v1/webhooks (list)" "${SERVICE_PID}" "${S}/v1/webhooks" list "${BEARER}" read
want patch && measure "PATCH /v1/webhooks/{id}" "${SERVICE_PID}" "${S}/v1/webhooks/${ID1}" patch "${BEARER}" write
want client && measure "PATCH /clients/webhook-url" "${SERVICE_PID}" "${S}/clients/webhook-url" client "${BASIC}" write
if want ingest; then
  # An organization of its own with one endpoint subscribed to the published type: one delivery per event.
  INGEST_ORG="$("${PUB}/Webhooks.Api" orgs create --name Ingest | json id)"
  INGEST_KEY="$("${PUB}/Webhooks.Api" keys create --org "${INGEST_ORG}" --scopes webhooks:write,events:write --name ingest | json key)"
  curl -fsS -o /dev/null -X POST "${S}/v1/webhooks" -H "Authorization: Bearer ${INGEST_KEY}" -H 'Content-Type: application/json' \
    -d '{"url":"https://hooks.example.com/ingest","events":["wallet.balance_low"]}'
  measure "POST /v1/events (ingest, 1 endpoint)" "${SERVICE_PID}" "${S}/v1/events" event "Bearer ${INGEST_KEY}" write
fi
stop_service

if want baseline; then
log "baseline (plain Microsoft.Data.Sqlite, same database file)"
"${BASE_PUB}/Baseline" serve --db "${DB}" --urls "http://127.0.0.1:${BASELINE_PORT}" >"${RUN}/baseline.log" 2>&1 &
BASELINE_PID=$!
wait_for "http://127.0.0.1:${BASELINE_PORT}/read/${ID1}"
B="http://127.0.0.1:${BASELINE_PORT}"
measure "baseline: read one row" "${BASELINE_PID}" "${B}/read/${ID1}" read - baseline-read
measure "baseline: update one row" "${BASELINE_PID}" "${B}/write/${ID1}" write - baseline-write
kill "${BASELINE_PID}"; wait "${BASELINE_PID}" 2>/dev/null || true; BASELINE_PID=""
fi

python3 "${BENCH_DIR}/table.py" "${RESULTS}" "${ENDPOINTS}" "${SYNCHRONOUS}" | tee "${OUT}/table-${ENDPOINTS}${LABEL:+-${LABEL}}.md"
fi

if [[ -n "${DELIVERY_SCENARIOS}" ]]; then
  log "delivery scenarios: ${DELIVERY_SCENARIOS} (${DELIVERIES} deliveries, ${DELIVERY_ENDPOINTS} endpoints)"
  DELIVERY_RUN="${OUT}/delivery${LABEL:+-${LABEL}}"
  POSTGRES_ARGS=()
  if [[ "${POSTGRES}" -eq 1 ]]; then
    DELIVERY_RUN="${DELIVERY_RUN}-postgres"
    POSTGRES_ARGS=(--postgres "${WEBHOOKS_TEST_POSTGRES}" --workers "${WORKERS}" ${WEBHOOKS_TEST_POSTGRES_DIR:+--pg-dir "${WEBHOOKS_TEST_POSTGRES_DIR}"})
  fi
  rm -rf "${DELIVERY_RUN}" && mkdir -p "${DELIVERY_RUN}"
  : > "${DELIVERY_RUN}/results.jsonl"
  python3 "${BENCH_DIR}/delivery.py" --publish-dir "${PUB}" --receiver "${OUT}/receiver" --ceiling "${OUT}/ceiling" \
    --work "${DELIVERY_RUN}" --results "${DELIVERY_RUN}/results.jsonl" --scenarios "${DELIVERY_SCENARIOS}" \
    --deliveries "${DELIVERIES}" --endpoints "${DELIVERY_ENDPOINTS}" --latency-seconds "${LATENCY_SECONDS}" \
    --synchronous "${SYNCHRONOUS}" --backlog-rows "${BACKLOG_ROWS}" --dead-timeout "${DEAD_TIMEOUT}" \
    --fanout-endpoints "${FANOUT_ENDPOINTS}" "${POSTGRES_ARGS[@]}" | tee "${DELIVERY_RUN}/table.md"
fi
