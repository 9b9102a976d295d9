"""Prints the benchmark's table (markdown) from the JSON lines run.sh collected.

Each scenario ran one or more measured rounds; its row is the median round by req/s (p50, p99 and
errors of that round), with the lowest and highest req/s of all rounds and the highest peak RSS.
"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
endpoints, synchronous = sys.argv[2], sys.argv[3]


def rps(row):
    return row["requests"] / (row["duration_us"] / 1e6)


scenarios = {}
for row in rows:
    scenarios.setdefault(row["name"], []).append(row)


def median_round(rounds):
    ordered = sorted(rounds, key=rps)
    return ordered[(len(ordered) - 1) // 2]


summary = {name: median_round(rounds) for name, rounds in scenarios.items()}
by_kind = {row["kind"]: row for row in summary.values()}
floor = rps(by_kind["floor"]) if "floor" in by_kind else None  # absent when --scenarios leaves it out
rounds_count = max(len(r) for r in scenarios.values())

print(f"\n{int(endpoints):,} endpoints, PRAGMA synchronous={synchronous}, median of {rounds_count} round(s)\n")
print("| scenario | req/s | req/s range | p50 ms | p99 ms | p99/p50 | errors | endpoint writes / request | peak RSS MB | x floor | x baseline |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, rounds in scenarios.items():
    row = summary[name]
    r = rps(row)
    kind = row["kind"]
    baseline = by_kind.get("baseline-write" if kind in ("write", "baseline-write") else "baseline-read")
    errors = sum(x["errors_status"] + x["errors_socket"] for x in rounds)
    p50, p99 = row["p50_us"] / 1000, row["p99_us"] / 1000
    low, high = min(rps(x) for x in rounds), max(rps(x) for x in rounds)
    hwm = max(x["hwm_kb"] for x in rounds) / 1024
    # A PATCH of an endpoint must write once per request; a figure far below 1 means no-op PATCHes.
    writes = f'{row["endpoint_writes"] / row["requests"]:.2f}' if row.get("endpoint_writes") and row["requests"] else "-"
    print(f"| {name} | {r:,.0f} | {low:,.0f}-{high:,.0f} | {p50:.2f} | {p99:.2f} | {p99 / p50 if p50 else 0:.1f} | {errors} | {writes} | "
          f"{hwm:.0f} | {f'{r / floor:.3f}' if floor else '-'} | {f'{r / rps(baseline):.2f}' if baseline else '-'} |")

# Issue 16's ingest target: POST /v1/events at least as fast as PATCH /v1/webhooks/{id} in the same run.
ingest = next((summary[n] for n in summary if n.startswith("POST /v1/events")), None)
patch = summary.get("PATCH /v1/webhooks/{id}")
if ingest and patch:
    print(f"\ningest / PATCH: {rps(ingest) / rps(patch):.2f} (target: at least 1)")

