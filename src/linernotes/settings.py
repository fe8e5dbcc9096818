"""Settings, declared once as data: each has an environment variable, a default and a description.

The README's configuration table is checked against this list by a test, so a setting cannot
exist without being documented.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    default: str
    description: str

    def value(self) -> str:
        """The environment's value, else the settings file's, else the default."""
        return os.environ.get(self.env, "") or file_values().get(self.env, "") or self.default


SETTINGS_FILE_ENV = "LINERNOTES_SETTINGS_FILE"


class SettingsFileError(ValueError):
    """The settings file cannot be read: says which file and what is wrong."""


def file_values() -> dict[str, str]:
    """The settings file's values (LINERNOTES_SETTINGS_FILE), {} when none is set."""
    path = os.environ.get(SETTINGS_FILE_ENV, "").strip()
    if not path:
        return {}
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError as error:
        raise SettingsFileError(f"{SETTINGS_FILE_ENV}={path}: {error.strerror}") from None
    return _read_file(path, stamp)


@lru_cache(maxsize=4)
def _read_file(path: str, _stamp: int) -> dict[str, str]:
    """Read once per version of the file (the stamp is its modification time)."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SettingsFileError(f"{path}: not TOML: {error}") from None
    known = {s.env for s in ALL}
    out: dict[str, str] = {}
    for key, value in data.items():
        if key not in known:
            raise SettingsFileError(f"{path}: unknown setting {key!r} (see the README's table)")
        if isinstance(value, bool):
            value = "1" if value else "0"
        if not isinstance(value, str | int | float):
            raise SettingsFileError(f"{path}: {key} must be a string or a number")
        out[key] = str(value)
    return out


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

# The web app (web/, `linernotes serve`).
HOST = Setting("LINERNOTES_HOST", "127.0.0.1", "Address the web app listens on.")
PORT = Setting("LINERNOTES_PORT", "8000", "Port the web app listens on.")
ENVIRONMENT = Setting(
    "LINERNOTES_ENV",
    "development",
    "development or production: production refuses the default secret key and sends cookies"
    " only over HTTPS.",
)
SECRET_KEY = Setting(
    "LINERNOTES_SECRET_KEY",
    "",
    "Key that signs sessions, visitor cookies and CSRF tokens (required in production; at least"
    " 32 characters).",
)
WORKERS = Setting("LINERNOTES_WORKERS", "1", "Server processes `linernotes serve` starts.")
ANON_REVEALS = Setting(
    "LINERNOTES_ANON_REVEALS_PER_DAY", "3", "Handle reveals a day without an account."
)
FREE_REVEALS = Setting(
    "LINERNOTES_FREE_REVEALS_PER_DAY", "25", "Handle reveals a day on the free plan."
)
PRO_REVEALS = Setting("LINERNOTES_PRO_REVEALS_PER_DAY", "1000", "Handle reveals a day on pro.")
ANON_API_RATE = Setting(
    "LINERNOTES_ANON_API_PER_MINUTE", "30", "API requests a minute without a key, per address."
)
FREE_API_RATE = Setting(
    "LINERNOTES_FREE_API_PER_MINUTE", "60", "API requests a minute with a free plan's key."
)
PRO_API_RATE = Setting("LINERNOTES_PRO_API_PER_MINUTE", "600", "API requests a minute on pro.")

# Follow and get notified (watch/, `linernotes worker`).
BASE_URL = Setting(
    "LINERNOTES_BASE_URL",
    "http://127.0.0.1:8000",
    "The web app's public address, for links in emails, feeds and webhook bodies.",
)
SMTP_HOST = Setting(
    "LINERNOTES_SMTP_HOST", "", "SMTP server for notification emails (none: no email is sent)."
)
SMTP_PORT = Setting("LINERNOTES_SMTP_PORT", "25", "Port of the SMTP server.")
SMTP_FROM = Setting(
    "LINERNOTES_SMTP_FROM", "linernotes@localhost", "The From address of notification emails."
)
SMTP_USER = Setting("LINERNOTES_SMTP_USER", "", "SMTP login name, when the server wants one.")
SMTP_PASSWORD = Setting("LINERNOTES_SMTP_PASSWORD", "", "SMTP password, with the login name.")
SMTP_STARTTLS = Setting(
    "LINERNOTES_SMTP_STARTTLS", "0", "Upgrade the SMTP connection with STARTTLS (1 or 0)."
)
WEBHOOK_ALLOW = Setting(
    "LINERNOTES_WEBHOOK_ALLOW_NETWORKS",
    "",
    "Private, loopback or link-local networks webhooks may reach anyway, comma-separated CIDRs"
    " (e.g. 127.0.0.1/32); by default every such address is refused.",
)
WEBHOOK_TIMEOUT = Setting(
    "LINERNOTES_WEBHOOK_TIMEOUT", "10", "Seconds a webhook receiver has to answer one delivery."
)
TRENDING_TOP = Setting(
    "LINERNOTES_TRENDING_TOP", "10", "How many of a chart's latest top are trending by default."
)
TRENDING_RECHECK_HOURS = Setting(
    "LINERNOTES_TRENDING_RECHECK_HOURS",
    "6",
    "Hours between two look-ups of a trending record's credits at its sources.",
)
LOOKUPS = Setting(
    "LINERNOTES_LOOKUPS",
    "on",
    "Live look-ups at the sources when the catalog lacks a record or its credits are stale"
    " (on or off).",
)
LOOKUP_BUDGET = Setting(
    "LINERNOTES_LOOKUP_BUDGET", "20", "Seconds a live look-up may spend asking the sources."
)
LOOKUP_STALE_DAYS = Setting(
    "LINERNOTES_LOOKUP_STALE_DAYS",
    "365",
    "Days after which a shown song's or album's credits are looked up again at the sources.",
)
LOOKUP_REUSE_MINUTES = Setting(
    "LINERNOTES_LOOKUP_REUSE_MINUTES",
    "60",
    "Minutes a finished look-up answers an identical request instead of asking the sources again.",
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
    HOST,
    PORT,
    ENVIRONMENT,
    SECRET_KEY,
    WORKERS,
    ANON_REVEALS,
    FREE_REVEALS,
    PRO_REVEALS,
    ANON_API_RATE,
    FREE_API_RATE,
    PRO_API_RATE,
    BASE_URL,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_FROM,
    SMTP_USER,
    SMTP_PASSWORD,
    SMTP_STARTTLS,
    WEBHOOK_ALLOW,
    WEBHOOK_TIMEOUT,
    TRENDING_TOP,
    TRENDING_RECHECK_HOURS,
    LOOKUPS,
    LOOKUP_BUDGET,
    LOOKUP_STALE_DAYS,
    LOOKUP_REUSE_MINUTES,
)


def positive_int(setting: Setting) -> int:
    """A whole number above 0, or a clear error naming the setting."""
    raw = setting.value().strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{setting.env} must be a whole number above 0, got {raw!r}")
    return int(raw)


def positive_float(setting: Setting) -> float:
    """A number above 0, or a clear error naming the setting."""
    raw = setting.value().strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{setting.env} must be a number above 0, got {raw!r}")
    return value


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
