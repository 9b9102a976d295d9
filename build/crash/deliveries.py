#!/usr/bin/env python3
"""Delivery runs against the published service on SQLite or PostgreSQL (standard library only; needs openssl).

    deliveries.py crash     --publish-dir DIR --work DIR [--kills K] [--endpoints E] [--rate R] ...
    deliveries.py scale-out --publish-dir DIR --work DIR [--events N] [--endpoints E] [--workers W] ...
    deliveries.py restart   --publish-dir DIR --work DIR --postgres [CS] [--pg-dir DIR] [--down-seconds S] ...
    deliveries.py latency   --publish-dir DIR --work DIR [--samples N] [--pause-ms MS]

On SQLite (the default) the run's database is WORK/webhooks.db. With --postgres CONNECTION_STRING (an
Npgsql one to a maintenance database; without a value $WEBHOOKS_TEST_POSTGRES, as exported by
build/postgres-cluster.sh) the run creates a fresh database of its own on that server, starts every
process with Database__Provider=Postgres, reads it with `psql -At` subprocesses, and drops it when the
run passes (a failed run keeps it). The checks are the same; PRAGMA integrity_check becomes amcheck's
bt_index_check on every B-tree index (PostgreSQL has no whole-database check; heap checks need
pg_amcheck against a quiet database).

All three start receiver.py (HTTPS, a CA made with openssl, trusted by the service through
Delivery:TrustedCertificatesPath; 127.0.0.0/8 allowed by Webhooks:AllowedPrivateNetworks), an
organization and a key through the admin commands, the service, and E endpoints
https://127.0.0.1:PORT/hooks/<i> subscribed to wallet.balance_low; events are published with
POST /v1/events and every 202 is logged with its id and `deliveries` count.

crash: publishes at R events per second while the service is killed with SIGKILL K times (each
  time after the receiver has taken some deliveries since the restart) and restarted on the same
  database (--kill worker: the API's worker is off, --workers W `worker` processes deliver, and kill
  n takes worker (n - 1) mod W, which is started again, as a supervisor would); then publishing stops and the run waits until no delivery is pending. At each kill the
  deliveries leased (claimed, result not written) are read from the database file: those were in
  flight. Checks: every accepted event is stored with as many deliveries as its 202 said; every
  delivery arrived at least once and ended `succeeded`; a delivery that arrived twice was leased
  by the killed process at a kill (or has a recorded failed attempt), once more per such kill;
  no kill repeats more than MaxConcurrency deliveries (a worker holds an attempt's slot until its
  result is written);
  every attempt of a delivery carried the same bytes; nothing arrived that is not a delivery;
  nothing is left pending; PRAGMA integrity_check; the last stop is graceful.
scale-out: the API (its worker on unless --api-worker off) and W `worker` processes on one
  database, no faults, N events: every delivery arrived exactly once, all `succeeded` at the first
  attempt; how the attempts were split between the processes.
restart (PostgreSQL only): the API (its worker on) and W `worker` processes; publishing at R events per
  second; once deliveries flow, `pg_ctl stop -m fast` (as the data directory's owner; --pg-dir is the
  cluster's directory, $WEBHOOKS_TEST_POSTGRES_DIR), --down-seconds later `pg_ctl start` with the options
  the server ran with (its postmaster.opts). Checks: while down, POST /v1/events answers 503 with the
  envelope's SERVICE_UNAVAILABLE (at least one; nothing but 202 or that 503 at any time; none
  unanswered), /healthz/ready answers 503 (every probe, one every 0.2 s); after the start ready, a 202
  and a delivery within --max-recovery-seconds; no process exited (nothing is restarted); every
  accepted event stored with its deliveries, every delivery received at least once and `succeeded`.
latency: an idle service, one endpoint; one event at a time: from just before the POST to the
  receiver's arrival time (same clock), median/p95/max.

Writes WORK/result.json and prints a summary; exit status 1 on any violation, 3 if the harness
itself could not run.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import pwd
import random
import re
import shlex
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

from driver import Api  # one keep-alive HTTP/1.1 connection with a bearer key (the PATCH crash run's)

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
EVENT_TYPE = "wallet.balance_low"
TICKS_AT_UNIX_EPOCH = 621355968000000000
STARTED_LINE = re.compile(r"Delivery worker \S+ started")
STOPPED_LINE = re.compile(r"Delivery worker (\S+) stopped after recording (\d+) attempts")


class HarnessError(Exception):
    """The run could not be carried out (not a verdict on the service)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_json(path: str, value) -> None:
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(path + ".tmp", path)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def now_ticks() -> int:
    return int(time.time() * 10_000_000) + TICKS_AT_UNIX_EPOCH


# --------------------------------------------------------------------------- processes


class SqliteDatabase:
    """The run's SQLite file, read with Python's sqlite3."""

    label = "one SQLite file"
    lease_ticks = "lease_expires_at"  # stored as UTC ticks

    def __init__(self, work: str):
        self.path = os.path.join(work, "webhooks.db")
        self.env = {"ConnectionStrings__Webhooks": f"Data Source={self.path}"}

    def query(self, sql: str, *params) -> list[tuple]:
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            rows = connection.execute(sql, params).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()

    def integrity(self) -> str:
        return "; ".join(row[0] for row in self.query("PRAGMA integrity_check"))

    def close(self) -> None:
        pass


class PostgresDatabase:
    """A fresh database of the run's own on a PostgreSQL server (an Npgsql connection string to a
    maintenance database, e.g. WEBHOOKS_TEST_POSTGRES), read with `psql -At` subprocesses."""

    label = "one PostgreSQL database"
    lease_ticks = f"(extract(epoch from lease_expires_at) * 10000000)::bigint + {TICKS_AT_UNIX_EPOCH}"
    NULL = "\\N"
    SEPARATOR = "\x1f"

    def __init__(self, connection_string: str):
        parts = {}
        for item in connection_string.split(";"):
            if "=" in item:
                name, value = item.split("=", 1)
                parts[name.strip().lower().replace(" ", "")] = value.strip()
        self.host = parts.get("host") or parts.get("server") or "127.0.0.1"
        self.port = parts.get("port", "5432")
        self.user = parts.get("username") or parts.get("userid") or parts.get("user") or "postgres"
        self.password = parts.get("password")
        self.name = f"deliveries_{os.getpid()}_{random.randrange(16 ** 8):08x}"
        self.psql_env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        if self.password:
            self.psql_env["PGPASSWORD"] = self.password
        self.psql(parts.get("database", "postgres"), f'CREATE DATABASE "{self.name}"')
        kept = [item for item in connection_string.split(";")
                if item.strip() and item.split("=", 1)[0].strip().lower() != "database"]
        self.env = {"Database__Provider": "Postgres", "ConnectionStrings__Webhooks": ";".join(kept + [f"Database={self.name}"])}

    def psql(self, database: str, sql: str) -> str:
        completed = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-F", self.SEPARATOR, "-P", f"null={self.NULL}",
                                    "-h", self.host, "-p", self.port, "-U", self.user, "-d", database, "-c", sql],
                                   env=self.psql_env, capture_output=True, text=True, timeout=120, check=False)
        if completed.returncode != 0:
            raise HarnessError(f"psql failed ({sql[:80]}): {completed.stderr.strip()[-300:]}")
        return completed.stdout

    def query(self, sql: str, *params) -> list[tuple]:
        pieces = sql.split("?")
        if len(pieces) != len(params) + 1:
            raise HarnessError(f"{len(params)} parameters for {len(pieces) - 1} placeholders: {sql}")
        text = pieces[0] + "".join("'" + str(p).replace("'", "''") + "'" + rest for p, rest in zip(params, pieces[1:]))
        out = self.psql(self.name, text)
        return [tuple(None if v == self.NULL else v for v in line.split(self.SEPARATOR)) for line in out.splitlines()]

    def integrity(self) -> str:
        """The nearest thing to PRAGMA integrity_check: amcheck's bt_index_check on every B-tree index of the schema."""
        self.query("CREATE EXTENSION IF NOT EXISTS amcheck")
        rows = self.query("SELECT count(*) FROM (SELECT bt_index_check(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                          "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE a.amname = 'btree' AND n.nspname = 'public') checked")
        return f"ok (amcheck: {rows[0][0]} indexes)"

    def close(self) -> None:
        try:
            self.psql("postgres", f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except (HarnessError, subprocess.TimeoutExpired):
            pass


class Run:
    """The work directory, the receiver, and the service's processes with one configuration."""

    def __init__(self, args, receiver_delay: str):
        self.args = args
        self.pub = os.path.abspath(args.publish_dir)
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        postgres = getattr(args, "postgres", None)
        self.database = PostgresDatabase(postgres) if postgres else SqliteDatabase(self.work)
        self.receiver_dir = os.path.join(self.work, "receiver")
        self.received_path = os.path.join(self.receiver_dir, "received.jsonl")
        self.port = free_port()
        self.processes: list[subprocess.Popen] = []
        self.passed = False
        self.env = dict(os.environ)
        self.env.update({
            "DataProtection__KeysPath": os.path.join(self.work, "keys"),
            "ASPNETCORE_ENVIRONMENT": "Production",
            "RateLimiting__Enabled": "false",
            "Delivery__TrustedCertificatesPath": os.path.join(self.receiver_dir, "ca.pem"),
            "Webhooks__AllowedPrivateNetworks__0": "127.0.0.0/8",
            "Delivery__TimeoutSeconds": str(args.timeout_seconds),
            "Delivery__LeaseSeconds": str(args.lease_seconds),
            "Delivery__MaxConcurrency": str(args.max_concurrency),
            "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        })
        self.env.update(self.database.env)
        port_file = os.path.join(self.work, "receiver.port")
        self.receiver = self.spawn([sys.executable, os.path.join(SCRIPT_DIR, "receiver.py"), "--dir", self.receiver_dir,
                                    "--delay-ms", receiver_delay, "--port-file", port_file], "receiver.log", cwd=self.work)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.receiver.poll() is not None or time.monotonic() > deadline:
                raise HarnessError("the receiver did not start (see receiver.log)")
            time.sleep(0.05)
        with open(port_file, encoding="ascii") as handle:
            self.receiver_port = int(handle.read())

    def spawn(self, argv: list[str], log_name: str, cwd: str | None = None, env: dict | None = None) -> subprocess.Popen:
        log = open(os.path.join(self.work, log_name), "ab")
        process = subprocess.Popen(argv, cwd=cwd or self.pub, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        log.close()
        self.processes.append(process)
        return process

    def admin(self, *argv: str) -> dict:
        completed = subprocess.run([os.path.join(self.pub, "Webhooks.Api"), *argv], cwd=self.pub, env=self.env,
                                   capture_output=True, text=True, timeout=120, check=False)
        if completed.returncode != 0:
            raise HarnessError(f"admin {' '.join(argv[:2])} failed: {completed.stderr.strip()[-500:]}")
        return json.loads(completed.stdout)

    def start_api(self, log_name: str, worker: bool = True) -> subprocess.Popen:
        env = dict(self.env, Delivery__Worker__Enabled="true" if worker else "false")
        process = self.spawn([os.path.join(self.pub, "Webhooks.Api"), "--urls", f"http://127.0.0.1:{self.port}"], log_name, env=env)
        self.wait_ready(process)
        return process

    def start_worker(self, name: str) -> subprocess.Popen:
        """A `worker` process; its stdout goes to NAME.out, its log to NAME.log."""
        out = open(os.path.join(self.work, f"{name}.out"), "wb")
        process = subprocess.Popen([os.path.join(self.pub, "Webhooks.Api"), "worker"], cwd=self.pub, env=self.env,
                                   stdout=out, stderr=open(os.path.join(self.work, f"{name}.log"), "ab"),
                                   stdin=subprocess.DEVNULL)
        out.close()
        self.processes.append(process)
        return process

    def wait_workers_started(self, names: list[str], timeout: float = 120) -> None:
        """Until each `worker` process NAME has logged that its delivery loop started (it has migrated and can claim)."""
        deadline = time.monotonic() + timeout
        for name in names:
            while True:
                with open(os.path.join(self.work, f"{name}.log"), encoding="utf-8", errors="replace") as handle:
                    if STARTED_LINE.search(handle.read()):
                        break
                if time.monotonic() > deadline:
                    raise HarnessError(f"{name} did not start its delivery loop in {timeout} s (see {name}.log)")
                time.sleep(0.05)

    def wait_ready(self, process: subprocess.Popen, timeout: float = 120) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if process.poll() is not None:
                raise HarnessError(f"the service exited with {process.returncode} before it was ready")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz/ready")
                if connection.getresponse().status == 200:
                    connection.close()
                    return time.monotonic() - start
                connection.close()
            except OSError:
                pass
            time.sleep(0.05)
        raise HarnessError("the service was not ready in time")

    @staticmethod
    def stop(process: subprocess.Popen, timeout: float = 60) -> bool:
        """SIGTERM; True when it exited with 0 in time (SIGKILL and False otherwise)."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                return False
        return process.returncode == 0

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.kill()
                process.wait()
        if self.passed:
            self.database.close()  # a failed run keeps its PostgreSQL database for a look, as it keeps its SQLite file
        elif isinstance(self.database, PostgresDatabase):
            print(f"    (PostgreSQL database {self.database.name} kept)")

    # ----- the API

    def set_up(self, endpoints: int, api_log: str, api_worker: bool) -> tuple[str, subprocess.Popen, dict[str, str]]:
        """A key, the API (with or without its worker) and the endpoints: (key, API process, endpoint id -> path)."""
        key = self.credentials()
        api = self.start_api(api_log, worker=api_worker)
        return key, api, self.create_endpoints(key, endpoints)

    def credentials(self) -> str:
        org = self.admin("orgs", "create", "--name", "delivery-run")["id"]
        return self.admin("keys", "create", "--org", org, "--scopes", "webhooks:read,webhooks:write,events:write",
                          "--name", "delivery-run")["key"]

    def create_endpoints(self, key: str, count: int) -> dict[str, str]:
        """Endpoint id (lower case) -> receiver path."""
        api = Api(self.port, key)
        paths = {}
        for index in range(count):
            path = f"/hooks/{index}"
            status, body = api.request("POST", "/v1/webhooks", {
                "url": f"https://127.0.0.1:{self.receiver_port}{path}", "description": f"run {index}", "events": [EVENT_TYPE]})
            if status != 201:
                raise HarnessError(f"POST /v1/webhooks answered {status}: {body}")
            paths[body["id"].lower()] = path
        api.close()
        return paths

    # ----- the files

    def received(self) -> list[dict]:
        if not os.path.exists(self.received_path):
            return []
        with open(self.received_path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.endswith("\n")]

    def received_count(self) -> int:
        if not os.path.exists(self.received_path):
            return 0
        with open(self.received_path, "rb") as handle:
            return handle.read().count(b"\n")

    def query(self, sql: str, *params) -> list[tuple]:
        return self.database.query(sql, *params)

    def pending(self) -> int:
        return int(self.query("SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0])

    def wait_drained(self, timeout: float) -> float:
        start = time.monotonic()
        while self.pending() > 0:
            if time.monotonic() - start > timeout:
                return -1
            time.sleep(0.25)
        return time.monotonic() - start


class Publishers:
    """Threads that publish events (at `rate` per second in all, or as fast as they can) until stopped or
    until `total` have been accepted; every outcome goes to a JSONL log."""

    def __init__(self, run: Run, key: str, threads: int, rate: float, total: int | None, log_name: str):
        self.run, self.key, self.rate, self.total = run, key, rate, total
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.rejected: list[dict] = []
        self.unanswered = 0
        self.refused = 0
        self.sequence = 0
        self.log = open(os.path.join(run.work, log_name), "a", encoding="utf-8")
        self.threads = [threading.Thread(target=self.publish, args=(n,), daemon=True) for n in range(threads)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self) -> None:
        self.stop_flag.set()
        for thread in self.threads:
            thread.join()
        self.log.close()

    def publish(self, number: int) -> None:
        api = None
        interval = len(self.threads) / self.rate if self.rate > 0 else 0
        next_at = time.monotonic() + random.uniform(0, interval)
        while not self.stop_flag.is_set():
            with self.lock:
                if self.total is not None and self.sequence >= self.total:
                    return
                self.sequence += 1
                sequence = self.sequence
            if interval:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at = max(next_at + interval, time.monotonic() - interval)
            record = {"seq": sequence, "t_send": time.time()}
            try:
                api = api or Api(self.run.port, self.key, timeout=30)
                status, body = api.request("POST", "/v1/events", {"type": EVENT_TYPE, "data": {"seq": sequence, "publisher": number}})
            except ConnectionRefusedError:
                api = None
                with self.lock:
                    self.refused += 1
                    if self.total is not None:
                        self.sequence -= 1  # nothing was sent: the event is still owed
                time.sleep(0.05)
                continue
            except (OSError, http.client.HTTPException) as error:
                api = None
                record.update(outcome="unanswered", error=type(error).__name__)
                with self.lock:
                    self.unanswered += 1
                    self.log.write(json.dumps(record) + "\n")
                time.sleep(0.05)
                continue
            record.update(t_ack=time.time(), status=status)
            with self.lock:
                if status == 202 and isinstance(body, dict):
                    record.update(outcome="accepted", id=body["id"].lower(), deliveries=body["deliveries"])
                    self.accepted.append(record)
                else:
                    record.update(outcome="rejected", body=body)
                    self.rejected.append(record)
                self.log.write(json.dumps(record) + "\n")


# --------------------------------------------------------------------------- checks


def check_deliveries(run: Run, paths: dict[str, str], accepted: list[dict]) -> tuple[dict, dict, list[str]]:
    """Counts what the receiver got against the database. Returns (figures, receipts per delivery id, problems)."""
    problems: list[str] = []
    deliveries = {row[0].lower(): {"event": row[1].lower(), "endpoint": (row[2] or "").lower(), "status": row[3], "attempts": int(row[4]),
                                   "lease_expires_at": int(row[5] or 0)}
                  for row in run.query(f"SELECT id, event_id, endpoint_id, status, attempt_count, {run.database.lease_ticks} FROM deliveries")}
    stored = {row[0].lower(): int(row[1]) for row in run.query("SELECT id, delivery_count FROM events")}
    by_pair = {(d["event"], paths.get(d["endpoint"])): delivery_id for delivery_id, d in deliveries.items()}
    per_event: dict[str, int] = {}
    for d in deliveries.values():
        per_event[d["event"]] = per_event.get(d["event"], 0) + 1

    figures = {"accepted_events": len(accepted), "accepted_deliveries": sum(a["deliveries"] for a in accepted),
               "stored_events": len(stored), "deliveries": len(deliveries)}
    lost = [a["id"] for a in accepted if a["id"] not in stored]
    count_mismatch = [a["id"] for a in accepted if a["id"] in stored and per_event.get(a["id"], 0) != a["deliveries"]]
    problems += [f"accepted event {i} is not stored" for i in lost[:10]]
    problems += [f"accepted event {i}: {per_event.get(i, 0)} delivery rows, the 202 said otherwise" for i in count_mismatch[:10]]

    receipts: dict[str, list[dict]] = {}
    phantom = []
    for receipt in run.received():
        delivery_id = by_pair.get(((receipt["id"] or "").lower(), receipt["path"]))
        if delivery_id is None:
            phantom.append(receipt)
        else:
            receipts.setdefault(delivery_id, []).append(receipt)
    problems += [f"received {r['id']} at {r['path']}: no such delivery" for r in phantom[:10]]
    never = [i for i in deliveries if i not in receipts]
    problems += [f"delivery {i} (event {deliveries[i]['event']}) never arrived" for i in never[:10]]
    changed = [i for i, rs in receipts.items() if len({(r["sha"], r["len"]) for r in rs}) > 1]
    problems += [f"delivery {i}: attempts carried different bodies" for i in changed[:10]]
    not_succeeded = {i: d["status"] for i, d in deliveries.items() if d["status"] != "succeeded"}
    problems += [f"delivery {i} ended {s}" for i, s in list(not_succeeded.items())[:10]]
    now = now_ticks()
    stuck = [i for i, d in deliveries.items() if d["status"] == "pending" and d["lease_expires_at"] <= now]
    problems += [f"delivery {i} is pending with no live lease after the run" for i in stuck[:10]]
    integrity = run.database.integrity()
    if not integrity.startswith("ok"):
        problems.append(f"integrity_check: {integrity}")
    figures.update({
        "lost_accepted_events": len(lost), "delivery_count_mismatch": len(count_mismatch),
        "received_requests": sum(len(r) for r in receipts.values()) + len(phantom), "phantom_requests": len(phantom),
        "never_received": len(never), "body_changed": len(changed), "not_succeeded": len(not_succeeded),
        "stuck_pending_after_lease": len(stuck), "pending_at_end": sum(1 for d in deliveries.values() if d["status"] == "pending"),
        "integrity_check": integrity,
        "max_attempt_count": max((d["attempts"] for d in deliveries.values()), default=0),
    })
    return figures, receipts, problems


# --------------------------------------------------------------------------- crash


def cmd_crash(args) -> int:
    run = Run(args, receiver_delay=args.receiver_delay_ms)
    started = time.monotonic()
    try:
        # --kill api: the API with its worker is killed and restarted; --kill worker: the API's worker
        # is off and one `worker` process delivers, which is killed and started again.
        key, api, paths = run.set_up(args.endpoints, "service-0.log", api_worker=args.kill == "api")
        # --kill worker: W `worker` processes; kill n takes worker (n - 1) mod W and starts it again (as a supervisor would).
        workers = [run.start_worker(f"worker-0-{slot}" if args.workers > 1 else "worker-0") for slot in range(args.workers)] \
            if args.kill == "worker" else []
        run.wait_workers_started([f"worker-0-{slot}" if args.workers > 1 else "worker-0" for slot in range(len(workers))])
        victim = api
        kills = []
        with Publishers(run, key, args.publishers, args.rate, None, "published.jsonl") as publishers:
            for number in range(1, args.kills + 1):
                before = run.received_count()
                deadline = time.monotonic() + 120
                while run.received_count() - before < args.min_received:
                    if time.monotonic() > deadline:
                        raise HarnessError(f"kill {number}: the receiver got fewer than {args.min_received} requests in 120 s")
                    time.sleep(0.05)
                time.sleep(random.uniform(0.2, 1.0))
                slot = (number - 1) % max(1, len(workers))
                if workers:
                    victim = workers[slot]
                victim.kill()
                victim.wait()
                t_kill = time.time()
                # In flight at the kill: claimed by the killed process (owner "machine:pid:random"), result not written.
                leased = [row[0].lower() for row in run.query(
                    "SELECT id FROM deliveries WHERE status = 'pending' AND lease_owner LIKE ?", f"%:{victim.pid}:%")]
                pending = run.pending()
                restarted = time.monotonic()
                if args.kill == "api":
                    api = victim = run.start_api(f"service-{number}.log")
                else:
                    workers[slot] = run.start_worker(f"worker-{number}-{slot}" if args.workers > 1 else f"worker-{number}")
                ready = time.monotonic() - restarted
                kills.append({"kill": number, "t": t_kill, "leased_at_kill": len(leased), "pending_at_kill": pending,
                              "leased_ids": leased, "restart_ready_seconds": round(ready, 2)})
                print(f"    kill {number}: {len(leased)} deliveries leased (in flight), {pending} pending; "
                      f"ready again after {ready:.2f} s", flush=True)
            time.sleep(args.tail_seconds)
        publish_seconds = time.monotonic() - started
        drained = run.wait_drained(args.lease_seconds + args.drain_timeout)
        graceful = all([Run.stop(worker) for worker in workers] + [Run.stop(api)])
        if args.inject:
            inject(run, args.inject, paths, {i for kill in kills for i in kill["leased_ids"]})
        figures, receipts, problems = check_deliveries(run, paths, publishers.accepted)
        if drained < 0:
            problems.append(f"deliveries still pending {args.lease_seconds + args.drain_timeout} s after publishing stopped")
        if not graceful:
            problems.append("the last stop (SIGTERM) was not graceful")
        if publishers.rejected:
            problems.append(f"{len(publishers.rejected)} publishes answered other than 202, e.g. {publishers.rejected[0]}")

        # Duplicates: a delivery that arrived n > 1 times must have been leased at a kill or had a
        # recorded failed attempt (a time-out whose request did arrive) n - 1 times in all.
        failed_attempts = {row[0].lower(): int(row[1]) for row in run.query(
            "SELECT delivery_id, count(*) FROM delivery_attempts WHERE response_status IS NULL OR response_status <> 200 "
            "GROUP BY delivery_id")}
        leased_at = {}
        for kill in kills:
            for delivery_id in kill["leased_ids"]:
                leased_at.setdefault(delivery_id, []).append(kill["kill"])
        duplicates_per_kill = {kill["kill"]: 0 for kill in kills}
        unexplained = []
        for delivery_id, rs in receipts.items():
            extra = len(rs) - 1 - failed_attempts.get(delivery_id, 0)
            if extra <= 0:
                continue
            at = leased_at.get(delivery_id, [])
            if extra > len(at):
                unexplained.append(delivery_id)
            for kill_number in at[:extra]:
                duplicates_per_kill[kill_number] += 1
        problems += [f"delivery {i} arrived {len(receipts[i])} times but was leased at {len(leased_at.get(i, []))} kills"
                     for i in unexplained[:10]]
        # What the leased deliveries were doing at each kill, by the receiver's clock: not sent yet,
        # in flight (arrived, not answered), or answered and waiting for the result to be written.
        for kill in kills:
            first = [min((r for r in receipts.get(i, []) if r["t"] <= kill["t"]), key=lambda r: r["t"], default=None)
                     for i in kill["leased_ids"]]
            kill["leased_not_sent"] = sum(1 for r in first if r is None)
            kill["leased_in_flight"] = sum(1 for r in first if r is not None and r["t"] + r["delay"] >= kill["t"])
            kill["leased_answered_unrecorded"] = sum(1 for r in first if r is not None and r["t"] + r["delay"] < kill["t"])
            kill["answered_longest_before_kill_ms"] = round(1000 * max(
                (kill["t"] - r["t"] - r["delay"] for r in first if r is not None and r["t"] + r["delay"] < kill["t"]), default=0))
        # A worker holds an attempt's slot (and its lease) until the result is written, so a kill
        # repeats at most MaxConcurrency deliveries of the killed process.
        over = {k: n for k, n in duplicates_per_kill.items() if n > args.max_concurrency}
        problems += [f"kill {k} repeated {n} deliveries, more than MaxConcurrency ({args.max_concurrency})" for k, n in sorted(over.items())]
        figures.update({
            "kills": len(kills),
            "publishes_unanswered_at_kills": publishers.unanswered,
            "publishes_refused_while_down": publishers.refused,
            "publishes_rejected": len(publishers.rejected),
            "duplicates": sum(len(rs) - 1 for rs in receipts.values()),
            "duplicates_per_kill": [duplicates_per_kill[k["kill"]] for k in kills],
            "leased_at_kill": [k["leased_at_kill"] for k in kills],
            "pending_at_kill": [k["pending_at_kill"] for k in kills],
            "leased_at_kill_by_state": [{n: k[f"leased_{n}"] for n in ("not_sent", "in_flight", "answered_unrecorded")} for k in kills],
            "answered_longest_before_kill_ms": [k["answered_longest_before_kill_ms"] for k in kills],
            "restart_ready_seconds": [k["restart_ready_seconds"] for k in kills],
            "unexplained_duplicates": len(unexplained),
            "kills_with_more_duplicates_than_max_concurrency": sorted(over),
            "failed_attempts": sum(failed_attempts.values()),
            "publish_seconds": round(publish_seconds, 1),
            "drain_seconds": round(drained, 1),
            "graceful_stop": graceful,
            "max_concurrency": args.max_concurrency,
            "lease_seconds": args.lease_seconds,
            "wall_seconds": round(time.monotonic() - started, 1),
        })
        return report(run, figures, problems, [
            ("processes", f"API (worker {'on' if args.kill == 'api' else 'off'})"
                          f"{'' if args.kill == 'api' else f' + {args.workers} worker processes'}, {run.database.label}; killed: {args.kill}"),
            ("events accepted / stored", f"{figures['accepted_events']} / {figures['stored_events']} "
                                         f"(unanswered at the kills: {figures['publishes_unanswered_at_kills']})"),
            ("deliveries (rows / accepted)", f"{figures['deliveries']} / {figures['accepted_deliveries']}"),
            ("requests received", figures["received_requests"]),
            ("kills; leased at each", f"{figures['kills']}; {figures['leased_at_kill']}"),
            ("duplicates; per kill", f"{figures['duplicates']}; {figures['duplicates_per_kill']} (MaxConcurrency {args.max_concurrency}; "
                                     f"kills above it: {sorted(over) or 'none'})"),
            ("leased at kill: not sent / in flight / answered, unrecorded",
             " ".join(f"{k['leased_not_sent']}/{k['leased_in_flight']}/{k['leased_answered_unrecorded']}" for k in kills)),
            ("failed attempts (retried)", figures["failed_attempts"]),
            ("never received / not succeeded / stuck", f"{figures['never_received']} / {figures['not_succeeded']} / "
                                                       f"{figures['stuck_pending_after_lease']}"),
            ("phantom / body changed / lost events", f"{figures['phantom_requests']} / {figures['body_changed']} / "
                                                     f"{figures['lost_accepted_events']}"),
            ("drain after publishing (s); graceful stop", f"{figures['drain_seconds']}; {graceful}"),
            ("integrity_check; wall time (s)", f"{figures['integrity_check']}; {figures['wall_seconds']}"),
        ])
    finally:
        run.close()


def inject(run: Run, fault: str, paths: dict[str, str], leased: set[str]) -> None:
    """Check of the check: plants one violation after the run; the verdict must then be FAIL."""
    with open(run.received_path, encoding="utf-8") as handle:
        lines = handle.readlines()
    delivery_id, event_id, path = next((i.lower(), e.lower(), paths[p.lower()])
                                       for i, e, p in run.query("SELECT id, event_id, endpoint_id FROM deliveries")
                                       if i.lower() not in leased)
    print(f"    (--inject {fault}: delivery {delivery_id})")
    if fault == "stuck":
        run.query("UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE lower(CAST(id AS TEXT)) = ?", delivery_id)
        return
    mine = [line for line in lines if (json.loads(line)["id"].lower(), json.loads(line)["path"]) == (event_id, path)]
    if fault == "duplicate":  # a second arrival of a delivery that was not in flight at any kill
        lines.append(mine[0])
    elif fault == "loss":  # every arrival of the delivery gone
        lines = [line for line in lines if line not in mine]
    with open(run.received_path, "w", encoding="utf-8") as handle:
        handle.writelines(lines)


def report(run: Run, figures: dict, problems: list[str], lines: list[tuple[str, object]]) -> int:
    figures["problems"] = problems[:50]
    figures["database"] = run.database.label
    run.passed = not problems
    write_json(os.path.join(run.work, "result.json"), figures)
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"  {label.ljust(width)}  {value}")
    for problem in problems[:30]:
        print(f"  PROBLEM: {problem}")
    print("RESULT: " + ("FAIL" if problems else "PASS"), flush=True)
    return 1 if problems else 0


# --------------------------------------------------------------------------- scale-out


def cmd_scale_out(args) -> int:
    run = Run(args, receiver_delay=args.receiver_delay_ms)
    started = time.monotonic()
    try:
        key, api, paths = run.set_up(args.endpoints, "service.log", api_worker=args.api_worker == "on")
        workers = [run.start_worker(f"worker-{n}") for n in range(1, args.workers + 1)]
        run.wait_workers_started([f"worker-{n}" for n in range(1, args.workers + 1)])
        with Publishers(run, key, args.publishers, args.rate, args.events, "published.jsonl") as publishers:
            for thread in publishers.threads:
                thread.join()
        publish_seconds = time.monotonic() - started
        drained = run.wait_drained(args.drain_timeout)
        stops = [Run.stop(worker) for worker in workers]
        api_graceful = Run.stop(api)
        figures, receipts, problems = check_deliveries(run, paths, publishers.accepted)
        duplicates = {i: len(rs) for i, rs in receipts.items() if len(rs) > 1}
        problems += [f"delivery {i} arrived {n} times" for i, n in list(duplicates.items())[:10]]
        if figures["max_attempt_count"] > 1:
            problems.append(f"a delivery needed {figures['max_attempt_count']} attempts (no faults were injected)")
        if drained < 0:
            problems.append(f"deliveries still pending {args.drain_timeout} s after publishing ended")
        if publishers.rejected or publishers.unanswered:
            problems.append(f"publishes not accepted: {len(publishers.rejected)} rejected, {publishers.unanswered} unanswered")
        if not all(stops) or not api_graceful:
            problems.append(f"not every process stopped gracefully (workers {stops}, API {api_graceful})")
        split = {}
        for number in range(1, args.workers + 1):
            with open(os.path.join(run.work, f"worker-{number}.out"), encoding="utf-8") as handle:
                lines = [json.loads(line) for line in handle if line.startswith("{")]
            split[f"worker-{number}"] = lines[-1]["attempts_recorded"] if lines else None
        with open(os.path.join(run.work, "service.log"), encoding="utf-8", errors="replace") as handle:
            found = STOPPED_LINE.findall(handle.read())
        split["api"] = int(found[-1][1]) if found else (0 if args.api_worker == "off" else None)
        if None not in split.values() and sum(split.values()) != figures["deliveries"]:
            problems.append(f"the processes recorded {sum(split.values())} attempts for {figures['deliveries']} deliveries")
        figures.update({
            "duplicates": sum(n - 1 for n in duplicates.values()), "attempts_recorded_by_process": split,
            "workers": args.workers, "api_worker": args.api_worker, "publish_seconds": round(publish_seconds, 1),
            "drain_seconds": round(drained, 1), "wall_seconds": round(time.monotonic() - started, 1),
        })
        return report(run, figures, problems, [
            ("processes", f"API (worker {args.api_worker}) + {args.workers} worker processes, {run.database.label}"),
            ("events accepted / deliveries", f"{figures['accepted_events']} / {figures['deliveries']}"),
            ("requests received; duplicates", f"{figures['received_requests']}; {figures['duplicates']}"),
            ("never received / not succeeded / phantom", f"{figures['never_received']} / {figures['not_succeeded']} / "
                                                         f"{figures['phantom_requests']}"),
            ("attempts recorded by process", split),
            ("publish / drain / wall (s)", f"{figures['publish_seconds']} / {figures['drain_seconds']} / {figures['wall_seconds']}"),
        ])
    finally:
        run.close()


# --------------------------------------------------------------------------- restart (PostgreSQL)


class Cluster:
    """pg_ctl on the run's PostgreSQL cluster, as the owner of its data directory (runuser when that is not us)."""

    def __init__(self, cluster_dir: str, bin_dir: str | None):
        self.dir = os.path.abspath(cluster_dir)
        self.data = os.path.join(self.dir, "data")
        if not os.path.exists(os.path.join(self.data, "postmaster.opts")):
            raise HarnessError(f"no running cluster in {self.data} (postmaster.opts missing)")
        if not bin_dir:
            found = sorted((d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.access(os.path.join(d, "pg_ctl"), os.X_OK)),
                           key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
            if not found:
                raise HarnessError("pg_ctl not found (give --pg-bin)")
            bin_dir = found[-1]
        self.pg_ctl = os.path.join(bin_dir, "pg_ctl")
        owner = os.stat(self.data).st_uid
        self.prefix = [] if owner == os.getuid() else ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"]
        # pg_ctl start needs the server's options again (port, socket directory, settings): those it was started with.
        with open(os.path.join(self.data, "postmaster.opts"), encoding="utf-8") as handle:
            words = shlex.split(handle.read())[1:]
        options = []
        while words:
            word = words.pop(0)
            if word == "-D":
                words.pop(0)
            else:
                options.append(word)
        self.options = " ".join(shlex.quote(word) for word in options)

    def ctl(self, *argv: str) -> float:
        """Runs pg_ctl ARGV (waiting); returns the seconds it took."""
        started = time.monotonic()
        completed = subprocess.run(self.prefix + [self.pg_ctl, "-D", self.data, "-w", "-t", "60", *argv], capture_output=True,
                                   text=True, timeout=90, check=False)
        if completed.returncode != 0:
            raise HarnessError(f"pg_ctl {argv[0]} failed: {(completed.stderr or completed.stdout).strip()[-300:]}")
        return time.monotonic() - started

    def stop(self) -> float:
        return self.ctl("stop", "-m", "fast")

    def start(self) -> float:
        return self.ctl("start", "-l", os.path.join(self.dir, "server.log"), "-o", self.options)


class ReadinessProbe:
    """A thread that asks GET /healthz/ready every 0.2 s and keeps (time, status) pairs (status 0: no answer)."""

    def __init__(self, port: int):
        self.port = port
        self.samples: list[tuple[float, int]] = []
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self.probe, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop_flag.set()
        self.thread.join()

    def probe(self) -> None:
        while not self.stop_flag.is_set():
            t = time.time()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", "/healthz/ready")
                status = connection.getresponse().status
                connection.close()
            except (OSError, http.client.HTTPException):
                status = 0
            self.samples.append((t, status))
            self.stop_flag.wait(0.2)


def cmd_restart(args) -> int:
    cluster = Cluster(args.pg_dir, args.pg_bin)
    run = Run(args, receiver_delay=args.receiver_delay_ms)
    started = time.monotonic()
    try:
        key, api, paths = run.set_up(args.endpoints, "service.log", api_worker=True)
        workers = [run.start_worker(f"worker-{n}") for n in range(1, args.workers + 1)]
        run.wait_workers_started([f"worker-{n}" for n in range(1, args.workers + 1)])
        with ReadinessProbe(run.port) as probe, Publishers(run, key, args.publishers, args.rate, None, "published.jsonl") as publishers:
            deadline = time.monotonic() + 120
            while run.received_count() < args.min_received:
                if time.monotonic() > deadline:
                    raise HarnessError(f"the receiver got fewer than {args.min_received} requests in 120 s")
                time.sleep(0.05)
            t_stop = time.time()
            stop_seconds = cluster.stop()
            t_down = time.time()
            print(f"    PostgreSQL stopped ({stop_seconds:.2f} s); down for {args.down_seconds} s", flush=True)
            time.sleep(args.down_seconds)
            t_start = time.time()
            start_seconds = cluster.start()
            t_up = time.time()
            print(f"    PostgreSQL started again ({start_seconds:.2f} s)", flush=True)
            time.sleep(args.tail_seconds)
            deadline = time.monotonic() + args.max_recovery_seconds
            while not any(r["t_send"] > t_up for r in list(publishers.accepted)) and time.monotonic() < deadline:
                time.sleep(0.1)
        publish_seconds = time.monotonic() - started
        drained = run.wait_drained(args.lease_seconds + args.drain_timeout)
        exited = [name for name, process in [("API", api)] + [(f"worker-{n}", w) for n, w in enumerate(workers, 1)]
                  if process.poll() is not None]
        graceful = all([Run.stop(worker) for worker in workers] + [Run.stop(api)])
        figures, receipts, problems = check_deliveries(run, paths, publishers.accepted)

        # While the server is down a publish is answered 503 with the API's envelope; nothing else but 202 at any time.
        unavailable = [r for r in publishers.rejected if r["status"] == 503 and isinstance(r.get("body"), dict)
                       and r["body"].get("success") is False and (r["body"].get("error") or {}).get("code") == "SERVICE_UNAVAILABLE"]
        other = [r for r in publishers.rejected if r not in unavailable]
        problems += [f"POST /v1/events answered {r['status']}: {json.dumps(r.get('body'))[:200]}" for r in other[:10]]
        if not unavailable:
            problems.append("no publish was answered 503 while the server was down")
        early = [r for r in unavailable if r["t_ack"] < t_stop]
        problems += [f"a 503 before the server was stopped (seq {r['seq']})" for r in early[:5]]
        if publishers.unanswered:
            problems.append(f"{publishers.unanswered} publishes got no answer (connection broken or timed out)")
        if exited:
            problems.append(f"processes exited by themselves: {exited} (they must ride out the restart)")
        if not graceful:
            problems.append("the last stop (SIGTERM) was not graceful")
        if drained < 0:
            problems.append(f"deliveries still pending {args.lease_seconds + args.drain_timeout} s after publishing stopped")

        ready_down = [status for t, status in probe.samples if t_down <= t <= t_start]
        ready_after = [t for t, status in probe.samples if t >= t_up and status == 200]
        if not ready_down or any(status != 503 for status in ready_down):
            problems.append(f"/healthz/ready while the server was down: {sorted(set(ready_down))} (expected 503 only)")
        accepted_after = [r["t_ack"] for r in publishers.accepted if r["t_send"] >= t_up]
        received_after = [r["t"] for rs in receipts.values() for r in rs if r["t"] >= t_up]
        recovery = {
            "ready_after_start_s": round(min(ready_after) - t_up, 2) if ready_after else None,
            "first_202_after_start_s": round(min(accepted_after) - t_up, 2) if accepted_after else None,
            "first_delivery_after_start_s": round(min(received_after) - t_up, 2) if received_after else None,
            "last_503_after_start_s": round(max(r["t_ack"] for r in unavailable) - t_up, 2) if unavailable else None,
        }
        for name, value in recovery.items():
            if name != "last_503_after_start_s" and (value is None or value > args.max_recovery_seconds):
                problems.append(f"{name}: {value} (at most {args.max_recovery_seconds} s)")
        duplicates = sum(len(rs) - 1 for rs in receipts.values())
        figures.update({
            "workers": args.workers, "rate": args.rate, "down_seconds": args.down_seconds,
            "pg_ctl_stop_seconds": round(stop_seconds, 2), "pg_ctl_start_seconds": round(start_seconds, 2),
            "publishes_503": len(unavailable),
            "publish_503_answered_after_s": {"median": round(statistics.median(r["t_ack"] - r["t_send"] for r in unavailable), 2),
                                             "max": round(max(r["t_ack"] - r["t_send"] for r in unavailable), 2)} if unavailable else None, "publishes_other_errors": len(other), "publishes_unanswered": publishers.unanswered,
            "ready_probes_while_down": len(ready_down), "duplicates": duplicates, **recovery,
            "ready_probes_from_stop": [(round(t - t_stop, 2), status) for t, status in probe.samples if t >= t_stop - 1],
            "publish_seconds": round(publish_seconds, 1), "drain_seconds": round(drained, 1), "graceful_stop": graceful,
            "wall_seconds": round(time.monotonic() - started, 1),
        })
        return report(run, figures, problems, [
            ("processes", f"API (worker on) + {args.workers} worker processes, {run.database.label}; "
                          f"pg_ctl stop -m fast, {args.down_seconds} s down, pg_ctl start"),
            ("events accepted / stored", f"{figures['accepted_events']} / {figures['stored_events']} (at {args.rate}/s)"),
            ("publishes 503 / other errors / unanswered", f"{len(unavailable)} / {len(other)} / {publishers.unanswered} "
                                                          f"(a 503 answered after {figures['publish_503_answered_after_s']} s)"),
            ("/healthz/ready while down", f"{len(ready_down)} probes: {sorted(set(ready_down))}"),
            ("after the start (s): ready / first 202 / first delivery / last 503",
             f"{recovery['ready_after_start_s']} / {recovery['first_202_after_start_s']} / "
             f"{recovery['first_delivery_after_start_s']} / {recovery['last_503_after_start_s']}"),
            ("deliveries (rows / accepted); received; duplicates",
             f"{figures['deliveries']} / {figures['accepted_deliveries']}; {figures['received_requests']}; {duplicates}"),
            ("never received / not succeeded / stuck / lost events",
             f"{figures['never_received']} / {figures['not_succeeded']} / {figures['stuck_pending_after_lease']} / "
             f"{figures['lost_accepted_events']}"),
            ("drain (s); graceful stop; integrity", f"{figures['drain_seconds']}; {graceful}; {figures['integrity_check']}"),
        ])
    finally:
        run.close()
        if not os.path.exists(os.path.join(cluster.data, "postmaster.pid")):
            cluster.start()  # leave the cluster as it was found


# --------------------------------------------------------------------------- latency


def cmd_latency(args) -> int:
    run = Run(args, receiver_delay="0")
    try:
        key, api, _ = run.set_up(1, "service.log", api_worker=True)
        client = Api(run.port, key)
        samples = []
        offset = 0
        for number in range(args.warmup + args.samples):
            time.sleep(args.pause_ms / 1000)
            t0 = time.time()
            status, body = client.request("POST", "/v1/events", {"type": EVENT_TYPE, "data": {"seq": number}})
            t_ack = time.time()
            if status != 202:
                raise HarnessError(f"POST /v1/events answered {status}: {body}")
            event_id = body["id"].lower()
            deadline = time.monotonic() + 30
            arrival = None
            while arrival is None:
                if time.monotonic() > deadline:
                    raise HarnessError(f"event {event_id} did not arrive within 30 s")
                with open(run.received_path, encoding="utf-8") if os.path.exists(run.received_path) else open(os.devnull) as handle:
                    handle.seek(offset)
                    for line in handle:
                        if not line.endswith("\n"):
                            break
                        offset += len(line.encode("utf-8"))
                        receipt = json.loads(line)
                        if receipt["id"].lower() == event_id:
                            arrival = receipt["t"]
                if arrival is None:
                    time.sleep(0.002)
            if number >= args.warmup:
                samples.append({"first_attempt_ms": (arrival - t0) * 1000, "post_ms": (t_ack - t0) * 1000})
        client.close()
        graceful = Run.stop(api)

        def spread(key_name: str) -> dict:
            values = [s[key_name] for s in samples]
            return {"median": round(statistics.median(values), 1), "p95": round(percentile(values, 95), 1),
                    "max": round(max(values), 1), "min": round(min(values), 1)}

        figures = {"samples": len(samples), "warmup": args.warmup, "pause_ms": args.pause_ms,
                   "publish_to_first_attempt_ms": spread("first_attempt_ms"), "post_round_trip_ms": spread("post_ms"),
                   "graceful_stop": graceful}
        problems = [] if graceful else ["the stop (SIGTERM) was not graceful"]
        return report(run, figures, problems, [
            ("samples (after warm-up)", f"{len(samples)} (warm-up {args.warmup}, pause {args.pause_ms} ms)"),
            ("publish -> first attempt (ms)", figures["publish_to_first_attempt_ms"]),
            ("POST /v1/events round trip (ms)", figures["post_round_trip_ms"]),
        ])
    finally:
        run.close()


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub):
        sub.add_argument("--publish-dir", required=True, help="a directory with the Webhooks.Api executable")
        sub.add_argument("--work", required=True, help="work directory (database, logs, receiver log)")
        sub.add_argument("--timeout-seconds", type=int, default=5, help="Delivery:TimeoutSeconds")
        sub.add_argument("--lease-seconds", type=int, default=10, help="Delivery:LeaseSeconds")
        sub.add_argument("--max-concurrency", type=int, default=32, help="Delivery:MaxConcurrency")
        sub.add_argument("--postgres", nargs="?", const=os.environ.get("WEBHOOKS_TEST_POSTGRES", ""), metavar="CONNECTION_STRING",
                         help="run on a fresh database of this PostgreSQL server (an Npgsql connection string; "
                              "without a value: $WEBHOOKS_TEST_POSTGRES) instead of a SQLite file")
        return sub

    def load(sub, workers: int, workers_help: str, endpoints: int, rate: float, rate_help: str, delay: str, drain: float):
        """The processes, the endpoints and the publishing, which every run but latency has."""
        sub.add_argument("--workers", type=int, default=workers, help=workers_help)
        sub.add_argument("--endpoints", type=int, default=endpoints)
        sub.add_argument("--publishers", type=int, default=4)
        sub.add_argument("--rate", type=float, default=rate, help=rate_help)
        sub.add_argument("--receiver-delay-ms", default=delay)
        sub.add_argument("--drain-timeout", type=float, default=drain)

    crash = common(commands.add_parser("crash"))
    crash.add_argument("--kills", type=int, default=4)
    crash.add_argument("--kill", choices=["api", "worker"], default="api",
                       help="the process killed: the API with its worker, or a `worker` process beside an API without one")
    load(crash, 1, "with --kill worker: how many `worker` processes deliver", 10, 10, "events per second in all", "50-250", 180)
    crash.add_argument("--min-received", type=int, default=50, help="requests received since the restart before a kill")
    crash.add_argument("--tail-seconds", type=float, default=2, help="publishing after the last restart")
    crash.add_argument("--inject", choices=["duplicate", "loss", "stuck"],
                       help="check of the check: plant this violation after the run (the run must then FAIL)")
    crash.set_defaults(handler=cmd_crash)

    scale = common(commands.add_parser("scale-out"))
    scale.set_defaults(timeout_seconds=15, lease_seconds=30)  # no faults: a slow moment must not turn into a retry
    scale.add_argument("--events", type=int, default=500)
    scale.add_argument("--api-worker", choices=["on", "off"], default="on")
    load(scale, 2, "`worker` processes", 10, 0, "events per second in all (0: as fast as accepted)", "0-20", 300)
    scale.set_defaults(handler=cmd_scale_out)

    restart = common(commands.add_parser("restart"))
    restart.set_defaults(timeout_seconds=15, lease_seconds=30)
    load(restart, 1, "`worker` processes beside the API's own worker", 5, 20, "events per second in all", "0-20", 120)
    restart.add_argument("--min-received", type=int, default=20, help="requests received before the server is stopped")
    restart.add_argument("--down-seconds", type=float, default=5, help="how long the server stays stopped")
    restart.add_argument("--tail-seconds", type=float, default=5, help="publishing after the server is back")
    restart.add_argument("--max-recovery-seconds", type=float, default=30,
                         help="after the start: the API must be ready and accepting within this")
    restart.add_argument("--pg-dir", default=os.environ.get("WEBHOOKS_TEST_POSTGRES_DIR"),
                         help="the cluster's directory (its data directory is DIR/data; default $WEBHOOKS_TEST_POSTGRES_DIR)")
    restart.add_argument("--pg-bin", default=os.environ.get("WEBHOOKS_TEST_POSTGRES_BIN"),
                         help="the directory of pg_ctl (default $WEBHOOKS_TEST_POSTGRES_BIN, else /usr/lib/postgresql/*/bin)")
    restart.set_defaults(handler=cmd_restart)

    latency = common(commands.add_parser("latency"))
    latency.add_argument("--samples", type=int, default=50)
    latency.add_argument("--warmup", type=int, default=5)
    latency.add_argument("--pause-ms", type=int, default=200)
    latency.set_defaults(handler=cmd_latency)

    args = parser.parse_args()
    if args.postgres == "":
        parser.error("--postgres without a value needs WEBHOOKS_TEST_POSTGRES")
    if args.command == "restart" and not (args.postgres and args.pg_dir):
        parser.error("restart runs on PostgreSQL only: give --postgres and --pg-dir (or WEBHOOKS_TEST_POSTGRES and _DIR)")
    if not os.access(os.path.join(args.publish_dir, "Webhooks.Api"), os.X_OK):
        print(f"deliveries.py: no Webhooks.Api executable in {args.publish_dir}", file=sys.stderr)
        return 2
    try:
        return args.handler(args)
    except HarnessError as error:
        print(f"deliveries.py: {error} (work directory {args.work})", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
