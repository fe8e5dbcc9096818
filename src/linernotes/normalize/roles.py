"""The canonical role vocabulary: every credit we show is one of these roles.

Sources name the same job many ways ("Mixed By", "Mixing Engineer", MusicBrainz "mix"). The
mapping tables in `role_maps` turn those into the codes listed in roles.toml, so the rest of the
program compares, groups and explains credits in one vocabulary. Each role carries a guide in
plain words: the text of the product's "what does this credit mean?" pages.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from types import MappingProxyType


class Family(StrEnum):
    PRODUCTION = "production"
    ENGINEERING = "engineering"
    WRITING = "writing"
    PERFORMANCE = "performance"
    BUSINESS = "business"
    VISUAL = "visual"
    OTHER = "other"


class Scope(StrEnum):
    TRACK = "track"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    label: str
    ddex: str
    family: Family
    scope: Scope
    guide: str
    plural: str


UNMAPPED: str = "unmapped"

FAMILY_ORDER: tuple[Family, ...] = (
    Family.PRODUCTION,
    Family.ENGINEERING,
    Family.WRITING,
    Family.PERFORMANCE,
    Family.BUSINESS,
    Family.VISUAL,
    Family.OTHER,
)

FAMILY_LABELS: Mapping[Family, str] = MappingProxyType(
    {
        Family.PRODUCTION: "Production",
        Family.ENGINEERING: "Engineering",
        Family.WRITING: "Writing",
        Family.PERFORMANCE: "Performance",
        Family.BUSINESS: "Business",
        Family.VISUAL: "Visual",
        Family.OTHER: "Other",
    }
)


def _load_roles() -> tuple[Role, ...]:
    """The vocabulary is data (roles.toml beside this file) so guides can be edited as text."""
    raw = tomllib.loads(resources.files(__package__).joinpath("roles.toml").read_text("utf-8"))
    return tuple(
        Role(
            code=entry["code"],
            label=entry["label"],
            ddex=entry["ddex"],
            family=Family(entry["family"]),
            scope=Scope(entry["scope"]),
            guide=entry["guide"],
            plural=entry["plural"],
        )
        for entry in raw["role"]
    )


_ROLE_LIST: tuple[Role, ...] = _load_roles()

ROLES: Mapping[str, Role] = MappingProxyType({role.code: role for role in _ROLE_LIST})


def loose_key(text: str) -> str:
    """Key that ignores case, spaces and punctuation: "Mixing-engineer" == "mixing_engineer".

    "&" is kept so that "A&R" and "A & R" still meet; every other non-alphanumeric character
    (hyphens, underscores, "©", "℗") is dropped.
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == "&")


def _lookup_index() -> Mapping[str, Role]:
    index: dict[str, Role] = {}
    for role in _ROLE_LIST:
        for name in (role.code, role.label, role.plural):
            # First role wins, so a plural shared by two roles never overrides a code or label.
            index.setdefault(loose_key(name), role)
    return MappingProxyType(index)


_BY_LOOSE_NAME = _lookup_index()


def get_role(code: str) -> Role:
    try:
        return ROLES[code]
    except KeyError:
        raise KeyError(f"unknown role code {code!r}; known codes are the keys of ROLES") from None


def roles_in_family(family: Family) -> list[Role]:
    return [role for role in _ROLE_LIST if role.family is family]


def find_role(text: str) -> Role | None:
    """Look a role up by code, label or plural, forgiving case, spaces and punctuation."""
    key = loose_key(text)
    return _BY_LOOSE_NAME.get(key) if key else None
