"""Read local source files (JSON, JSON lines; plain or gzip) with exact locations for problems."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import orjson

from linernotes.normalize.records import Problem


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip."""
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


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
