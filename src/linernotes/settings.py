"""Settings, declared once as data: each has an environment variable, a default and a description.

The README's configuration table is checked against this list by a test, so a setting cannot
exist without being documented.
"""

from __future__ import annotations

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
DEMO = Setting(
    "LINERNOTES_DEMO",
    "1",
    "Build the embedded demo catalog on first use when the catalog is empty (1 or 0).",
)

ALL: tuple[Setting, ...] = (HOME, DATABASE, DEMO)


def database_path() -> Path:
    return Path(DATABASE.value() or Path(HOME.value()) / "catalog.sqlite3")


def demo_enabled() -> bool:
    return DEMO.value().strip().lower() not in {"0", "false", "no", "off"}
