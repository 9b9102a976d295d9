#!/usr/bin/env bash
# The retention job on SQLite (docs/decisions/0016-retention.md): time to delete ROWS ended
# deliveries older than the retention period, each with its event and one attempt, with the default
# batch size (or BATCH_SIZE), while a writer keeps writing through the same write path.
#   bash build/bench/retention.sh [ROWS (100000)] [BATCH_SIZE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project "$here/Retention/Retention.csproj" -c Release -- "$@"
