#!/usr/bin/env bash
# Two processes writing one SQLite file, each way (docs/decisions/0010-one-write-path.md):
#   bash build/bench/contention.sh [WRITES_PER_PROCESS] [PAUSE_MS] [HOLD_US]
# for Microsoft.Data.Sqlite 6.0.7 (EF Core 6) and 10.0.15 (EF Core 10), on SQLitePCLRaw 2.1.13.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
writes="${1:-1000}"
pause="${2:-2}"
hold="${3:-500}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for version in 6.0.7 10.0.15; do
  # A copy per driver version, so that the two builds share no obj/ folder.
  mkdir -p "$work/src-$version"
  cp "$here/Contention/Program.cs" "$here/Contention/Contention.csproj" "$here/Directory.Build.props" "$here/Directory.Packages.props" "$work/src-$version/"
  dotnet build "$work/src-$version/Contention.csproj" -c Release -p:SqliteDriverVersion=$version -o "$work/bin-$version" -v q -nologo >/dev/null
  for mode in driver busy; do
    db="$work/$version-$mode.db"
    export CONTENTION_START="$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%S.%NZ)"
    dotnet "$work/bin-$version/Contention.dll" "$db" "$mode" "$writes" A "$pause" "$hold" > "$work/a.txt" &
    a=$!
    dotnet "$work/bin-$version/Contention.dll" "$db" "$mode" "$writes" B "$pause" "$hold" > "$work/b.txt" &
    b=$!
    wait $a $b
    cat "$work/a.txt" "$work/b.txt"
  done
done
