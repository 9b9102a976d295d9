#!/usr/bin/env python3
"""Sum the test outcomes of every TRX file under a results directory.

Usage:
    count-trx.py RESULTS_DIR [--extra-passed N] [--extra-failed N] [--extra-skipped N]

The last line printed is always exactly:

    N passed, N failed, N skipped

Counting rules, per TRX file, from <ResultSummary><Counters .../>:
  passed  = passed + passedButRunAborted
  failed  = failed + error + timeout + aborted + disconnected
  skipped = notExecuted + inconclusive + notRunnable
            (VSTest's TRX logger leaves notExecuted at 0 and only fills total,
            passed and failed, so any remainder total - passed - failed - skipped
            is also counted as skipped)

The --extra-* values (e.g. from npm-based checks run by build/test.sh) are added
to the totals.

Exit status: 0 when everything passed; 1 when any test failed; 2 when no TRX
file was found, zero tests were found, a TRX file could not be read, or the
arguments were invalid.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FAILED_OUTCOMES = {"failed", "error", "timeout", "aborted", "disconnected"}
MAX_FAILED_NAMES = 50


def _local(tag: str) -> str:
    """Tag name without its XML namespace."""
    return tag.rsplit("}", 1)[-1]


def _int(attrs: dict[str, str], name: str) -> int:
    value = attrs.get(name, "0").strip() or "0"
    return int(value)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0: {value}")
    return value


def count_file(path: Path) -> tuple[int, int, int, str, list[str]]:
    """Return (passed, failed, skipped, run outcome, names of failed tests)."""
    root = ET.parse(path).getroot()

    summary = next((e for e in root.iter() if _local(e.tag) == "ResultSummary"), None)
    scope = summary if summary is not None else root
    counters = next((e for e in scope.iter() if _local(e.tag) == "Counters"), None)
    if counters is None:
        raise ValueError("no <Counters> element")

    a = counters.attrib
    total = _int(a, "total")
    passed = _int(a, "passed") + _int(a, "passedButRunAborted")
    failed = sum(_int(a, k) for k in ("failed", "error", "timeout", "aborted", "disconnected"))
    skipped = sum(_int(a, k) for k in ("notExecuted", "inconclusive", "notRunnable"))
    remainder = total - passed - failed - skipped
    if remainder > 0:
        skipped += remainder

    outcome = summary.attrib.get("outcome", "?") if summary is not None else "?"

    failed_names = [
        e.attrib.get("testName", "?")
        for e in root.iter()
        if _local(e.tag) == "UnitTestResult"
        and e.attrib.get("outcome", "").lower() in FAILED_OUTCOMES
    ]
    return passed, failed, skipped, outcome, failed_names


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Count test outcomes in TRX files.")
    parser.add_argument("results_dir", help="directory searched (recursively) for *.trx")
    parser.add_argument("--extra-passed", type=_non_negative, default=0)
    parser.add_argument("--extra-failed", type=_non_negative, default=0)
    parser.add_argument("--extra-skipped", type=_non_negative, default=0)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        if exc.code == 0:  # --help
            return 0
        print("0 passed, 0 failed, 0 skipped")
        return 2

    results_dir = Path(args.results_dir)
    trx_files = sorted(results_dir.rglob("*.trx")) if results_dir.is_dir() else []

    passed = failed = skipped = 0
    problems: list[str] = []

    for trx in trx_files:
        rel = trx.relative_to(results_dir)
        try:
            p, f, s, outcome, failed_names = count_file(trx)
        except (ET.ParseError, ValueError, OSError) as exc:
            problems.append(f"cannot read {rel}: {exc}")
            print(f"  {rel}: UNREADABLE ({exc})")
            continue
        passed, failed, skipped = passed + p, failed + f, skipped + s
        print(f"  {rel}: {p} passed, {f} failed, {s} skipped (outcome: {outcome})")
        for name in failed_names[:MAX_FAILED_NAMES]:
            print(f"      FAILED {name}")
        if len(failed_names) > MAX_FAILED_NAMES:
            print(f"      ... and {len(failed_names) - MAX_FAILED_NAMES} more")

    if not trx_files:
        problems.append(f"no .trx files found under {results_dir}")
    elif passed + failed + skipped == 0:
        problems.append("the TRX files contain zero tests")

    if args.extra_passed or args.extra_failed or args.extra_skipped:
        print(
            f"  extra checks: {args.extra_passed} passed, "
            f"{args.extra_failed} failed, {args.extra_skipped} skipped"
        )
    passed += args.extra_passed
    failed += args.extra_failed
    skipped += args.extra_skipped

    for problem in problems:
        print(f"count-trx: ERROR: {problem}")

    print(f"{passed} passed, {failed} failed, {skipped} skipped")

    if problems:
        return 2
    return 1 if failed > 0 else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # keep the "N passed, ..." contract even on a bug
        print(f"count-trx: ERROR: {exc!r}")
        print("0 passed, 0 failed, 0 skipped")
        sys.exit(2)
