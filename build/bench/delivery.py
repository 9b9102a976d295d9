#!/usr/bin/env python3
"""The delivery scenarios of build/bench/run.sh (issue 16); standard library only, needs openssl.

    delivery.py --publish-dir DIR --receiver DIR --ceiling DIR --work DIR --results FILE
                [--scenarios ceiling,deliver,latency,backlog,isolation,fan-out] [--deliveries N] [--endpoints E] ...

One receiver (build/bench/Receiver: HTTPS with a CA and certificate made here, 204 to every POST,
arrivals counted per (webhook-id, endpoint), GET /stats) serves every scenario:

ceiling  build/bench/Ceiling posts N envelope-sized, signed requests with the worker's total
         concurrency (Delivery:MaxConcurrency) over the same E receiver paths: the HTTP limit.
deliver  a fresh database; the service without its worker; N/E events published through
         POST /v1/events (each fans out to the E endpoints: N pending deliveries); then the service
         again with its worker: delivered/s from the first to the last arrival, until the receiver
         has N unique deliveries; duplicates (must be 0); the service's peak RSS (VmHWM).
latency  on the same service, events published at a steady rate for --latency-seconds so that
         deliveries arrive at a tenth of the measured deliver rate; publish-to-arrival p50/p99
         (the arrival clock against the webhook-id's version-7 UUID time, made at publish).
ingest   a fresh database, one subscribed endpoint, worker off: wrk against POST /v1/events.
backlog  deliver again on a file first seeded (SQL, straight into it) with --backlog-rows final deliveries,
         their events and attempts; its rate beside deliver's (backlog and isolation always run deliver).
isolation deliver with one more endpoint that never answers (the receiver holds /hold/... until the
         service's time-out, Delivery:TimeoutSeconds = --dead-timeout), which gets its share of the
         backlog (every event fans out to it too): the healthy endpoints' rate beside deliver's.
fan-out  one event to --fanout-endpoints endpoints, worker on: the publish request's time and the time
         until the last delivery arrives (median of --fanout-rounds, after a warm-up event).

--postgres CS (issue 17; an Npgsql connection string to a maintenance database, as build/postgres-cluster.sh
exports it): deliver runs once per W of --workers (default 1,2,4), each on a fresh PostgreSQL database of
its own (made as build/crash/deliveries.py makes it, dropped after the row): the N pending deliveries are
published through the API with its worker off, the API stops, and W `worker` processes (the admin command)
drain them; delivered/s from the first to the last arrival, duplicates, the largest worker's peak RSS, the
workers' CPU summed, and where the machine's CPU went during the drain (the workers, the PostgreSQL server
with every backend (--pg-dir: the cluster's directory, to find its postmaster), the receiver). Only the
ceiling and deliver scenarios run on PostgreSQL.

E endpoints x Delivery:MaxPerEndpoint (default 8 x 4) = Delivery:MaxConcurrency (32): the per-endpoint
cap never holds the worker below its total concurrency, and the ceiling uses the same total.
Appends one JSON line per scenario to --results and prints the table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(BENCH_DIR, "..", "crash"))
from driver import Api  # noqa: E402  one keep-alive HTTP/1.1 connection with a bearer key
from receiver import make_certificates  # noqa: E402  the CA and the 127.0.0.1 certificate
from deliveries import PostgresDatabase  # noqa: E402  a fresh PostgreSQL database of the run's own, read with psql

EVENT_TYPE = "wallet.balance_low"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def event_data(sequence: int) -> dict:
    return {"wallet_id": f"w_{sequence:08d}", "balance": "4.20", "currency": "EUR"}


def envelope_bytes() -> int:
    """The size of the service's envelope (2026-04-01) for event_data(): ceiling bodies have the same size."""
    envelope = {"id": "0" * 36, "type": EVENT_TYPE, "api_version": "2026-04-01", "created_at": "2026-12-04T20:00:00Z",
                "data": event_data(0)}
    return len(json.dumps(envelope, separators=(",", ":")).encode())


def peak_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM"))


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU time of process `pid` so far (with `children`: plus that of its children it has waited for)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(pg_dir: str | None) -> float | None:
    """CPU time of the PostgreSQL server so far: its postmaster with the backends it has reaped, plus every live child
    (backends, checkpointer, WAL writer...). None without the cluster's directory."""
    if not pg_dir:
        return None
    try:
        with open(os.path.join(pg_dir, "data", "postmaster.pid"), encoding="ascii") as handle:
            postmaster = int(handle.readline())
        total = cpu_seconds(postmaster, children=True)
    except (OSError, ValueError):
        return None
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == postmaster:
                        total += cpu_seconds(int(entry))
            except (OSError, ValueError, IndexError):
                pass  # it ended meanwhile
    return total


class Receiver:
    def __init__(self, binary_dir: str, work: str):
        self.dir = os.path.join(work, "receiver")
        os.makedirs(self.dir, exist_ok=True)
        make_certificates(self.dir)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.port, self.stats_port = free_port(), free_port()
        with open(os.path.join(work, "receiver.log"), "ab") as out:
            self.process = subprocess.Popen(
                [os.path.join(binary_dir, "Receiver"), "--port", str(self.port), "--stats-port", str(self.stats_port),
                 "--cert", os.path.join(self.dir, "server.pem"), "--key", os.path.join(self.dir, "server.key")],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for _ in range(300):
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the receiver did not start (see receiver.log)")

    def call(self, method: str, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.stats_port, timeout=30)
        try:
            connection.request(method, path)
            return connection.getresponse().read()
        finally:
            connection.close()

    def stats(self) -> dict:
        return json.loads(self.call("GET", "/stats"))

    def reset(self) -> None:
        self.call("POST", "/reset")

    def wait_unique(self, count: int, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            if stats["unique"] >= count or time.monotonic() > deadline:
                return stats
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


class Service:
    """The published service on a fresh SQLite file, an organization, a key and E endpoints at the receiver."""

    def __init__(self, args, receiver: Receiver, work: str, endpoints: int, extra_urls: tuple[str, ...] = (),
                 settings: dict | None = None):
        """extra_urls: more endpoints after the E at /hooks/<n>; settings: more environment (configuration) for the service."""
        self.args, self.work = args, work
        os.makedirs(work, exist_ok=True)
        self.exe = os.path.join(os.path.abspath(args.publish_dir), "Webhooks.Api")
        self.port = free_port()
        self.db = os.path.join(work, "webhooks.db")
        self.env = dict(os.environ, **{
            "ASPNETCORE_ENVIRONMENT": "Production",
            "ConnectionStrings__Webhooks": f"Data Source={self.db}",
            "DataProtection__KeysPath": os.path.join(work, "keys"),
            "Database__Provider": "Sqlite",
            "Database__SqliteSynchronous": args.synchronous,
            "RateLimiting__Enabled": "false",
            "Logging__LogLevel__Default": "Warning",
            "Delivery__TrustedCertificatesPath": receiver.ca,
            "Webhooks__AllowedPrivateNetworks__0": "127.0.0.0/8",
            "Delivery__MaxConcurrency": str(args.max_concurrency),
            "Delivery__MaxPerEndpoint": str(args.max_per_endpoint),
            "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        }, **(settings or {}))
        # --postgres: a fresh database of its own on that server instead of the SQLite file.
        self.postgres = PostgresDatabase(args.postgres) if args.postgres else None
        if self.postgres:
            self.env.update(self.postgres.env)
        self.process: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.admin("migrate", parse=False)
        org = self.admin("orgs", "create", "--name", "delivery-bench")["id"]
        self.key = self.admin("keys", "create", "--org", org, "--scopes", "webhooks:read,webhooks:write,events:write",
                              "--name", "delivery-bench")["key"]
        self.start(worker=False)
        api = Api(self.port, self.key)
        urls = [f"https://127.0.0.1:{receiver.port}/hooks/{index}" for index in range(endpoints)] + list(extra_urls)
        for index, url in enumerate(urls):
            status, body = api.request("POST", "/v1/webhooks", {"url": url, "description": f"bench {index}", "events": [EVENT_TYPE]})
            if status != 201:
                raise RuntimeError(f"POST /v1/webhooks answered {status}: {body}")
        api.close()

    def admin(self, *argv: str, parse: bool = True):
        completed = subprocess.run([self.exe, *argv], cwd=os.path.dirname(self.exe), env=self.env, capture_output=True,
                                   text=True, timeout=300, check=True)
        return json.loads(completed.stdout) if parse else None

    def start(self, worker: bool) -> None:
        env = dict(self.env, Delivery__Worker__Enabled="true" if worker else "false")
        with open(os.path.join(self.work, "service.log"), "ab") as out:
            self.process = subprocess.Popen([self.exe, "--urls", f"http://127.0.0.1:{self.port}"], cwd=os.path.dirname(self.exe),
                                            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for _ in range(1200):
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode} (see {self.work}/service.log)")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz/ready")
                ready = connection.getresponse().status == 200
                connection.close()
                if ready:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the service was not ready in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def peak_rss_kb(self) -> int:
        return peak_rss_kb(self.process.pid)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the service process so far."""
        return cpu_seconds(self.process.pid)

    def attempt_seconds(self) -> tuple[float, int]:
        """The sum and count of the service's attempt-duration histogram (GET /metrics): the HTTP part as the worker times it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/metrics")
            text = connection.getresponse().read().decode()
        finally:
            connection.close()
        total, count = 0.0, 0
        for line in text.splitlines():
            name = line.split("{", 1)[0].split(" ", 1)[0]
            if name.startswith("webhooks_delivery_attempt_duration") and name.endswith("_sum"):
                total += float(line.rsplit(" ", 1)[1]) if " " in line else 0
            elif name.startswith("webhooks_delivery_attempt_duration") and name.endswith("_count"):
                count += int(float(line.rsplit(" ", 1)[1]))
        return total, count

    def start_workers(self, count: int) -> None:
        """`count` `worker` processes (the admin command) on the service's database; logs in WORK/worker-N.log."""
        for number in range(1, count + 1):
            with open(os.path.join(self.work, f"worker-{number}.log"), "ab") as out:
                self.workers.append(subprocess.Popen([self.exe, "worker"], cwd=os.path.dirname(self.exe), env=self.env,
                                                     stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))

    def stop_workers(self) -> list[int | None]:
        """SIGTERM to every `worker` process; their exit codes (None: killed after 60 s)."""
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        codes = []
        for worker in self.workers:
            try:
                codes.append(worker.wait(60))
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
                codes.append(None)
        self.workers = []
        return codes

    def drop(self) -> None:
        """Stops every process and drops the PostgreSQL database (the SQLite file stays in the work directory)."""
        self.stop()
        self.stop_workers()
        if self.postgres:
            self.postgres.close()

    def count(self, status: str) -> int:
        if self.postgres:
            return int(self.postgres.query("SELECT count(*) FROM deliveries WHERE status = ?", status)[0][0])
        import sqlite3
        connection = sqlite3.connect(self.db, timeout=30)
        try:
            return connection.execute("SELECT count(*) FROM deliveries WHERE status = ?", (status,)).fetchone()[0]
        finally:
            connection.close()

    def publish(self, events: int, threads: int, rate: float = 0) -> int:
        """Publishes `events` events from `threads` connections (at `rate` per second in all, or as fast as accepted);
        returns the deliveries the 202s announced."""
        lock = threading.Lock()
        state = {"next": 0, "deliveries": 0, "errors": []}
        interval = threads / rate if rate > 0 else 0
        start = time.monotonic()

        def loop(number: int) -> None:
            api = Api(self.port, self.key, timeout=60)
            due = start + (number * interval / threads if interval else 0)
            while True:
                with lock:
                    sequence = state["next"]
                    if sequence >= events:
                        break
                    state["next"] += 1
                if interval:
                    time.sleep(max(0.0, due - time.monotonic()))
                    due += interval
                status, body = api.request("POST", "/v1/events", {"type": EVENT_TYPE, "data": event_data(sequence)})
                with lock:
                    if status == 202:
                        state["deliveries"] += body["deliveries"]
                    else:
                        state["errors"].append((status, body))
            api.close()

        workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if state["errors"]:
            raise RuntimeError(f"{len(state['errors'])} publishes refused, first: {state['errors'][0]}")
        return state["deliveries"]


def load_average() -> str:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return handle.read().split()[0]


def scenario_ceiling(args, receiver: Receiver, body_bytes: int) -> dict:
    receiver.reset()
    load = load_average()
    completed = subprocess.run(
        [os.path.join(args.ceiling, "Ceiling"), "--url", f"https://127.0.0.1:{receiver.port}/hooks", "--ca", receiver.ca,
         "--requests", str(args.deliveries), "--concurrency", str(args.max_concurrency), "--endpoints", str(args.endpoints),
         "--body-bytes", str(body_bytes)], capture_output=True, text=True, timeout=1800, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"Ceiling failed: {completed.stdout}{completed.stderr}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    stats = receiver.stats()
    return {"name": "ceiling: bare HttpClient", "rate": figures["requests_per_second"], "count": figures["requests"],
            "seconds": figures["seconds"], "duplicates": stats["duplicates"], "errors": figures["errors"],
            "p50_ms": stats["latency_ms"]["p50"], "p99_ms": stats["latency_ms"]["p99"], "hwm_kb": None, "load": load}


def publish_backlog(args, service: Service, label: str, endpoints: int) -> tuple[int, int, float, int]:
    """The backlog of deliver: N/E events published through the service (its worker off), which is then stopped;
    returns (events, deliveries the 202s announced, publish seconds, deliveries pending)."""
    events = args.deliveries // args.endpoints
    log(f"{label}: publishing {events:,} events x {endpoints} endpoints (worker off)")
    began = time.monotonic()
    announced = service.publish(events, threads=args.publishers)
    publish_seconds = time.monotonic() - began
    pending = service.count("pending")
    service.stop()
    return events, announced, publish_seconds, pending


def scenario_deliver(args, receiver: Receiver, label: str = "deliver", name: str = "deliver: backlog through the worker",
                     service: Service | None = None, dead: int = 0) -> tuple[dict, Service]:
    """The deliver scenario; backlog and isolation run it on a service of their own (seeded, or with `dead`
    endpoints that never answer after the E healthy ones: their deliveries are pending but never arrive)."""
    service = service or Service(args, receiver, os.path.join(args.work, label), args.endpoints)
    events, announced, publish_seconds, pending = publish_backlog(args, service, label, args.endpoints + dead)
    healthy = pending - events * dead
    log(f"{label}: {pending:,} pending ({healthy:,} to healthy endpoints) after {publish_seconds:.1f} s; the service again, with its worker")
    receiver.reset()
    load_before = load_average()
    started = time.monotonic()
    service.start(worker=True)
    stats = receiver.wait_unique(healthy, timeout=args.drain_timeout)
    drain_seconds = time.monotonic() - started
    time.sleep(1)  # anything sent twice would arrive now
    stats = receiver.stats()
    hwm = service.peak_rss_kb()
    cpu = service.cpu_seconds()
    attempt_sum, attempt_count = service.attempt_seconds()
    span = (stats["last_arrival"] or 0) - (stats["first_arrival"] or 0)
    problems = []
    if announced != pending or stats["unique"] != healthy:
        problems.append(f"announced {announced}, pending {pending}, arrived {stats['unique']} of {healthy}")
    rate = stats["unique"] / span if span > 0 else 0
    # Where a delivery's time goes: each of the MaxConcurrency slots is held for MaxConcurrency / rate seconds per
    # delivery, of which the attempt (HTTP send and answer, as the worker times it) is the mean below.
    stages = {"slot_ms_per_delivery": round(args.max_concurrency / rate * 1000, 2) if rate else None,
              "attempt_ms_mean": round(attempt_sum / attempt_count * 1000, 2) if attempt_count else None,
              "attempts_recorded": attempt_count,
              "service_cpu_ms_per_delivery": round(cpu / stats["unique"] * 1000, 3) if stats["unique"] else None}
    log(f"{label}: {stages}")
    return {"name": name, "rate": round(rate), "stages": stages, "held": stats.get("held", 0),
            "count": stats["unique"], "seconds": round(span, 2), "drain_seconds": round(drain_seconds, 2),
            "publish_seconds": round(publish_seconds, 1), "publish_rate": round(events / publish_seconds),
            "duplicates": stats["duplicates"], "errors": len(problems), "problems": problems, "hwm_kb": hwm,
            "p50_ms": None, "p99_ms": None, "load": f"{load_before}-{load_average()}"}, service


SERVER_COUNTERS = ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_updated", "tup_inserted")


def server_counters(service: Service) -> list[int]:
    """The database's counters in pg_stat_database (transactions, rows read and written), in SERVER_COUNTERS' order."""
    row = service.postgres.query(f"SELECT {', '.join(SERVER_COUNTERS)} FROM pg_stat_database WHERE datname = current_database()")[0]
    return [int(value) for value in row]


def busy_snapshot(service: Service, path: str) -> str:
    """Halfway through a drain on PostgreSQL: `top -b -n1` and what the server's sessions were doing (pg_stat_activity,
    by state and wait event), written to `path`; returns the sessions' summary."""
    top = subprocess.run(["top", "-b", "-n1", "-w", "200"], capture_output=True, text=True, timeout=30, check=False).stdout
    rows = service.postgres.query(
        "SELECT coalesce(state, '-'), coalesce(wait_event_type || ':' || wait_event, 'on CPU'), count(*) FROM pg_stat_activity "
        "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1, 2 ORDER BY 3 DESC")
    sessions = ", ".join(f"{count} {state} ({wait})" for state, wait, count in rows)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"sessions: {sessions}\n\n{top}")
    return sessions


def scenario_deliver_workers(args, receiver: Receiver, workers: int) -> dict:
    """deliver on a fresh PostgreSQL database, drained by `workers` `worker` processes (the API stopped): the same
    figures as deliver's, the largest worker's peak RSS, the workers' CPU summed, and the CPU of the workers, the
    PostgreSQL server and the receiver during the drain (from first start to the last arrival)."""
    service = Service(args, receiver, os.path.join(args.work, f"deliver-postgres-{workers}w"), args.endpoints)
    try:
        events, announced, publish_seconds, pending = publish_backlog(args, service, f"postgres, {workers} worker(s)", args.endpoints)
        log(f"postgres, {workers} worker(s): {pending:,} pending after {publish_seconds:.1f} s; {workers} `worker` process(es)")
        receiver.reset()
        load_before = load_average()
        postgres_before, receiver_before = postgres_cpu_seconds(args.pg_dir), cpu_seconds(receiver.process.pid)
        counters_before = server_counters(service)
        started = time.monotonic()
        service.start_workers(workers)
        receiver.wait_unique(pending // 2, timeout=args.drain_timeout)
        snapshot = busy_snapshot(service, os.path.join(args.work, f"busy-{workers}w.txt"))
        stats = receiver.wait_unique(pending, timeout=args.drain_timeout)
        drain_seconds = time.monotonic() - started
        postgres_after, receiver_after = postgres_cpu_seconds(args.pg_dir), cpu_seconds(receiver.process.pid)
        load_after = load_average()
        time.sleep(1)  # anything sent twice would arrive now (and the server has flushed its statistics)
        stats = receiver.stats()
        # Per delivery, over the drain (the snapshot's and these queries' own transactions included: a handful).
        server = {name: round((after - before) / max(1, stats["unique"]), 2)
                  for name, before, after in zip(SERVER_COUNTERS, counters_before, server_counters(service))}
        exited = [number for number, worker in enumerate(service.workers, 1) if worker.poll() is not None]
        hwm = max(peak_rss_kb(worker.pid) for worker in service.workers if worker.poll() is None) if len(exited) < workers else None
        worker_cpu = sum(cpu_seconds(worker.pid) for worker in service.workers if worker.poll() is None)
        codes = service.stop_workers()
    finally:
        service.drop()
    span = (stats["last_arrival"] or 0) - (stats["first_arrival"] or 0)
    rate = stats["unique"] / span if span > 0 else 0
    problems = []
    if announced != pending or stats["unique"] != pending:
        problems.append(f"announced {announced}, pending {pending}, arrived {stats['unique']} of {pending}")
    if exited:
        problems.append(f"worker process(es) {exited} exited during the drain (see worker-N.log)")
    if any(code != 0 for code in codes):
        problems.append(f"not every worker stopped gracefully: exit codes {codes}")
    # Where the 2 cores went during the drain (start of the workers to the last arrival), in CPU seconds.
    busy = {"workers_s": round(worker_cpu, 1),
            "postgres_s": round(postgres_after - postgres_before, 1) if postgres_before is not None and postgres_after is not None else None,
            "receiver_s": round(receiver_after - receiver_before, 1), "drain_s": round(drain_seconds, 1),
            "cores": os.cpu_count()}
    stages = {"worker_cpu_ms_per_delivery": round(worker_cpu / stats["unique"] * 1000, 3) if stats["unique"] else None,
              "postgres_cpu_ms_per_delivery": round(busy["postgres_s"] / stats["unique"] * 1000, 3)
              if stats["unique"] and busy["postgres_s"] is not None else None}
    log(f"postgres, {workers} worker(s): {rate:,.0f}/s; {busy}; {stages}")
    return {"name": f"deliver on PostgreSQL: {workers} worker process{'es' if workers > 1 else ''}", "rate": round(rate),
            "workers": workers, "busy": busy, "postgres_stages": stages, "midway": snapshot, "server_per_delivery": server, "count": stats["unique"], "seconds": round(span, 2),
            "drain_seconds": round(drain_seconds, 2), "publish_seconds": round(publish_seconds, 1),
            "publish_rate": round(events / publish_seconds), "duplicates": stats["duplicates"], "errors": len(problems),
            "problems": problems, "hwm_kb": hwm, "p50_ms": None, "p99_ms": None, "load": f"{load_before}-{load_after}"}


def scenario_latency(args, receiver: Receiver, service: Service, deliver_rate: float) -> dict:
    delivery_rate = max(1.0, deliver_rate / 10)
    event_rate = delivery_rate / args.endpoints
    events = max(1, round(event_rate * args.latency_seconds))
    log(f"latency: {event_rate:.1f} events/s ({delivery_rate:.0f} deliveries/s) for {args.latency_seconds} s")
    receiver.reset()
    service.publish(5, threads=1)  # warm-up
    receiver.wait_unique(5 * args.endpoints, timeout=30)
    receiver.reset()
    load = load_average()
    with open(f"/proc/{service.process.pid}/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")
    began = time.monotonic()
    expected = service.publish(events, threads=4, rate=event_rate)
    seconds = time.monotonic() - began
    stats = receiver.wait_unique(expected, timeout=60)
    return {"name": f"latency: {delivery_rate:,.0f} deliveries/s", "rate": round(expected / seconds), "count": stats["unique"],
            "seconds": round(seconds, 2), "duplicates": stats["duplicates"], "errors": expected - stats["unique"],
            "p50_ms": stats["latency_ms"]["p50"], "p99_ms": stats["latency_ms"]["p99"], "max_ms": stats["latency_ms"]["max"],
            "hwm_kb": service.peak_rss_kb(), "load": load}


def scenario_fanout(args, receiver: Receiver) -> dict:
    """One event to --fanout-endpoints endpoints, on a service with its worker: the publish request's time, and the
    time from sending it until the first and the last of its deliveries arrive (median of --fanout-rounds, after one
    warm-up event)."""
    count = args.fanout_endpoints
    service = Service(args, receiver, os.path.join(args.work, "fan-out"), count)
    try:
        service.stop()
        service.start(worker=True)
        api = Api(service.port, service.key, timeout=60)
        rounds = []
        for sequence in range(args.fanout_rounds + 1):
            receiver.reset()
            load = load_average()
            sent = time.time()
            began = time.monotonic()
            status, body = api.request("POST", "/v1/events", {"type": EVENT_TYPE, "data": event_data(sequence)})
            accept_ms = (time.monotonic() - began) * 1000
            if status != 202 or body["deliveries"] != count:
                raise RuntimeError(f"POST /v1/events answered {status}: {body}")
            stats = receiver.wait_unique(count, timeout=120)
            time.sleep(0.5)  # anything sent twice would arrive now
            stats = receiver.stats()
            round_ = {"accept_ms": round(accept_ms, 1), "first_ms": round((stats["first_arrival"] - sent) * 1000, 1),
                      "last_ms": round((stats["last_arrival"] - sent) * 1000, 1), "unique": stats["unique"],
                      "duplicates": stats["duplicates"], "load": load}
            log(f"fan-out {'warm-up' if sequence == 0 else f'round {sequence}'}: {round_}")
            if sequence:
                rounds.append(round_)
        api.close()
        hwm = service.peak_rss_kb()
    finally:
        service.stop()
    median = sorted(rounds, key=lambda r: r["last_ms"])[len(rounds) // 2]
    problems = [f"round {n + 1}: {r['unique']} of {count} arrived" for n, r in enumerate(rounds) if r["unique"] != count]
    return {"name": f"fan-out: 1 event to {count:,} endpoints (median of {len(rounds)})", "rate": round(count / (median["last_ms"] / 1000)),
            "count": median["unique"], "seconds": round(median["last_ms"] / 1000, 2), "duplicates": sum(r["duplicates"] for r in rounds),
            "errors": len(problems), "problems": problems, "p50_ms": None, "p99_ms": None, "hwm_kb": hwm,
            "accept_ms": median["accept_ms"], "first_ms": median["first_ms"], "last_ms": median["last_ms"], "rounds": rounds,
            "load": median["load"]}


def uuid7_text(unix_ms: int, rand: int) -> str:
    """A version-7 UUID (time-ordered, as the service makes its ids) as hyphenated lower-case text."""
    value = (unix_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 62 & 0xFFF) << 64 | 0b10 << 62 | rand & ((1 << 62) - 1)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def seed_final_deliveries(db: str, count: int, days: float = 20) -> float:
    """Inserts `count` final deliveries straight into the SQLite file, as the service stores them after an attempt:
    events of the file's one organization fanned out to its endpoints (one delivery per endpoint), spread over the
    last `days` days (inside the 30-day retention, so the retention job keeps them), 95 % succeeded (200) and 5 %
    failed (410), each with its one scheduled attempt; ids are version-7 UUIDs of their creation time (upper-case
    text, list_position lower-case), instants UTC ticks. Every index of the three tables is kept up as the rows go in.
    Returns the seconds it took."""
    import random
    import sqlite3
    began = time.monotonic()
    rng = random.Random(16)
    connection = sqlite3.connect(db, timeout=60)
    connection.execute("PRAGMA synchronous=OFF")
    org, = connection.execute("SELECT id FROM organizations").fetchone()
    endpoints = [row[0] for row in connection.execute("SELECT id FROM webhook_endpoints ORDER BY list_position")]
    events = count // len(endpoints)
    now_ms = int(time.time() * 1000) - 60_000
    step_ms = days * 86_400_000 / events
    epoch_ticks = 621_355_968_000_000_000

    def ticks(ms: float) -> int:
        return epoch_ticks + int(ms * 10_000)

    batch = 5_000
    for start in range(0, events, batch):
        event_rows, delivery_rows, attempt_rows = [], [], []
        for number in range(start, min(events, start + batch)):
            created_ms = now_ms - days * 86_400_000 + number * step_ms
            event_id = uuid7_text(int(created_ms), rng.getrandbits(74))
            data = json.dumps(event_data(number), separators=(",", ":"))
            event_rows.append((event_id.upper(), org, EVENT_TYPE, data, ticks(created_ms), len(endpoints), event_id))
            for endpoint in endpoints:
                delivery_id = uuid7_text(int(created_ms), rng.getrandbits(74))
                succeeded = rng.random() >= 0.05
                attempted_ms = created_ms + rng.uniform(5, 500)
                response = 200 if succeeded else 410
                delivery_rows.append((delivery_id.upper(), event_id.upper(), EVENT_TYPE, org, endpoint, "succeeded" if succeeded else "failed",
                                      ticks(attempted_ms), response, ticks(created_ms), ticks(attempted_ms + 2), delivery_id))
                attempt_rows.append((delivery_id.upper(), ticks(attempted_ms), rng.randint(1, 40), response, "" if succeeded else "gone"))
        with connection:
            connection.executemany(
                "INSERT INTO events (id, org_id, client_id, type, data, created_at, delivery_count, list_position) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
                event_rows)
            connection.executemany(
                "INSERT INTO deliveries (id, event_id, event_type, org_id, endpoint_id, client_id, status, attempt_count, next_attempt_at,"
                " last_attempt_at, last_response_status, created_at, updated_at, lease_expires_at, lease_owner, list_position, scheduled_attempts)"
                " VALUES (?, ?, ?, ?, ?, NULL, ?, 1, NULL, ?, ?, ?, ?, NULL, NULL, ?, 1)", delivery_rows)
            connection.executemany(
                "INSERT INTO delivery_attempts (delivery_id, number, \"trigger\", started_at, duration_ms, response_status, response_body, error)"
                " VALUES (?, 1, 'scheduled', ?, ?, ?, ?, NULL)", attempt_rows)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return time.monotonic() - began


def scenario_backlog(args, receiver: Receiver) -> dict:
    """The deliver scenario on a file that already holds --backlog-rows final deliveries (seeded straight into it)."""
    service = Service(args, receiver, os.path.join(args.work, "backlog"), args.endpoints)
    service.stop()
    log(f"backlog: seeding {args.backlog_rows:,} final deliveries into {service.db}")
    seconds = seed_final_deliveries(service.db, args.backlog_rows)
    final = service.count("succeeded") + service.count("failed")
    log(f"backlog: {final:,} final deliveries seeded in {seconds:.0f} s ({os.path.getsize(service.db) / 2**20:,.0f} MB)")
    service.start(worker=False)
    row, service = scenario_deliver(args, receiver, "backlog", f"backlog: deliver beside {final:,} final deliveries", service)
    service.stop()
    row.update(seeded=final, seed_seconds=round(seconds))
    return row


def scenario_isolation(args, receiver: Receiver) -> dict:
    """The deliver scenario with one more endpoint that never answers (the receiver holds it until the service's
    time-out, Delivery:TimeoutSeconds = --dead-timeout): each event fans out to it too, so it has a share of the
    backlog; the rate is the healthy endpoints' deliveries over first to last arrival."""
    settings = {"Delivery__TimeoutSeconds": str(args.dead_timeout)}
    service = Service(args, receiver, os.path.join(args.work, "isolation"), args.endpoints,
                      extra_urls=(f"https://127.0.0.1:{receiver.port}/hold/{args.endpoints}",), settings=settings)
    row, service = scenario_deliver(args, receiver, "isolation",
                                    f"isolation: deliver to {args.endpoints} healthy beside 1 dead ({args.dead_timeout} s time-out)",
                                    service, dead=1)
    service.stop()
    return row


def print_table(args, rows: list[dict]) -> None:
    ceiling = next((row["rate"] for row in rows if row["name"].startswith("ceiling")), None)
    print(f"\n{args.deliveries:,} deliveries, {args.endpoints} endpoints, Delivery:MaxConcurrency={args.max_concurrency}, "
          f"MaxPerEndpoint={args.max_per_endpoint} (per process), "
          + (f"PostgreSQL (deliver: a fresh database per row; --workers {args.workers})" if args.postgres
             else f"PRAGMA synchronous={args.synchronous}") + "\n")
    print("| scenario | per second | count | seconds | duplicates | errors | p50 ms | p99 ms | peak RSS MB | x ceiling | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")

    def ms(value) -> str:
        return "-" if value is None else f"{value:.1f}"

    for row in rows:
        share = f"{row['rate'] / ceiling:.2f}" if ceiling and not row["name"].startswith(("latency", "fan-out")) else "-"
        rss = "-" if row["hwm_kb"] is None else f"{row['hwm_kb'] / 1024:.0f}"
        print(f"| {row['name']} | {row['rate']:,.0f} | {row['count']:,} | {row['seconds']} | {row['duplicates']} | {row['errors']} | "
              f"{ms(row['p50_ms'])} | {ms(row['p99_ms'])} | {rss} | {share} | {row['load']} |")
    for row in rows:
        if "busy" in row:
            busy, stages = row["busy"], row["postgres_stages"]
            share = lambda seconds: "-" if seconds is None else f"{seconds} s ({seconds / busy['drain_s'] / busy['cores'] * 100:.0f} %)"
            print(f"\n{row['name']}: peak RSS is the largest worker's; CPU during the {busy['drain_s']} s drain "
                  f"(share of {busy['cores']} cores): workers {share(busy['workers_s'])} (start-up included), "
                  f"PostgreSQL {share(busy['postgres_s'])}, receiver {share(busy['receiver_s'])}; per delivery: workers "
                  f"{stages['worker_cpu_ms_per_delivery']} ms, PostgreSQL {stages['postgres_cpu_ms_per_delivery']} ms; "
                  f"published at {row['publish_rate']:,} events/s; halfway, the server's sessions: {row['midway']}; "
                  f"per delivery in pg_stat_database: " + ", ".join(f"{name} {value}" for name, value in row["server_per_delivery"].items()))
        if "stages" in row:
            stages = row["stages"]
            print(f"\n{row['name']}: each of the {args.max_concurrency} slots held {stages['slot_ms_per_delivery']} ms per delivery, "
                  f"of which the attempt (HTTP, as the worker times it) {stages['attempt_ms_mean']} ms on average "
                  f"({stages['attempts_recorded']:,} attempts); service CPU {stages['service_cpu_ms_per_delivery']} ms per delivery "
                  f"(start-up included)")
        if "accept_ms" in row:
            print(f"\n{row['name']}: accepted (the publish request) in {row['accept_ms']} ms; first arrival {row['first_ms']} ms, "
                  f"last {row['last_ms']} ms after it was sent; rounds: "
                  + ", ".join(f"{r['accept_ms']} / {r['last_ms']} ms" for r in row["rounds"]))
        empty = next((other["rate"] for other in rows if other["name"].startswith("deliver:")), None)
        if empty and row["name"].startswith(("backlog", "isolation")):
            print(f"\n{row['name']}: {row['rate']:,} per s against {empty:,} per s for deliver in this run: "
                  f"{(row['rate'] - empty) / empty * 100:+.1f} %"
                  + (f"; {row['seeded']:,} rows seeded in {row['seed_seconds']} s" if "seeded" in row else "")
                  + (f"; {row['held']:,} requests held by the dead endpoint" if row["name"].startswith("isolation") else ""))
        for problem in row.get("problems", []):
            print(f"PROBLEM ({row['name']}): {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publish-dir", required=True)
    parser.add_argument("--receiver", required=True, help="directory of the published Receiver")
    parser.add_argument("--ceiling", required=True, help="directory of the published Ceiling")
    parser.add_argument("--work", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--scenarios", default="ceiling,deliver,latency")
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--endpoints", type=int, default=8)
    parser.add_argument("--max-concurrency", type=int, default=32, help="Delivery:MaxConcurrency (the service's default)")
    parser.add_argument("--max-per-endpoint", type=int, default=4, help="Delivery:MaxPerEndpoint (the service's default)")
    parser.add_argument("--publishers", type=int, default=8, help="connections publishing the backlog")
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--drain-timeout", type=float, default=1800)
    parser.add_argument("--synchronous", default="NORMAL")
    parser.add_argument("--fanout-endpoints", type=int, default=1000, help="fan-out: endpoints one event goes to")
    parser.add_argument("--fanout-rounds", type=int, default=3, help="fan-out: measured events (after one warm-up)")
    parser.add_argument("--backlog-rows", type=int, default=1_000_000, help="backlog: final deliveries seeded first")
    parser.add_argument("--dead-timeout", type=int, default=5, help="isolation: Delivery:TimeoutSeconds for the dead endpoint")
    parser.add_argument("--postgres", help="deliver on PostgreSQL: an Npgsql connection string to a maintenance database")
    parser.add_argument("--pg-dir", help="with --postgres: the cluster's directory (DIR/data/postmaster.pid), for the server's CPU")
    parser.add_argument("--workers", default="1,2,4", help="with --postgres: the `worker` process counts, one deliver row each")
    args = parser.parse_args()
    wanted = set(args.scenarios.split(","))
    if args.postgres and wanted - {"ceiling", "deliver"}:
        parser.error(f"with --postgres only the ceiling and deliver scenarios run, not {','.join(sorted(wanted - {'ceiling', 'deliver'}))}")
    try:
        worker_counts = [int(count) for count in args.workers.split(",")]
    except ValueError:
        worker_counts = []
    if not worker_counts or min(worker_counts) < 1:
        parser.error(f"--workers must be a comma-separated list of positive counts, not {args.workers!r}")
    os.makedirs(args.work, exist_ok=True)
    receiver = Receiver(args.receiver, args.work)
    service = None
    rows = []
    try:
        if "ceiling" in wanted:
            log(f"ceiling: {args.deliveries:,} requests, concurrency {args.max_concurrency}, {args.endpoints} paths")
            rows.append(scenario_ceiling(args, receiver, envelope_bytes()))
        if args.postgres and "deliver" in wanted:
            for count in worker_counts:
                rows.append(scenario_deliver_workers(args, receiver, count))
        elif wanted & {"deliver", "latency", "backlog", "isolation"}:  # backlog and isolation compare with deliver
            row, service = scenario_deliver(args, receiver)
            rows.append(row)
            if "latency" in wanted:
                rows.append(scenario_latency(args, receiver, service, row["rate"]))
            service.stop()
        if "backlog" in wanted:
            rows.append(scenario_backlog(args, receiver))
        if "isolation" in wanted:
            rows.append(scenario_isolation(args, receiver))
        if "fan-out" in wanted:
            log(f"fan-out: one event to {args.fanout_endpoints:,} endpoints")
            rows.append(scenario_fanout(args, receiver))
    finally:
        if service:
            service.stop()
        receiver.stop()
    with open(args.results, "a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    print_table(args, rows)
    return 1 if any(row.get("problems") or row.get("duplicates") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
