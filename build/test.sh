#!/usr/bin/env bash
# Runs ALL tests of the repository and prints, as the very last line of output:
#
#     N passed, N failed, N skipped
#
# Exit status is non-zero if the build failed, any test failed, dotnet test
# exited non-zero, no tests were found, or the counting script failed.
#
# Every .NET test project runs on SQLite; then a throwaway PostgreSQL cluster of the script's own
# (build/postgres-cluster.sh: initdb into a temp directory, pg_ctl on a free loopback port, stopped
# and deleted on exit) serves a second run of the API tests and the Infrastructure delivery tests
# (docs/decisions/0017-postgresql-provider.md). Without PostgreSQL (and no way to install it) the
# run fails. WEBHOOKS_SKIP_POSTGRES=1 leaves that second run out, for a developer's quick local run
# only (reported, and counted as one skipped check); CI never sets it.
#
# Usage: bash build/test.sh [extra dotnet test arguments, e.g. --filter Name~Foo]
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "${SCRIPT_DIR}/.." && pwd)"
cd "${REPO_ROOT}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SOLUTION="Webhooks.sln"
CONFIGURATION="Release"
ARTIFACTS_DIR="${REPO_ROOT}/artifacts"
RESULTS_DIR="${ARTIFACTS_DIR}/test-results"
BUILD_LOG="${ARTIFACTS_DIR}/build.log"
SUMMARY_RE='^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'

log() { printf '==> %s\n' "$*"; }

# If the script dies before the counting step (tool restore or build failure,
# unexpected error), still end with a summary line and a non-zero status.
SUMMARY_PRINTED=0
# shellcheck source=build/postgres-cluster.sh
source "${SCRIPT_DIR}/postgres-cluster.sh"
on_exit() {
  local rc=$?
  pg_cluster_stop || true
  if [[ "${SUMMARY_PRINTED}" -eq 0 ]]; then
    [[ "${rc}" -eq 0 ]] && rc=1
    printf 'test.sh: stopped before tests were counted (exit %s)\n' "${rc}"
    printf '0 passed, 0 failed, 0 skipped\n'
  fi
  exit "${rc}"
}
trap on_exit EXIT

# ---------------------------------------------------------------------------
# Extension point: npm-based checks.
#
# The TypeScript client (clients/typescript) and the partner front end
# (samples/partner-frontend): staleness of the generated client, the strict
# TypeScript build, and the Node tests (through the generated client, behind
# Prism, and in Chromium). The function must set NODE_CHECKS_PASSED / NODE_CHECKS_FAILED (and
# optionally NODE_CHECKS_SKIPPED) to the number of passed / failed / skipped
# checks; they are added to the .NET totals by build/count-trx.py via
# --extra-passed / --extra-failed / --extra-skipped. A non-zero return status
# also fails the run. Print anything you like; the summary line still comes last.
# ---------------------------------------------------------------------------
NODE_CHECKS_PASSED=0
NODE_CHECKS_FAILED=0
NODE_CHECKS_SKIPPED=0
CLIENT_DIR="${REPO_ROOT}/clients/typescript"
NODE_TAP="${ARTIFACTS_DIR}/node-tests.tap"

# One check that passes or fails as a whole (the client staleness check, the TypeScript build).
node_check() {
  local name="$1"; shift
  log "${name}"
  if "$@"; then
    NODE_CHECKS_PASSED=$((NODE_CHECKS_PASSED + 1))
  else
    echo "FAILED: ${name}"
    NODE_CHECKS_FAILED=$((NODE_CHECKS_FAILED + 1))
    return 1
  fi
}

# What the Node checks need: node and npm (on the machine), the npm packages of clients/typescript
# (npm ci, when node_modules is missing or older than package-lock.json), and Debian's Chromium for
# the browser test.
ensure_node_prerequisites() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are required for the TypeScript client checks (Node.js 20 or later)."
    return 1
  fi
  if [[ ! -f "${CLIENT_DIR}/node_modules/.package-lock.json" \
        || "${CLIENT_DIR}/package-lock.json" -nt "${CLIENT_DIR}/node_modules/.package-lock.json" ]]; then
    log "npm ci (clients/typescript)"
    (cd "${CLIENT_DIR}" && npm ci --no-audit --no-fund) || return 1
  fi
  if [[ -z "${CHROMIUM_PATH:-}" && ! -x /usr/bin/chromium ]]; then
    log "apt-get install chromium"
    local sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    ${sudo} apt-get update -q && DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -q chromium || return 1
  fi
}

# The node test runner's TAP output ends with "# pass N", "# fail N", "# cancelled N", "# skipped N", "# todo N".
tap_count() {
  local value
  value="$(grep -E "^# $1 [0-9]+$" "${NODE_TAP}" 2>/dev/null | tail -n 1 | awk '{print $3}')"
  printf '%s' "${value:-0}"
}

run_node_checks() {
  if ! ensure_node_prerequisites; then
    NODE_CHECKS_FAILED=$((NODE_CHECKS_FAILED + 1))
    return 1
  fi

  local rc=0
  node_check "TypeScript client is up to date with docs/openapi/v1.json (build/generate-client.sh --check)" \
    bash "${SCRIPT_DIR}/generate-client.sh" --check || rc=1
  if ! node_check "TypeScript build (clients/typescript, samples/partner-frontend)" \
      bash -c 'cd "$1" && npm run --silent build' _ "${CLIENT_DIR}"; then
    return 1
  fi

  # The Node tests start the service built above, Prism in front of it, and Chromium.
  log "node --test (clients/typescript/dist/test)"
  rm -f "${NODE_TAP}"
  local tests=("${CLIENT_DIR}"/dist/test/*.test.js)
  local test_rc=0
  (cd "${CLIENT_DIR}" && WEBHOOKS_API_DLL="${REPO_ROOT}/src/Api/bin/${CONFIGURATION}/net10.0/Webhooks.Api.dll" \
    node --test --test-concurrency=1 --test-timeout=300000 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="${NODE_TAP}" \
      "${tests[@]}") </dev/null || test_rc=$?

  local passed failed cancelled skipped todo
  passed="$(tap_count pass)"; failed="$(tap_count fail)"; cancelled="$(tap_count cancelled)"
  skipped="$(tap_count skipped)"; todo="$(tap_count todo)"
  NODE_CHECKS_PASSED=$((NODE_CHECKS_PASSED + passed))
  NODE_CHECKS_FAILED=$((NODE_CHECKS_FAILED + failed + cancelled))
  NODE_CHECKS_SKIPPED=$((NODE_CHECKS_SKIPPED + skipped + todo))
  if [[ "${test_rc}" -ne 0 && "$((failed + cancelled))" -eq 0 ]]; then
    echo "node --test exited ${test_rc} without a failed test (see above)"
    NODE_CHECKS_FAILED=$((NODE_CHECKS_FAILED + 1))
  fi
  echo "Screenshots of the partner front end: ${ARTIFACTS_DIR#"${REPO_ROOT}/"}/partner-frontend.png (an edit saved),"
  echo "  partner-frontend-validation-error.png, partner-frontend-deliveries.png (an endpoint's deliveries and one"
  echo "  delivery's attempts), partner-frontend-test-event-conflict.png (a test event to an inactive endpoint),"
  echo "  partner-frontend-retry.png (a manual attempt after a failed one), partner-frontend-retry-conflict.png"
  echo "  (a retry after a 410 deactivated the endpoint), partner-frontend-history.png (the endpoint's history)"
  [[ "${test_rc}" -eq 0 ]] || rc=1
  return "${rc}"
}

# ---------------------------------------------------------------------------
# Delivery runs on the service built above (build/crash/deliveries.py, see docs/crash-safety.md):
# a short crash run (publishing under load, one SIGKILL mid-delivery, restart, every delivery
# counted) and a small scale-out run (the API and two `worker` processes on one database: exactly
# once) on SQLite; then, on a throwaway PostgreSQL cluster of their own, a scale-out run (three
# `worker` processes, exactly once), a crash run (three `worker` processes, one SIGKILLed: at least
# once) and a restart run (pg_ctl stop/start under publish load: 503 while down, nothing lost,
# delivery resumes). Each run is one check in the totals; the long runs are build/crash/deliveries.sh.
# ---------------------------------------------------------------------------
DELIVERY_RUNS_PASSED=0
DELIVERY_RUNS_FAILED=0
DELIVERY_RUNS_SKIPPED=0

# One delivery run: deliveries.py NAME's arguments (the mode first) into WORK/NAME; counted.
delivery_run() {
  local name="$1" work="$2" bin="$3" run_rc=0
  shift 3
  log "delivery run ${name}: build/crash/deliveries.py $*"
  python3 "${SCRIPT_DIR}/crash/deliveries.py" "$1" --publish-dir "${bin}" --work "${work}/${name}" "${@:2}" </dev/null || run_rc=$?
  if [[ "${run_rc}" -eq 0 ]]; then
    DELIVERY_RUNS_PASSED=$((DELIVERY_RUNS_PASSED + 1))
  else
    echo "FAILED: delivery run ${name} (exit ${run_rc}; work directory ${work#"${REPO_ROOT}/"}/${name})"
    DELIVERY_RUNS_FAILED=$((DELIVERY_RUNS_FAILED + 1))
  fi
  return "${run_rc}"
}

run_delivery_runs() {
  local bin="${REPO_ROOT}/src/Api/bin/${CONFIGURATION}/net10.0" work="${ARTIFACTS_DIR}/delivery-runs" rc=0 name
  rm -rf "${work}"
  local -A runs=(
    [crash]="crash --kills 1 --endpoints 4 --rate 10 --min-received 20"
    [scale-out]="scale-out --events 100 --endpoints 5"
    [postgres-scale-out]="scale-out --postgres --events 100 --endpoints 5 --workers 3 --api-worker off"
    [postgres-crash]="crash --postgres --kill worker --workers 3 --kills 1 --endpoints 4 --rate 10 --min-received 20"
    [postgres-restart]="restart --postgres --tail-seconds 3"
  )
  for name in crash scale-out; do
    # shellcheck disable=SC2086 # the options are words
    delivery_run "${name}" "${work}" "${bin}" ${runs[${name}]} || rc=1
  done
  if [[ "${WEBHOOKS_SKIP_POSTGRES:-}" == "1" ]]; then
    echo "WEBHOOKS_SKIP_POSTGRES=1: the delivery runs on PostgreSQL are left out (3 skipped checks)."
    DELIVERY_RUNS_SKIPPED=3
    return "${rc}"
  fi
  log "PostgreSQL for the delivery runs: a throwaway cluster (build/postgres-cluster.sh)"
  if ! pg_cluster_start; then
    echo "FAILED: PostgreSQL is not available, so the delivery runs on it cannot run (see above)."
    DELIVERY_RUNS_FAILED=$((DELIVERY_RUNS_FAILED + 3))
    return 1
  fi
  for name in postgres-scale-out postgres-crash postgres-restart; do
    # shellcheck disable=SC2086 # the options are words
    delivery_run "${name}" "${work}" "${bin}" ${runs[${name}]} || rc=1
  done
  pg_cluster_stop
  unset WEBHOOKS_TEST_POSTGRES WEBHOOKS_TEST_POSTGRES_DIR WEBHOOKS_TEST_POSTGRES_BIN
  return "${rc}"
}

# ---------------------------------------------------------------------------
# The PostgreSQL run: the API tests and the Infrastructure delivery tests again, each test
# application on a fresh database of the throwaway cluster (WEBHOOKS_TEST_POSTGRES). Tests that
# only make sense on SQLite (category SqliteOnly) are left out; tests about PostgreSQL itself
# (category PostgresOnly) run only here. Its trx files are <project>.postgres.trx.
# ---------------------------------------------------------------------------
POSTGRES_SETUP_FAILED=0
POSTGRES_SKIPPED=0
declare -A POSTGRES_SUITES=(
  [tests/Webhooks.Api.Tests/Webhooks.Api.Tests.csproj]="TestCategory!=SqliteOnly"
  [tests/Webhooks.Infrastructure.Tests/Webhooks.Infrastructure.Tests.csproj]="(FullyQualifiedName~Webhooks.Infrastructure.Tests.Deliveries.|TestCategory=PostgresOnly)&TestCategory!=SqliteOnly"
)

# The arguments "$@" with <filter> added: and-ed to a --filter given there, else a --filter of its own.
with_filter() {
  local filter="$1"; shift
  local args=() merged=0
  while [[ $# -gt 0 ]]; do
    if [[ "$1" == "--filter" && $# -ge 2 ]]; then
      args+=("--filter" "(${2})&${filter}")
      merged=1
      shift 2
    else
      args+=("$1")
      shift
    fi
  done
  [[ "${merged}" -eq 1 ]] || args+=("--filter" "${filter}")
  printf '%s\0' "${args[@]}"
}

# dotnet test of one project into RESULTS_DIR/<trx>; a failure is noted in failed_projects and test_rc.
dotnet_test() {
  local proj="$1" trx="$2" label="$3" rc=0
  shift 3
  dotnet test "${proj}" -c "${CONFIGURATION}" --no-build \
    --logger "trx;LogFileName=${trx}" \
    --results-directory "${RESULTS_DIR}" \
    "$@" </dev/null || rc=$?
  if [[ "${rc}" -ne 0 ]]; then
    test_rc="${rc}"
    failed_projects+=("${label} (exit ${rc})")
  fi
  return "${rc}"
}

run_postgres_tests() {
  if [[ "${WEBHOOKS_SKIP_POSTGRES:-}" == "1" ]]; then
    echo "WEBHOOKS_SKIP_POSTGRES=1: the PostgreSQL run is left out (a local quick run; CI always runs it)."
    POSTGRES_SKIPPED=1
    return 0
  fi
  log "PostgreSQL: a throwaway cluster (build/postgres-cluster.sh)"
  if ! pg_cluster_start; then
    echo "FAILED: PostgreSQL is not available, so the API and delivery tests cannot run on it (see above)."
    POSTGRES_SETUP_FAILED=1
    failed_projects+=("PostgreSQL set-up")
    return 1
  fi

  local rc=0 proj name args=()
  for proj in tests/Webhooks.Api.Tests/Webhooks.Api.Tests.csproj tests/Webhooks.Infrastructure.Tests/Webhooks.Infrastructure.Tests.csproj; do
    name="$(basename "${proj}" .csproj)"
    mapfile -d '' args < <(with_filter "${POSTGRES_SUITES[${proj}]}" "$@")
    log "dotnet test ${proj} on PostgreSQL (${POSTGRES_SUITES[${proj}]})"
    dotnet_test "${proj}" "${name}.postgres.trx" "${name} on PostgreSQL" "${args[@]}" || rc=$?
  done
  pg_cluster_stop
  unset WEBHOOKS_TEST_POSTGRES WEBHOOKS_TEST_POSTGRES_DIR WEBHOOKS_TEST_POSTGRES_BIN
  return "${rc}"
}

# --- 1. local dotnet tools (dotnet-ef, ...) ---------------------------------
if [[ -f .config/dotnet-tools.json ]]; then
  log "dotnet tool restore"
  dotnet tool restore
fi

# --- 2. build once -----------------------------------------------------------
log "dotnet build ${SOLUTION} -c ${CONFIGURATION}"
mkdir -p "${ARTIFACTS_DIR}"
build_rc=0
dotnet build "${SOLUTION}" -c "${CONFIGURATION}" 2>&1 | tee "${BUILD_LOG}" || build_rc=$?
if [[ "${build_rc}" -ne 0 ]]; then
  echo
  echo "BUILD FAILED (exit ${build_rc}). Errors:"
  grep -E ': error [A-Za-z]*[0-9]+' "${BUILD_LOG}" | sed -E 's/^[[:space:]]+//' | sort -u || true
  echo "Full build log: ${BUILD_LOG}"
  exit "${build_rc}"
fi

# --- 3. find the test projects of the solution -------------------------------
# dotnet test on the whole solution with a fixed trx LogFileName makes every
# test project write (and overwrite) the same file, so each test project is
# run separately to get one <project>.trx per project.
test_projects=()
while IFS= read -r proj; do
  proj="${proj//\\//}"
  [[ -f "${proj}" ]] || continue
  is_test="$(dotnet msbuild "${proj}" -getProperty:IsTestProject -p:Configuration="${CONFIGURATION}" 2>/dev/null || true)"
  if [[ "$(printf '%s' "${is_test}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')" == "true" ]]; then
    test_projects+=("${proj}")
  fi
done < <(dotnet sln "${SOLUTION}" list | grep -E '\.(cs|fs|vb)proj[[:space:]]*$' | sed -E 's/[[:space:]]+$//' | sort)

# --- 4. run the tests (do not stop at the first failing project) -------------
rm -rf "${RESULTS_DIR}"
mkdir -p "${RESULTS_DIR}"
# Real deliveries kept by the .NET delivery tests for the Node signature check (clients/typescript/test/signatures.test.ts).
rm -rf "${ARTIFACTS_DIR}/captured-deliveries"

test_rc=0
failed_projects=()
if [[ "${#test_projects[@]}" -eq 0 ]]; then
  echo "No test projects found in ${SOLUTION}."
  test_rc=1
fi
# On SQLite, no WEBHOOKS_TEST_POSTGRES from the caller's environment: the PostgreSQL run sets its own.
unset WEBHOOKS_TEST_POSTGRES
mapfile -d '' sqlite_args < <(with_filter "TestCategory!=PostgresOnly" "$@")
for proj in "${test_projects[@]}"; do
  name="$(basename "${proj}")"
  name="${name%.*}"
  log "dotnet test ${proj}"
  dotnet_test "${proj}" "${name}.trx" "${name}" "${sqlite_args[@]}" || true
done

# --- 4b. the API and delivery tests again, on PostgreSQL (see run_postgres_tests above) ---
postgres_rc=0
run_postgres_tests "$@" || postgres_rc=$?
if [[ "${postgres_rc}" -ne 0 ]]; then
  test_rc="${postgres_rc}"
fi

# --- 5. npm-based checks (extension point, see run_node_checks above) --------
node_rc=0
run_node_checks || node_rc=$?

# --- 6. delivery runs (see run_delivery_runs above) --------------------------
delivery_rc=0
run_delivery_runs || delivery_rc=$?

# --- 7. count ----------------------------------------------------------------
log "counting results in ${RESULTS_DIR#"${REPO_ROOT}/"}"
count_rc=0
count_output="$(python3 "${SCRIPT_DIR}/count-trx.py" "${RESULTS_DIR}" \
  --extra-passed "$((NODE_CHECKS_PASSED + DELIVERY_RUNS_PASSED))" \
  --extra-failed "$((NODE_CHECKS_FAILED + DELIVERY_RUNS_FAILED + POSTGRES_SETUP_FAILED))" \
  --extra-skipped "$((NODE_CHECKS_SKIPPED + POSTGRES_SKIPPED + DELIVERY_RUNS_SKIPPED))" 2>&1)" || count_rc=$?

summary_line="$(printf '%s\n' "${count_output}" | tail -n 1)"
if ! [[ "${summary_line}" =~ ${SUMMARY_RE} ]]; then
  count_output="${count_output}"$'\n'"test.sh: count-trx.py did not print a summary line"$'\n'"0 passed, 0 failed, 0 skipped"
  [[ "${count_rc}" -eq 0 ]] && count_rc=2
fi

final_rc=0
if [[ "${test_rc}" -ne 0 ]]; then
  echo "dotnet test exited non-zero for: ${failed_projects[*]:-<no test projects>}"
  final_rc=1
fi
if [[ "${node_rc}" -ne 0 ]]; then
  echo "run_node_checks exited ${node_rc}"
  final_rc=1
fi
if [[ "${delivery_rc}" -ne 0 ]]; then
  echo "run_delivery_runs exited ${delivery_rc}"
  final_rc=1
fi
if [[ "${count_rc}" -ne 0 ]]; then
  final_rc=1
fi

echo "Test results: ${RESULTS_DIR}"
# The summary line from count-trx.py must be the last line of output.
SUMMARY_PRINTED=1
printf '%s\n' "${count_output}"
exit "${final_rc}"
