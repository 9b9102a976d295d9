#!/usr/bin/env python3
"""An HTTPS webhook receiver for the delivery runs (standard library only).

    receiver.py --dir DIR [--delay-ms MIN[-MAX]] [--port-file FILE] [--port N] [--show]

Makes a CA and a server certificate for 127.0.0.1 with openssl in DIR (ca.pem, server.pem,
server.key) unless they exist, listens on a free port of 127.0.0.1 (written to --port-file once it
listens), and appends one JSON line per request to DIR/received.jsonl, written when the body has
been read and before the answer:

    {"id": webhook-id, "path": request path, "t": arrival (Unix seconds, float),
     "ts": webhook-timestamp, "sha": SHA-256 of the body (hex, 16 characters), "len": body bytes,
     "delay": seconds it waits before answering}

Every request is answered 200 after a delay drawn from MIN-MAX milliseconds (default 0), which keeps
attempts in flight. --port listens on that port instead of a free one; --show prints each request
(its webhook-* headers and body) on standard output, for trying delivery by hand (README). The service trusts ca.pem through Delivery:TrustedCertificatesPath. Runs until
SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_certificates(directory: str) -> None:
    """A CA (ca.pem) and a server certificate for IP 127.0.0.1 signed by it (server.pem, server.key)."""
    ca, server, key = (os.path.join(directory, n) for n in ("ca.pem", "server.pem", "server.key"))
    if all(os.path.exists(p) for p in (ca, server, key)):
        return
    ca_key, csr, ext = (os.path.join(directory, n) for n in ("ca.key", "server.csr", "server.ext"))

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Webhooks delivery run CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    with open(ext, "w", encoding="ascii") as handle:
        handle.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                     "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", server, "-days", "2", "-extfile", ext)


class Log:
    """Append-only JSON lines; one os.write per line on an O_APPEND descriptor (whole lines only)."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, record: dict) -> None:
        os.write(self.fd, (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the service's pooled connections expect

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        low, high = self.server.delay_ms
        delay = random.uniform(low, high) / 1000.0
        self.server.log.write({
            "id": self.headers.get("webhook-id"),
            "path": self.path,
            "t": time.time(),
            "ts": self.headers.get("webhook-timestamp"),
            "sha": hashlib.sha256(body).hexdigest()[:16],
            "len": len(body),
            "delay": round(delay, 4),
        })
        if self.server.show:
            headers = "".join(f"  {name}: {value}\n" for name, value in self.headers.items()
                              if name.lower().startswith("webhook-") or name.lower() in ("content-type", "user-agent"))
            print(f"POST {self.path}\n{headers}  body: {body.decode('utf-8', 'replace')}\n", flush=True)
        if delay > 0:
            time.sleep(delay)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args) -> None:  # no access log on stderr
        pass


class TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, context: ssl.SSLContext, log: Log, delay_ms: tuple[int, int], port: int = 0, show: bool = False):
        super().__init__(("127.0.0.1", port), Handler)
        self.context = context
        self.log = log
        self.delay_ms = delay_ms
        self.show = show

    def finish_request(self, request, client_address) -> None:
        # The TLS handshake in the connection's own thread, not in the accepting one.
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(tls, client_address)

    def shutdown_request(self, request) -> None:
        try:
            request.close()
        except OSError:
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--delay-ms", default="0", help="MIN or MIN-MAX milliseconds before answering")
    parser.add_argument("--port-file")
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: a free one)")
    parser.add_argument("--show", action="store_true", help="print each request's webhook-* headers and body")
    args = parser.parse_args()
    low, _, high = args.delay_ms.partition("-")
    delay = (int(low), int(high or low))
    os.makedirs(args.dir, exist_ok=True)
    make_certificates(args.dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(args.dir, "server.pem"), os.path.join(args.dir, "server.key"))
    server = TlsServer(context, Log(os.path.join(args.dir, "received.jsonl")), delay, args.port, args.show)
    if args.show:
        print(f"listening on https://127.0.0.1:{server.server_address[1]}/ (CA: {os.path.join(args.dir, 'ca.pem')})", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(str(server.server_address[1]))
        os.replace(tmp, args.port_file)
    stop.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
