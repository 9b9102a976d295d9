#!/usr/bin/env python3
"""Load driver and checker for build/crash/run.sh (standard library only).

Sub-commands (run.sh calls them in this order each round):

  free-port                      print a free TCP port on 127.0.0.1
  wait-ready                     poll GET /healthz/ready until 200 (fails if the process dies)
  setup                          create the endpoints (POST /v1/webhooks), write endpoints.json
  load                           concurrent PATCHes until the service dies; append-only JSONL log
  crash-image                    PRAGMA integrity_check + rows of a copy of the files the kill left
  verify                         after the restart: GET every endpoint, compare with the log
  dbcheck                        after the stop: PRAGMA integrity_check, rows == what the API served
  self-test                      the checker against synthetic cases with known verdicts
  line                           one line for a finished round
  summary                        per-round and total figures; exit 1 on any loss or corruption

Every PATCH sets two fields from the same tag "w<worker>-<seq>":
    description = "w3-17",  url = "https://hooks.example.com/<endpoint index>/w3-17"
so a stored row whose url and description carry different tags is half-written.

The rule that verify applies, per endpoint, to the stored state P (the PATCH whose tag it carries):
  * P was sent (a tag that was never sent is corruption) and was not answered with an error;
  * no PATCH Q of the same endpoint that was acknowledged with 200 was *sent* after P was
    *acknowledged*: such a Q certainly committed after P, so finding P means Q was lost.
    (P unacknowledged = in flight at the kill: it may or may not have committed, it is never
    "provably older".)
Most endpoints belong to one worker, which patches them one request at a time, so there the rule
is exactly "the last acknowledged PATCH, or the one in flight when the process died". A few
"shared" endpoints are patched by every worker at once (optimistic-concurrency retries); there the
send/acknowledge intervals decide, because the acknowledgement order of overlapping requests is not
their commit order.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import sys
import threading
import time
from datetime import datetime, timezone

URL_PREFIX = "https://hooks.example.com/"
EVENTS = ["wallet.balance_low"]


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def read_json(path: str):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_json(path: str, value) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(tmp, path)


class Api:
    """One keep-alive HTTP/1.1 connection to the service."""

    def __init__(self, port: int, key: str | None = None, timeout: float = 10.0):
        self.port = port
        self.key = key
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body=None):
        headers = {"Accept": "application/json"}
        if self.key:
            headers["Authorization"] = "Bearer " + self.key
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except BaseException:
            self.conn.close()
            raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- small helpers


def cmd_free_port(_args) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])
    return 0


def process_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, IndexError):
        return False


def cmd_wait_ready(args) -> int:
    start = time.monotonic()
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        if args.pid and not process_alive(args.pid):
            print(f"wait-ready: process {args.pid} exited before it was ready", file=sys.stderr)
            return 1
        try:
            api = Api(args.port, timeout=2)
            status, _ = api.request("GET", "/healthz/ready")
            api.close()
            if status == 200:
                print(f"{time.monotonic() - start:.2f}")
                return 0
        except OSError:
            pass
        except http.client.HTTPException:
            pass
        time.sleep(0.05)
    print(f"wait-ready: not ready after {args.timeout}s", file=sys.stderr)
    return 1


def cmd_setup(args) -> int:
    api = Api(args.port, args.key)
    endpoints = []
    for index in range(args.endpoints):
        body = {"url": f"{URL_PREFIX}{index}/init", "description": "init", "events": EVENTS}
        status, created = api.request("POST", "/v1/webhooks", body)
        if status != 201:
            print(f"setup: POST /v1/webhooks answered {status}: {created}", file=sys.stderr)
            return 1
        endpoints.append({"index": index, "id": created["id"], "t_created": time.monotonic()})
    api.close()
    write_json(args.out, {"shared": args.shared, "endpoints": endpoints})
    return 0


# --------------------------------------------------------------------------- load


class Log:
    """Append-only JSON-lines log, flushed after every line."""

    def __init__(self, path: str):
        self.handle = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, record: dict) -> None:
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with self.lock:
            self.handle.write(line)
            self.handle.flush()

    def close(self) -> None:
        self.handle.close()


def cmd_load(args) -> int:
    setup = read_json(args.endpoints)
    endpoints = setup["endpoints"]
    shared = [e for e in endpoints if e["index"] < setup["shared"]]
    owned = [e for e in endpoints if e["index"] >= setup["shared"]]
    log = Log(args.log)
    stop = threading.Event()
    first_ack = threading.Event()

    def worker(number: int) -> None:
        rng = random.Random(number * 7919 + os.getpid())
        mine = [e for i, e in enumerate(owned) if i % args.workers == number] or owned
        api = Api(args.port, args.key)
        seq = 0
        turn = 0
        while not stop.is_set():
            if shared and rng.random() < args.shared_share:
                endpoint = rng.choice(shared)
            else:
                endpoint = mine[turn % len(mine)]
                turn += 1
            seq += 1
            tag = f"w{number}-{seq}"
            url = f"{URL_PREFIX}{endpoint['index']}/{tag}"
            record = {"tag": tag, "ep": endpoint["index"], "url": url, "description": tag}
            log.write({"ev": "send", "t": time.monotonic(), **record})
            try:
                status, body = api.request("PATCH", f"/v1/webhooks/{endpoint['id']}", {"url": url, "description": tag})
            except ConnectionRefusedError:
                # A new connection was refused: the request never reached a server.
                log.write({"ev": "refused", "t": time.monotonic(), "tag": tag, "ep": endpoint["index"]})
                break
            except (OSError, http.client.HTTPException) as error:
                # Sent (or being sent) when the connection died: in flight at the kill.
                log.write({"ev": "lost-connection", "t": time.monotonic(), "tag": tag, "ep": endpoint["index"],
                           "error": type(error).__name__})
                break
            now = time.monotonic()
            if status == 200:
                echoed = isinstance(body, dict) and body.get("url") == url and body.get("description") == tag
                log.write({"ev": "ack", "t": now, "at": utc_now(), "status": 200, "echo_ok": echoed, **record})
                first_ack.set()
            else:
                code = body.get("error", {}).get("code") if isinstance(body, dict) else None
                log.write({"ev": "rejected", "t": now, "status": status, "code": code, **record})
        api.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.workers)]
    t_start = time.monotonic()
    log.write({"ev": "load-start", "t": t_start, "at": utc_now(), "workers": args.workers})
    for thread in threads:
        thread.start()
    if first_ack.wait(timeout=30):
        with open(args.started_file, "w", encoding="ascii") as handle:
            handle.write(f"{time.monotonic()}\n")
    deadline = t_start + args.max_seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    log.write({"ev": "load-end", "t": time.monotonic(), "at": utc_now()})
    log.close()
    if not first_ack.is_set():
        print("load: no PATCH was acknowledged", file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------- checks


def parse_state(index: int, url, description):
    """The tag a stored row carries, or (None, reason) when url and description disagree."""
    prefix = f"{URL_PREFIX}{index}/"
    if not isinstance(url, str) or not url.startswith(prefix):
        return None, f"url {url!r} does not belong to endpoint {index}"
    url_tag = url[len(prefix):]
    if url_tag != description:
        return None, f"url tag {url_tag!r} != description {description!r}"
    return url_tag, None


def read_log(path: str):
    patches: dict[str, dict] = {}
    load_start = load_end = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            rec = json.loads(line)
            ev = rec["ev"]
            if ev == "load-start":
                load_start = rec["t"]
            elif ev == "load-end":
                load_end = rec["t"]
            elif ev == "send":
                patches[rec["tag"]] = {"ep": rec["ep"], "t_send": rec["t"], "outcome": None}
            else:
                patch = patches[rec["tag"]]
                patch["outcome"] = ev
                patch["t_end"] = rec["t"]
                if ev == "ack":
                    patch["echo_ok"] = rec["echo_ok"]
                if ev == "rejected":
                    patch["status"] = rec["status"]
                    patch["code"] = rec["code"]
    return patches, load_start, load_end


def judge(endpoints, states, patches):
    """Apply the rule to the stored states; returns counters and up to 20 examples of problems."""
    by_ep: dict[int, list] = {}
    for tag, patch in patches.items():
        by_ep.setdefault(patch["ep"], []).append((tag, patch))
    result = {"lost_acknowledged": 0, "endpoints_with_loss": 0, "half_written": 0, "phantom": 0,
              "final_is_last_ack": 0, "final_is_in_flight": 0, "final_is_other_ack": 0, "final_is_initial": 0}
    problems = []
    for endpoint in endpoints:
        index = endpoint["index"]
        state = states.get(index)
        if state is None:
            continue
        tag, reason = parse_state(index, state["url"], state["description"])
        if tag is None:
            result["half_written"] += 1
            problems.append(f"endpoint {index}: half-written: {reason}")
            continue
        mine = by_ep.get(index, [])
        acked = [(t, p) for t, p in mine if p["outcome"] == "ack"]
        if tag == "init":
            t_written = endpoint["t_created"]
            in_flight = False
        else:
            patch = patches.get(tag)
            if patch is None or patch["ep"] != index:
                result["phantom"] += 1
                problems.append(f"endpoint {index}: holds {tag!r}, which was never sent to it")
                continue
            if patch["outcome"] in ("rejected", "refused"):
                result["phantom"] += 1
                problems.append(f"endpoint {index}: holds {tag!r}, which was answered {patch['outcome']} "
                                f"{patch.get('status', '')}")
                continue
            in_flight = patch["outcome"] != "ack"
            t_written = float("inf") if in_flight else patch["t_end"]
        lost = [t for t, p in acked if p["t_send"] > t_written]
        if lost:
            result["lost_acknowledged"] += len(lost)
            result["endpoints_with_loss"] += 1
            problems.append(f"endpoint {index}: holds {tag!r} but {len(lost)} later acknowledged PATCH(es) "
                            f"are missing, e.g. {lost[-1]!r}")
            continue
        if tag == "init":
            result["final_is_initial"] += 1
        elif in_flight:
            result["final_is_in_flight"] += 1
        elif acked and max(acked, key=lambda item: item[1]["t_end"])[0] == tag:
            result["final_is_last_ack"] += 1
        else:
            result["final_is_other_ack"] += 1
    return result, problems


def cmd_verify(args) -> int:
    setup = read_json(args.endpoints)
    endpoints = setup["endpoints"]
    patches, load_start, load_end = read_log(args.log)
    api = Api(args.port, args.key)
    states = {}
    get_failures = []
    for endpoint in endpoints:
        status, body = api.request("GET", f"/v1/webhooks/{endpoint['id']}")
        if status != 200 or not isinstance(body, dict):
            get_failures.append(f"GET endpoint {endpoint['index']}: {status}")
            continue
        states[endpoint["index"]] = {"id": endpoint["id"], "url": body.get("url"), "description": body.get("description")}
    api.close()

    outcomes = [p["outcome"] for p in patches.values()]
    rejected_statuses: dict[str, int] = {}
    for patch in patches.values():
        if patch["outcome"] == "rejected":
            key = f"{patch['status']} {patch.get('code') or ''}".strip()
            rejected_statuses[key] = rejected_statuses.get(key, 0) + 1
    last_ack = max((p["t_end"] for p in patches.values() if p["outcome"] == "ack"), default=load_start)
    verdict, problems = judge(endpoints, states, patches)
    result = {
        "sent": sum(1 for o in outcomes if o != "refused"),
        "acknowledged": outcomes.count("ack"),
        "rejected": outcomes.count("rejected"),
        "rejected_by_status": rejected_statuses,
        "in_flight_at_kill": outcomes.count("lost-connection") + outcomes.count(None),
        "refused_after_kill": outcomes.count("refused"),
        "ack_echo_mismatch": sum(1 for p in patches.values() if p["outcome"] == "ack" and not p.get("echo_ok")),
        "load_seconds": round((last_ack or 0) - (load_start or 0), 3),
        "get_not_200": len(get_failures),
        **verdict,
    }
    result["problems"] = (get_failures + problems)[:20]
    write_json(args.out, result)
    write_json(args.states, states)
    return 0


def open_db_rows(path: str):
    connection = sqlite3.connect(path)
    try:
        integrity = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
        rows = {row[0].lower(): (row[1], row[2])
                for row in connection.execute("SELECT id, url, description FROM webhook_endpoints")}
    finally:
        connection.close()
    return integrity, journal, rows


def cmd_crash_image(args) -> int:
    """Integrity and rows of a copy of the database files exactly as the SIGKILL left them."""
    integrity, _journal, rows = open_db_rows(args.db)
    write_json(args.out, {"integrity": integrity, "rows": {k: list(v) for k, v in rows.items()}})
    return 0


def cmd_dbcheck(args) -> int:
    integrity, journal, rows = open_db_rows(args.db)
    states = read_json(args.states)
    crash = read_json(args.crash_image)
    mismatches = []
    for index, state in states.items():
        row = rows.get(state["id"].lower())
        served = (state["url"], state["description"])
        if row is None or tuple(row) != served:
            mismatches.append(f"endpoint {index}: API served {served}, database holds {row}")
        image = crash["rows"].get(state["id"].lower())
        if image is None or tuple(image) != served:
            mismatches.append(f"endpoint {index}: API served {served}, crash image holds {image}")
    result = read_json(args.result)
    for item in args.set or []:
        key, _, value = item.partition("=")
        try:
            result[key] = json.loads(value)
        except ValueError:
            result[key] = value
    result.update({
        "integrity_check": integrity,
        "crash_image_integrity_check": crash["integrity"],
        "journal_mode": journal,
        "db_vs_api_mismatch": len(mismatches),
    })
    result["problems"] = (result["problems"] + mismatches)[:20]
    write_json(args.result, result)
    return 0


# --------------------------------------------------------------------------- summary

COLUMNS = [
    ("round", "round"), ("sent", "sent"), ("ack", "acknowledged"), ("rej", "rejected"),
    ("inflight", "in_flight_at_kill"), ("lost_ack", "lost_acknowledged"), ("half", "half_written"),
    ("phantom", "phantom"), ("get!200", "get_not_200"), ("db!=api", "db_vs_api_mismatch"),
    ("fin=inflt", "final_is_in_flight"), ("ack/s", "acks_per_second"), ("kill@s", "kill_after_seconds"),
    ("ready_s", "restart_ready_seconds"),
    ("integrity", "integrity_check"),
]


def failures_of(result: dict) -> list[str]:
    found = []
    for key in ("lost_acknowledged", "half_written", "phantom", "get_not_200", "db_vs_api_mismatch", "ack_echo_mismatch"):
        if result.get(key, 0):
            found.append(f"{key}={result[key]}")
    for key in ("integrity_check", "crash_image_integrity_check"):
        if result.get(key) != "ok":
            found.append(f"{key}={result.get(key)!r}")
    return found


def cmd_summary(args) -> int:
    results = []
    for path in args.results:
        result = read_json(path)
        seconds = result.get("load_seconds") or 0
        result["acks_per_second"] = round(result["acknowledged"] / seconds) if seconds > 0 else "-"
        results.append(result)
    widths = [max(len(h), 9) for h, _ in COLUMNS]
    print("  ".join(h.rjust(w) for (h, _), w in zip(COLUMNS, widths)))
    for result in results:
        print("  ".join(str(result.get(k, "-")).rjust(w) for (_, k), w in zip(COLUMNS, widths)))
    total = {k: sum(r.get(k, 0) for r in results) for _, k in COLUMNS
             if k not in ("round", "integrity_check", "kill_after_seconds", "restart_ready_seconds", "acks_per_second")}
    ok_rounds = sum(1 for r in results if r.get("integrity_check") == "ok" and r.get("crash_image_integrity_check") == "ok")
    print()
    print(f"rounds: {len(results)}; PATCHes sent: {total['sent']}; acknowledged (200): {total['acknowledged']}; "
          f"rejected: {total['rejected']}; in flight at the kill: {total['in_flight_at_kill']} "
          f"(of which found committed after restart: {total['final_is_in_flight']})")
    print(f"lost acknowledged writes: {total['lost_acknowledged']}; half-written rows: {total['half_written']}; "
          f"phantom writes: {total['phantom']}; GET not 200: {total['get_not_200']}; "
          f"database != API: {total['db_vs_api_mismatch']}; "
          f"integrity_check ok: {ok_rounds}/{len(results)} rounds (after restart and on the crash image)")
    print(f"service log lines at fail/crit level: {sum(r.get('service_log_errors', 0) for r in results)}; "
          f"restart to ready: {min(r.get('restart_ready_seconds', 0) for r in results)}-"
          f"{max(r.get('restart_ready_seconds', 0) for r in results)} s")
    rejected: dict[str, int] = {}
    for result in results:
        for key, count in result.get("rejected_by_status", {}).items():
            rejected[key] = rejected.get(key, 0) + count
    if rejected:
        print("rejected PATCHes by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(rejected.items())))
    failed = False
    for result in results:
        found = failures_of(result)
        if found:
            failed = True
            print(f"round {result.get('round')}: FAILED: {', '.join(found)}")
            for problem in result.get("problems", []):
                print(f"    {problem}")
    print("RESULT: " + ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


def cmd_self_test(_args) -> int:
    """The checker must flag what it is meant to find: synthetic logs and states, known verdicts."""
    endpoints = [{"index": 0, "id": "a", "t_created": 0.0}, {"index": 1, "id": "b", "t_created": 0.0}]
    patches = {
        # endpoint 0, one worker: w0-1 acked, w0-2 acked, w0-3 in flight at the kill
        "w0-1": {"ep": 0, "t_send": 1.0, "t_end": 1.1, "outcome": "ack", "echo_ok": True},
        "w0-2": {"ep": 0, "t_send": 1.2, "t_end": 1.3, "outcome": "ack", "echo_ok": True},
        "w0-3": {"ep": 0, "t_send": 1.4, "outcome": "lost-connection"},
        # endpoint 1, shared: w1-1 and w2-1 overlap (either may win), w3-1 acked later, w4-1 rejected
        "w1-1": {"ep": 1, "t_send": 1.0, "t_end": 1.5, "outcome": "ack", "echo_ok": True},
        "w2-1": {"ep": 1, "t_send": 1.1, "t_end": 1.4, "outcome": "ack", "echo_ok": True},
        "w4-1": {"ep": 1, "t_send": 1.2, "t_end": 1.3, "outcome": "rejected", "status": 503},
    }

    def state(index, tag, description=None):
        return {"url": f"{URL_PREFIX}{index}/{tag}", "description": tag if description is None else description}

    cases = [
        ("last acknowledged", {0: state(0, "w0-2"), 1: state(1, "w1-1")}, {}),
        ("in flight, committed", {0: state(0, "w0-3"), 1: state(1, "w2-1")}, {"final_is_in_flight": 1}),
        ("older acknowledged", {0: state(0, "w0-1"), 1: state(1, "w1-1")}, {"lost_acknowledged": 1}),
        ("initial state", {0: state(0, "init"), 1: state(1, "w1-1")}, {"lost_acknowledged": 2}),
        ("half-written", {0: state(0, "w0-2", "w0-3"), 1: state(1, "w1-1")}, {"half_written": 1}),
        ("another endpoint's url", {0: state(1, "w0-2", "w0-2"), 1: state(1, "w1-1")}, {"half_written": 1}),
        ("rejected PATCH applied", {0: state(0, "w0-2"), 1: state(1, "w4-1")}, {"phantom": 1}),
        ("never sent", {0: state(0, "w0-9"), 1: state(1, "w1-1")}, {"phantom": 1}),
    ]
    failed = 0
    for name, states, expected in cases:
        verdict, _ = judge(endpoints, states, patches)
        for key in ("lost_acknowledged", "half_written", "phantom", "final_is_in_flight"):
            if verdict[key] != expected.get(key, 0):
                failed += 1
                print(f"self-test {name!r}: {key} = {verdict[key]}, expected {expected.get(key, 0)}", file=sys.stderr)
    if failed:
        return 1
    print(f"checker self-test: {len(cases)} cases ok")
    return 0


def cmd_line(args) -> int:
    """One line for a finished round (printed by run.sh as it goes)."""
    r = read_json(args.result)
    found = failures_of(r)
    print(f"round {r.get('round')}: sent {r['sent']}, acknowledged {r['acknowledged']}, rejected {r['rejected']}, "
          f"in flight at the kill {r['in_flight_at_kill']} (committed: {r['final_is_in_flight']}), "
          f"lost acknowledged {r['lost_acknowledged']}, half-written {r['half_written']}, "
          f"integrity_check {r['integrity_check']} (crash image: {r['crash_image_integrity_check']}), "
          f"killed after {r.get('kill_after_seconds')} s of load, ready again in {r.get('restart_ready_seconds')} s"
          + (f" -- FAILED: {', '.join(found)}" if found else ""))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("free-port").set_defaults(func=cmd_free_port)

    p = sub.add_parser("wait-ready")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(func=cmd_wait_ready)

    p = sub.add_parser("setup")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--endpoints", type=int, default=50)
    p.add_argument("--shared", type=int, default=4, help="endpoints patched by every worker")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("load")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--endpoints", required=True, help="endpoints.json from setup")
    p.add_argument("--workers", type=int, default=16)
    p.add_argument("--shared-share", type=float, default=0.2, help="share of PATCHes sent to shared endpoints")
    p.add_argument("--log", required=True)
    p.add_argument("--started-file", required=True)
    p.add_argument("--max-seconds", type=float, default=30)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("crash-image")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_crash_image)

    p = sub.add_parser("verify")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--endpoints", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--states", required=True)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("dbcheck")
    p.add_argument("--db", required=True)
    p.add_argument("--states", required=True)
    p.add_argument("--crash-image", required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="add a figure to the round's result")
    p.set_defaults(func=cmd_dbcheck)

    sub.add_parser("self-test").set_defaults(func=cmd_self_test)

    p = sub.add_parser("line")
    p.add_argument("result")
    p.set_defaults(func=cmd_line)

    p = sub.add_parser("summary")
    p.add_argument("results", nargs="+")
    p.set_defaults(func=cmd_summary)

    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
