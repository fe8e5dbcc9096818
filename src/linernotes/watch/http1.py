"""The webhook sender's HTTP/1.1 client: POSTs over kept-alive connections, on asyncio, every
connection opened to an address the policy checked.

Why not httpcore: measured on this project's benchmark (bench/README.md, notification delivery),
httpcore's async stack (h11, anyio cancel scopes, trace hooks, its pool's scans over every
connection) cost ~700 us of CPU a request, more than the 1,000 deliveries/s target leaves. Here
httptools (uvicorn's parser, already a dependency) reads the answers and a request is one write.

The address guarantee (see address.py): the name is resolved once, each answer checked, and the
socket connected to the checked address itself; TLS still verifies the certificate against the
name (server_hostname).
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import httptools

from linernotes.watch.address import AddressRefused, Policy, resolve_checked

KEEP_BODY = 1024  # bytes of an answer's body kept (an error message is shown from it)
# Characters a request target may hold as they are; the rest is percent-encoded, so a URL with
# spaces or line breaks cannot add a header.
TARGET_SAFE = "!$&'()*+,-./:;=?@_~%"


class Failure(Exception):
    """An attempt that got no HTTP answer: `kind` is refused, timeout or error."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)  # names lower-case
    body: bytes = b""

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k == name), "")


class Connection(asyncio.Protocol):
    """One TCP (or TLS) connection; one request at a time, the answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Response] | None = None
        self.response = Response(0)
        self.open, self.keep, self.heard = True, True, False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.heard = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(Failure("error", f"ProtocolError: the answer is not HTTP/1.1 ({error})"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open, self.keep = False, False
        waiting = self.waiter is not None and not self.waiter.done()
        if waiting and exc is None and self.response.status:  # a body that ends at the close
            assert self.waiter is not None
            self.waiter.set_result(self.response)
            return
        why = f" ({exc})" if exc else ""
        self._fail(ConnectionError(f"RemoteProtocolError: the receiver closed the connection{why}"))

    def _fail(self, error: Exception) -> None:
        self.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.response.headers.append((name.decode("latin-1").lower(), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.response.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        if len(self.response.body) < KEEP_BODY:
            self.response.body += body[: KEEP_BODY - len(self.response.body)]

    def on_message_complete(self) -> None:
        self.keep = self.parser.should_keep_alive()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(self.response)

    async def exchange(self, request: bytes) -> Response:
        assert self.transport is not None
        self.response, self.heard = Response(0), False
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter

    @property
    def reusable(self) -> bool:
        return self.open and self.keep and self.transport is not None

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()


Key = tuple[str, str, int]


class Pool:
    """Kept-alive connections per origin (scheme, host, port). How many requests run at once
    is the caller's to bound (deliver.py's gate); at most `keep` idle connections an origin."""

    def __init__(self, policy: Policy, keep: int = 64) -> None:
        self.policy, self.keep = policy, keep
        self.idle: dict[Key, list[Connection]] = {}
        self._tls: ssl.SSLContext | None = None

    @property
    def tls(self) -> ssl.SSLContext:
        if self._tls is None:  # made once: loading the CA files is slow
            self._tls = ssl.create_default_context()
        return self._tls

    async def post(
        self, url: str, body: bytes, headers: list[tuple[str, str]], timeout: float
    ) -> Response:
        """POST `body` to `url`, the answer read; Failure when none came. A kept connection the
        receiver closed meanwhile (nothing heard back) is dropped and the request sent once
        more on a new one."""
        key, target, host_header = _parse(url)
        request = _request(target, host_header, headers, body)
        async with asyncio.timeout(timeout):
            for reused in (True, False):
                connection = self._take(key) if reused else None
                if connection is None:
                    connection, reused = await self._connect(key), False
                try:
                    response = await connection.exchange(request)
                except ConnectionError as error:
                    if reused and not connection.heard:
                        continue
                    raise Failure("error", str(error)) from None
                except Failure:
                    raise
                except BaseException:
                    connection.close()  # timed out or cancelled mid-answer: not reusable
                    raise
                self._give(key, connection)
                return response
        raise AssertionError("unreachable: the second try uses a new connection")

    def _take(self, key: Key) -> Connection | None:
        idle = self.idle.get(key, [])
        while idle:
            connection = idle.pop()
            if connection.reusable:
                return connection
        return None

    def _give(self, key: Key, connection: Connection) -> None:
        idle = self.idle.setdefault(key, [])
        if connection.reusable and len(idle) < self.keep:
            idle.append(connection)
        else:
            connection.close()

    async def _connect(self, key: Key) -> Connection:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        try:
            # The resolver may block (getaddrinfo): off the loop, so other sends go on.
            addresses = await loop.run_in_executor(None, resolve_checked, host, port, self.policy)
        except AddressRefused as refused:
            raise Failure("refused", str(refused)) from None
        tls = self.tls if scheme == "https" else None
        last: OSError | None = None
        for address in addresses:
            try:
                _, connection = await loop.create_connection(
                    Connection, address, port, ssl=tls, server_hostname=host if tls else None
                )
                return connection
            except OSError as error:  # refused, unreachable, a bad certificate...
                last = error
        assert last is not None
        raise Failure("error", f"ConnectError: {host}:{port}: {last}")

    def close(self) -> None:
        for idle in self.idle.values():
            for connection in idle:
                connection.close()
        self.idle.clear()


def _parse(url: str) -> tuple[Key, str, str]:
    """(origin key, request target, Host header) of a webhook URL; Failure when it cannot be
    sent (the URL's shape was checked when it was saved, so this is rare)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise Failure("error", f"{url!r}: not a URL a request can go to ({error})") from None
    if parts.scheme not in ("http", "https") or not host:
        raise Failure("error", f"{url!r}: a webhook URL is http:// or https:// with a host")
    target = quote(parts.path or "/", safe=TARGET_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=TARGET_SAFE)
    shown = f"[{host}]" if ":" in host else host
    default = port == (443 if parts.scheme == "https" else 80)
    return (parts.scheme, host, port), target, shown if default else f"{shown}:{port}"


def _request(target: str, host: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"POST {target} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
