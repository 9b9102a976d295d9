#!/usr/bin/env python3
"""Recover of N failed deliveries (issue 15): a fresh SQLite database, one endpoint, N events each with
one failed delivery to it (written straight into the file), the service without its worker, then
POST /v1/webhooks/{id}/recover over the whole window, timed, while a second client PATCHes the
endpoint in a loop and records how long each of its writes waits. Prints one JSON object."""
import argparse, http.client, json, os, socket, sqlite3, statistics, subprocess, threading, time, uuid
from datetime import datetime, timedelta, timezone

EPOCH_TICKS = 621355968000000000  # .NET ticks at the Unix epoch


def ticks(instant: datetime) -> int:
    return EPOCH_TICKS + int(instant.timestamp() * 1_000_000) * 10


def uuid7(ms: int) -> uuid.UUID:
    raw = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(raw))


def request(port, key, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Bearer {key}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--publish-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--deliveries", type=int, default=100_000)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    db = os.path.join(args.work, "webhooks.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = os.path.join(os.path.abspath(args.publish_dir), "Webhooks.Api")
    env = dict(os.environ, ConnectionStrings__Webhooks=f"Data Source={db}", ASPNETCORE_ENVIRONMENT="Production",
               DataProtection__KeysPath=os.path.join(args.work, "keys"), RateLimiting__Enabled="false",
               Delivery__Worker__Enabled="false", DOTNET_CLI_TELEMETRY_OPTOUT="1")

    def admin(*argv):
        return json.loads(subprocess.run([exe, *argv], env=env, capture_output=True, text=True, check=True, cwd=args.publish_dir).stdout)

    admin("migrate")
    org = admin("orgs", "create", "--name", "recover-bench")["id"]
    key = admin("keys", "create", "--org", org, "--scopes", "webhooks:read,webhooks:write")["key"]
    log = open(os.path.join(args.work, "service.log"), "wb")
    service = subprocess.Popen([exe, "--urls", f"http://127.0.0.1:{port}"], env=env, cwd=args.publish_dir, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                if request(port, key, "GET", "/healthz/ready")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        status, body = request(port, key, "POST", "/v1/webhooks", {"url": "https://hooks.example.com/recover-bench", "events": ["wallet.balance_low"]})
        assert status == 201, body
        endpoint = json.loads(body)["id"]

        now = datetime.now(timezone.utc)
        start = now - timedelta(days=13)
        step = (now - timedelta(minutes=1) - start) / args.deliveries
        connection = sqlite3.connect(db, timeout=60)
        events, deliveries = [], []
        for index in range(args.deliveries):
            created = start + step * index
            event_id, delivery_id = uuid7(int(created.timestamp() * 1000)), uuid7(int(created.timestamp() * 1000))
            t = ticks(created)
            events.append((str(event_id).upper(), org.upper(), "wallet.balance_low", '{"n":%d}' % index, t, 1, str(event_id)))
            deliveries.append((str(delivery_id).upper(), str(event_id).upper(), "wallet.balance_low", org.upper(), endpoint.upper(), "failed",
                               8, 8, t + 1, 500, t, t + 2, str(delivery_id)))
        with connection:
            connection.executemany("INSERT INTO events (id, org_id, type, data, created_at, delivery_count, list_position) VALUES (?,?,?,?,?,?,?)", events)
            connection.executemany("INSERT INTO deliveries (id, event_id, event_type, org_id, endpoint_id, status, attempt_count, scheduled_attempts, "
                                   "last_attempt_at, last_response_status, created_at, updated_at, list_position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", deliveries)
        connection.close()

        writes, stop = [], threading.Event()

        def writer():
            number = 0
            while not stop.is_set():
                number += 1
                began = time.monotonic()
                status, _ = request(port, key, "PATCH", f"/v1/webhooks/{endpoint}", {"description": f"write {number}"})
                writes.append((time.monotonic() - began, status))

        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.5)
        before = len(writes)
        began = time.monotonic()
        status, body = request(port, key, "POST", f"/v1/webhooks/{endpoint}/recover",
                               {"since": (now - timedelta(days=14) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")})
        seconds = time.monotonic() - began
        during = [w for w in writes[before:]]
        stop.set()
        thread.join()
        pending = sqlite3.connect(db).execute("SELECT count(*) FROM deliveries WHERE status = 'pending'").fetchone()[0]
        latencies = sorted(w[0] * 1000 for w in during)
        print(json.dumps({
            "deliveries": args.deliveries, "status": status, "response": json.loads(body), "pending_after": pending,
            "recover_seconds": round(seconds, 2), "requeued_per_second": round(args.deliveries / seconds),
            "concurrent_patches": len(during), "patch_errors": sum(1 for w in during if w[1] != 200),
            "patch_ms_median": round(statistics.median(latencies), 1) if latencies else None,
            "patch_ms_max": round(latencies[-1], 1) if latencies else None,
        }))
    finally:
        service.terminate()
        service.wait(60)
        log.close()


if __name__ == "__main__":
    main()
