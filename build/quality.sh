#!/usr/bin/env bash
# Measures how strong the tests are (not part of build/test.sh: it takes about 15 minutes here).
#   - mutation score of Domain and Application (Stryker.NET, local tool dotnet-stryker 5.1.0);
#   - line and branch coverage of src/ by all four test projects (coverlet.collector + reportgenerator).
# Usage: bash build/quality.sh [--mutation-only | --coverage-only] [output dir, default artifacts/quality]
# Prints one line per measure; the reports stay under the output directory.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
mode=all
case "${1:-}" in --mutation-only) mode=mutation; shift ;; --coverage-only) mode=coverage; shift ;; esac
out="$(realpath -m "${1:-artifacts/quality}")"
rm -rf "${out}" && mkdir -p "${out}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

if [[ "${mode}" != coverage ]]; then
  for layer in Domain Application; do
    (cd "tests/Webhooks.${layer}.Tests" && dotnet stryker --project "Webhooks.${layer}.csproj" --concurrency 1 \
      --reporter json --reporter markdown --output "${out}/stryker-${layer}" > "${out}/stryker-${layer}.log" 2>&1)
    score="$(grep -oE 'final mutation score is [0-9.]+ %' "${out}/stryker-${layer}.log" | tail -n 1)"
    echo "mutation ${layer}: ${score:-no score, see ${out}/stryker-${layer}.log}"
  done
fi

if [[ "${mode}" != mutation ]]; then
  dotnet build Webhooks.sln -c Release >/dev/null
  for proj in tests/*/*.Tests.csproj; do
    dotnet test "${proj}" -c Release --no-build --settings build/coverage.runsettings --results-directory "${out}/coverage" >/dev/null
  done
  dotnet reportgenerator "-reports:${out}/coverage/*/coverage.cobertura.xml" "-targetdir:${out}/coverage-report" \
    "-reporttypes:TextSummary;MarkdownSummary" >/dev/null
  grep -E '^ *(Line|Branch|Method) coverage' "${out}/coverage-report/Summary.txt" | sed -E 's/^ */coverage /'
fi
