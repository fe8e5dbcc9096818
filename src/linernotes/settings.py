"""Settings, declared once as data: each has an environment variable, a default and a description.

The README's configuration table is checked against this list by a test, so a setting cannot
exist without being documented.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    default: str
    description: str

    def value(self) -> str:
        return os.environ.get(self.env, "") or self.default


def _default_home() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "linernotes")


HOME = Setting("LINERNOTES_HOME", _default_home(), "Folder for the catalog and its files.")
DATABASE = Setting(
    "LINERNOTES_DATABASE",
    "",
    "Path of the SQLite catalog (default: LINERNOTES_HOME/catalog.sqlite3).",
)
DATABASE_URL = Setting(
    "LINERNOTES_DATABASE_URL",
    "",
    "PostgreSQL catalog to use instead of SQLite (postgresql://user:password@host:port/dbname).",
)
SEARCH_DIR = Setting(
    "LINERNOTES_SEARCH_DIR",
    "",
    "Folder for the search indexes of PostgreSQL catalogs (default: LINERNOTES_HOME/search);"
    " a SQLite catalog keeps its index beside its file.",
)
DEMO = Setting(
    "LINERNOTES_DEMO",
    "1",
    "Build the embedded demo catalog on first use when the catalog is empty (1 or 0).",
)

# Outbound HTTP (sources/http.py). Tokens are read through `secret()` so their text never lands in
# a repr, a log line or an exception.
CONTACT = Setting(
    "LINERNOTES_CONTACT",
    "",
    "Your email or URL, sent in the User-Agent of requests to the sources "
    "(MusicBrainz and Wikimedia ask for a way to reach the client's operator).",
)
CACHE_DIR = Setting(
    "LINERNOTES_CACHE_DIR",
    "",
    "Folder for cached source responses (default: LINERNOTES_HOME/http-cache).",
)
HTTP_TIMEOUT = Setting(
    "LINERNOTES_HTTP_TIMEOUT",
    "30",
    "Seconds to wait for a source to connect or to send more data before retrying.",
)
GENIUS_TOKEN = Setting("GENIUS_TOKEN", "", "Genius API client access token (required for Genius).")
DISCOGS_TOKEN = Setting(
    "DISCOGS_TOKEN",
    "",
    "Discogs personal access token (optional: raises the limit from 25 to 60 requests a minute).",
)
SPOTIFY_CLIENT_ID = Setting(
    "SPOTIFY_CLIENT_ID", "", "Spotify app client id (required for Spotify, with the secret)."
)
SPOTIFY_CLIENT_SECRET = Setting(
    "SPOTIFY_CLIENT_SECRET", "", "Spotify app client secret (required for Spotify, with the id)."
)

ALL: tuple[Setting, ...] = (
    HOME,
    DATABASE,
    DATABASE_URL,
    SEARCH_DIR,
    DEMO,
    CONTACT,
    CACHE_DIR,
    HTTP_TIMEOUT,
    GENIUS_TOKEN,
    DISCOGS_TOKEN,
    SPOTIFY_CLIENT_ID,
    SPOTIFY_CLIENT_SECRET,
)


class Secret:
    """A credential. Its text comes out only through `reveal()`: str, repr and format all give
    "***", so a token cannot reach a log line, an exception or a repr by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a secret cannot be empty")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "***"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"


def database_path() -> Path:
    return Path(DATABASE.value() or Path(HOME.value()) / "catalog.sqlite3")


def database_location() -> Path | str:
    """The catalog to open: LINERNOTES_DATABASE_URL when set, else the SQLite file."""
    return DATABASE_URL.value().strip() or database_path()


def search_dir() -> Path:
    return Path(SEARCH_DIR.value() or Path(HOME.value()) / "search")


def demo_enabled() -> bool:
    return DEMO.value().strip().lower() not in {"0", "false", "no", "off"}


def secret(setting: Setting) -> Secret | None:
    """The setting's value as a Secret, or None when it is not set."""
    value = setting.value().strip()
    return Secret(value) if value else None


def http_cache_dir() -> Path:
    return Path(CACHE_DIR.value() or Path(HOME.value()) / "http-cache")


def http_timeout() -> float:
    raw = HTTP_TIMEOUT.value().strip()
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not (seconds > 0 and math.isfinite(seconds)):  # also rejects NaN
        raise ValueError(f"{HTTP_TIMEOUT.env} must be a number of seconds above 0, got {raw!r}")
    return seconds
