#!/usr/bin/env bash
# Recover of 100,000 failed deliveries on SQLite (issue 15): publishes Release, then
# build/bench/recover.py times POST /v1/webhooks/{id}/recover while a second client PATCHes the
# endpoint in a loop (its writes must keep going between the recover's batches).
#
# Usage: bash build/bench/recover.sh [--no-publish] [--deliveries N (100000)]
# Needs: the .NET 10 SDK and python3. Sends no webhooks (the worker is off).
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
    --deliveries) ARGS+=("$1" "${2:?}"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ "${PUBLISH}" -eq 1 || ! -x "${PUB}/Webhooks.Api" ]]; then
  echo "==> dotnet publish (Release)" >&2
  dotnet publish "${REPO_ROOT}/src/Api" -c Release -o "${PUB}" --nologo -v q >/dev/null
fi
rm -rf "${OUT}/recover"
python3 "${BENCH_DIR}/recover.py" --publish-dir "${PUB}" --work "${OUT}/recover" "${ARGS[@]}"
