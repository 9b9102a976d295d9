"""Prints the benchmark's table (markdown) from the JSON lines run.sh collected."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
endpoints, synchronous = sys.argv[2], sys.argv[3]
by_kind = {row["kind"]: row for row in rows}


def rps(row):
    return row["requests"] / (row["duration_us"] / 1e6)


floor = rps(by_kind["floor"]) if "floor" in by_kind else None  # absent when --scenarios leaves it out
print(f"\n{int(endpoints):,} endpoints, PRAGMA synchronous={synchronous}\n")
print("| scenario | req/s | p50 ms | p99 ms | p99/p50 | errors | peak RSS MB | x floor | x baseline |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for row in rows:
    r = rps(row)
    kind = row["kind"]
    baseline = by_kind.get("baseline-write" if kind in ("write", "baseline-write") else "baseline-read")
    errors = row["errors_status"] + row["errors_socket"]
    p50, p99 = row["p50_us"] / 1000, row["p99_us"] / 1000
    print(f"| {row['name']} | {r:,.0f} | {p50:.2f} | {p99:.2f} | {p99 / p50 if p50 else 0:.1f} | {errors} | "
          f"{row['hwm_kb'] / 1024:.0f} | {f'{r / floor:.3f}' if floor else '-'} | {f'{r / rps(baseline):.2f}' if baseline else '-'} |")
