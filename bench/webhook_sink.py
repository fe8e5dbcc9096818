"""A fast webhook receiver for the notification benchmark, in its own process: uvloop, an
asyncio.Protocol and httptools' parser (what uvicorn runs on), answering 204 at once.

The tests' receiver (tests/receivers/webhook_receiver.py, Python's http.server writing a line per
request) costs more CPU per request than the worker sending to it; on two cores it was what the
benchmark measured. This one still checks every Standard Webhooks signature against the secret of
the path (a JSON file {path: secret}, read again when a path is not known yet) and counts
duplicates by webhook-id, then writes its counts as JSON to --out when stopped (SIGTERM):
{"requests", "verified", "duplicates"}. Prints its port on the first line of stdout.

    python bench/webhook_sink.py --out counts.json --secrets secrets.json [--port 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import cast

import httptools
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from linernotes.watch.webhook import verify

ANSWER = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"


class Counts:
    def __init__(self, secrets: Path) -> None:
        self.secrets_file, self.secrets = secrets, dict[str, str]()
        self.requests = self.verified = self.duplicates = 0
        self.seen: set[str] = set()

    def secret(self, path: str) -> str | None:
        if path not in self.secrets and self.secrets_file.exists():
            self.secrets = json.loads(self.secrets_file.read_text())
        return self.secrets.get(path)

    def request(self, path: str, headers: dict[str, str], body: bytes) -> None:
        self.requests += 1
        secret = self.secret(path)
        if secret is None or not verify(secret, headers, body):
            return
        self.verified += 1
        msg = path + " " + headers.get("webhook-id", "")
        if msg in self.seen:
            self.duplicates += 1
        self.seen.add(msg)


class Sink(asyncio.Protocol):
    """One connection: requests parsed as they come, each answered 204 (keep-alive)."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.url, self.headers, self.body = b"", dict[str, str](), bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's: not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.url, self.headers, self.body = b"", {}, bytearray()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.counts.request(self.url.decode("latin-1"), self.headers, bytes(self.body))
        assert self.transport is not None
        self.transport.write(ANSWER)


async def serve(args: argparse.Namespace) -> None:
    counts = Counts(Path(args.secrets))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Sink(counts), args.host, args.port, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    stopped = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    await stopped.wait()
    server.close()
    made = {"requests": counts.requests, "verified": counts.verified}
    Path(args.out).write_text(json.dumps({**made, "duplicates": counts.duplicates}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--out", required=True)
    parser.add_argument("--secrets", required=True)
    uvloop.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
