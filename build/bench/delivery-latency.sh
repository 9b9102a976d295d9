#!/usr/bin/env bash
# Publish-to-first-attempt latency on an idle service (issue 14): publishes Release, starts the
# service on a fresh SQLite database with one endpoint at a local HTTPS receiver
# (build/crash/receiver.py, answers at once), then publishes one event at a time and measures from
# just before each POST /v1/events to the receiver's arrival time (same machine clock).
# Prints median/p95/max; raw figures in artifacts/bench/delivery-latency/result.json.
#
# Usage: bash build/bench/delivery-latency.sh [--no-publish] [--samples N (50)] [--pause-ms MS (200)] [--warmup N (5)]
# Needs: the .NET 10 SDK, python3, openssl. Sends traffic only to 127.0.0.1.
set -euo pipefail

BENCH_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "${BENCH_DIR}/../.." && pwd)"
OUT="${REPO_ROOT}/artifacts/bench"
PUB="${OUT}/publish"
PUBLISH=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-publish) PUBLISH=0; shift ;;
    --samples|--pause-ms|--warmup) ARGS+=("$1" "${2:?}"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ "${PUBLISH}" -eq 1 || ! -x "${PUB}/Webhooks.Api" ]]; then
  echo "==> dotnet publish (Release)" >&2
  dotnet publish "${REPO_ROOT}/src/Api" -c Release -o "${PUB}" --nologo -v q >/dev/null
fi
rm -rf "${OUT}/delivery-latency"
python3 "${REPO_ROOT}/build/crash/deliveries.py" latency --publish-dir "${PUB}" --work "${OUT}/delivery-latency" "${ARGS[@]}"
