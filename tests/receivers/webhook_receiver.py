"""A webhook receiver for tests and the benchmark: a real HTTP server on loopback.

It checks each request's Standard Webhooks signature against the secret of the path it came to
(a JSON file {path: secret}, read again when it changes, so endpoints can be added while it
runs), drops duplicates by webhook-id as a careful receiver does, and appends one JSON line per
request to --out: {"path", "id", "type", "verified", "duplicate", "body"}. It answers --status
(204 by default), with --location for a redirect. Prints its port on the first line of stdout.

    python webhook_receiver.py --out got.jsonl --secrets secrets.json [--port 0] [--status 204]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from linernotes.watch.webhook import verify


class State:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lock = threading.Lock()
        self.seen: set[str] = set()
        self.out = open(args.out, "a", encoding="utf-8")  # noqa: SIM115 (open while serving)
        self.secrets: dict[str, str] = {}
        self.secrets_stamp = -1

    def secret(self, path: str) -> str | None:
        if self.args.secrets:
            stamp = os.stat(self.args.secrets).st_mtime_ns
            if stamp != self.secrets_stamp:
                self.secrets = json.loads(Path(self.args.secrets).read_text())
                self.secrets_stamp = stamp
        return self.secrets.get(path)

    def record(self, path: str, headers: dict[str, str], body: bytes) -> None:
        with self.lock:
            secret = self.secret(path)
            verified = secret is not None and verify(secret, headers, body)
            msg_id = headers.get("webhook-id", "")
            duplicate = verified and msg_id in self.seen
            if verified:
                self.seen.add(msg_id)
            line: dict[str, Any] = {"path": path, "id": msg_id, "verified": verified}
            line["duplicate"] = duplicate
            if not self.args.bare:
                line["body"] = json.loads(body) if body else None
            self.out.write(json.dumps(line) + "\n")
            self.out.flush()


def handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the sender reuses connections

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if len(body) < length:  # the sender died mid-request: nothing arrived to act on
                self.close_connection = True
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.record(self.path, headers, body)
            self.send_response(state.args.status)
            if state.args.location:
                self.send_header("Location", state.args.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--out", required=True)
    parser.add_argument("--secrets", default="")
    parser.add_argument("--status", type=int, default=204)
    parser.add_argument("--location", default="")
    parser.add_argument("--bare", action="store_true", help="record no bodies (benchmark)")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), handler(State(args)))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
