"""The on-disk response cache: one gzip file per request, named by a hash of the request.

Why files rather than SQLite: each entry is written to a temporary file and renamed into place,
which is atomic, so threads and processes fetching at once never need a lock or see half an entry;
a damaged file costs only its own entry (it is ignored and rewritten); and a source's cache can be
inspected or cleared with ordinary tools (one folder per source). Entries are small JSON bodies,
read whole, so SQLite's strengths (queries, many small rows) would buy nothing here.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from linernotes.sources.http_policy import redact_url
from linernotes.sources.ratelimit import Clock

log = logging.getLogger("linernotes.http")

# Headers worth keeping with a body (what it is and how to revalidate it); never auth headers.
KEPT_HEADERS = ("content-type", "etag", "last-modified")
FORMAT = 1


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    stored_at: float  # wall-clock seconds


def cache_key(method: str, url: str | httpx.URL, params: Mapping[str, str] | None = None) -> str:
    """Method + URL + sorted query parameters. Credentials travel in headers, never here, and a
    credential-looking parameter is redacted before hashing all the same."""
    merged = httpx.URL(str(url)).copy_merge_params(dict(params or {}))
    ordered = sorted(merged.params.multi_items())
    canonical = redact_url(merged.copy_with(params=ordered) if ordered else merged)
    return f"{method.upper()} {canonical}"


class ResponseCache:
    def __init__(self, root: Path, clock: Clock) -> None:
        self.root = root
        self._clock = clock

    def path(self, source: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.root / source / digest[:2] / f"{digest}.gz"

    def get(self, source: str, key: str, ttl: float) -> CachedResponse | None:
        """The stored response when it is younger than `ttl` seconds, else None."""
        if ttl <= 0:
            return None
        path = self.path(source, key)
        entry = self._read(path, key)
        if entry is None:
            return None
        age = self._clock.time() - entry.stored_at
        return entry if 0 <= age < ttl else None

    def put(self, source: str, key: str, response: httpx.Response) -> None:
        """Store a successful response (errors are never cached: a 503 must not outlive itself)."""
        if not response.is_success:
            return
        headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
        meta = {"v": FORMAT, "key": key, "status": response.status_code, "headers": headers}
        meta["stored_at"] = self._clock.time()
        self._write(self.path(source, key), orjson.dumps(meta) + b"\n" + response.content)

    def _read(self, path: Path, key: str) -> CachedResponse | None:
        try:
            raw = gzip.decompress(path.read_bytes())
            head, _, body = raw.partition(b"\n")
            meta = orjson.loads(head)
            entry = CachedResponse(
                int(meta["status"]), dict(meta["headers"]), body, float(meta["stored_at"])
            )
            if meta["key"] != key or meta["v"] != FORMAT:
                raise ValueError("entry for another request or format")
        except FileNotFoundError:
            return None
        except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError) as err:
            # A damaged entry is only a cache miss; the next successful fetch replaces it.
            log.warning("ignoring damaged cache entry %s (%s)", path, err)
            return None
        return entry

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(gzip.compress(data, compresslevel=5))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
