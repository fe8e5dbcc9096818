"""An SMTP sink for tests: aiosmtpd on loopback, every message appended to --out as JSON lines
{"from", "to", "raw"}. Prints its port on the first line of stdout.

    python smtp_sink.py --out mail.jsonl [--port 0]
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import threading
from typing import Any

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out: str) -> None:
        self.out = out
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        line = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "raw": envelope.original_content.decode("utf-8", "replace"),
        }
        with self.lock, open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    port = args.port or free_port()
    controller = Controller(Keep(args.out), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
