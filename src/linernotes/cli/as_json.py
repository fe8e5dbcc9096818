"""JSON for scripts: the same answers the tables show, as stable keys."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import orjson

from linernotes.store.views import CreditLine, ProducerRow

# Computed properties worth having in JSON too.
_EXTRA: dict[type, tuple[str, ...]] = {
    ProducerRow: ("song_count", "latest"),
    CreditLine: ("credited_as",),
}


def _default(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: getattr(obj, f.name) for f in fields(obj)}
        for name in _EXTRA.get(type(obj), ()):
            out[name] = getattr(obj, name)
        return out
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def plain(obj: Any) -> dict[str, Any]:
    """One answer's top-level fields, to add keys beside them (nested values stay as they are)."""
    out: dict[str, Any] = _default(obj)
    return out


def dumps(value: Any) -> str:
    return orjson.dumps(
        value,
        default=_default,
        option=orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS,
    ).decode()
