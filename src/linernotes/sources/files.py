"""Read local source files (JSON, JSON lines; plain or gzip) with exact locations for problems."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import orjson

from linernotes.normalize.records import Problem

# Bytes read so far from each file opened here: how far a dump ingest has got, for its ETA.
_BYTES_READ: dict[Path, int] = {}


class CountedFile(io.FileIO):
    """A file that keeps count of the bytes read from it (before any decompression)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "rb")
        self._key = path.resolve()
        _BYTES_READ[self._key] = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(-1 if size is None else size)
        _BYTES_READ[self._key] += len(data or b"")
        return data or b""

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer) or 0
        _BYTES_READ[self._key] += count
        return count


class _OwningGzip(gzip.GzipFile):
    """gzip over a file object that it also closes (GzipFile leaves a given fileobj open)."""

    def __init__(self, raw: CountedFile) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip; reading is counted for `read_fraction`."""
    raw = CountedFile(path)
    if path.suffix == ".gz":
        return cast(IO[bytes], _OwningGzip(raw))
    return cast(IO[bytes], raw)


def read_fraction(path: Path) -> float | None:
    """How much of the file (as stored, compressed) has been read; None before it is opened."""
    read = _BYTES_READ.get(path.resolve())
    size = path.stat().st_size
    return None if read is None or size == 0 else min(read / size, 1.0)


def fingerprint(*paths: Path) -> str:
    """A hash of the files' bytes: a changed file means a changed stream."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:32]


def display_name(path: Path) -> str:
    return path.name.removesuffix(".gz")


def read_json_lines(path: Path, after: int = 0) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """Yield (line number, object) for each line after `after`; a bad line yields a Problem."""
    name = display_name(path)
    with open_binary(path) as f:
        for number, raw in enumerate(f, start=1):
            if number <= after or not raw.strip():
                continue
            yield number, _parse_line(raw, f"{name}:{number}")


def _parse_line(raw: bytes, locator: str) -> dict[str, Any] | Problem:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        return Problem(locator, "bad_json", f"not valid JSON ({err}); line skipped")
    if not isinstance(value, dict):
        kind = type(value).__name__
        return Problem(locator, "bad_json", f"expected a JSON object, found {kind}; line skipped")
    return value


def read_json(path: Path) -> dict[str, Any] | Problem:
    """A whole JSON document (an API response saved to a file)."""
    with open_binary(path) as f:
        raw = f.read()
    return _parse_line(raw, display_name(path))
