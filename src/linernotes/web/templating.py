"""Jinja2 for the pages: one template environment, and the helpers every template may call.

`render` adds who is asking (`visitor`) and the CSRF token its forms and htmx requests carry, so
no handler can forget them. Helpers that turn the catalog's data into words (source names, role
links, handle spelling) live here once, for every page and fragment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from linernotes import __version__
from linernotes.labels import fact_label, source_label, sources_text
from linernotes.normalize.roles import FAMILY_LABELS, FAMILY_ORDER, ROLES, Family, find_role
from linernotes.store.views import HandleView
from linernotes.web import access, auth

TEMPLATES = Path(__file__).parent / "templates"

PLATFORM_LABELS = {
    "instagram": "Instagram",
    "twitter": "X (Twitter)",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "soundcloud": "SoundCloud",
}
# Role labels as the store gives them (ProducerRow.roles) back to codes, for guide links.
_CODE_OF_LABEL = {role.label: role.code for role in ROLES.values()}


def handle_text(view: HandleView) -> str:
    """How people write the handle: @name, except Facebook pages (a plain page name)."""
    return view.handle if view.platform == "facebook" else f"@{view.handle}"


def platform_label(platform: str) -> str:
    return PLATFORM_LABELS.get(platform, platform.capitalize())


def role_code(label_or_code: str) -> str:
    """The role code behind a label ("Mixing Engineer") or a code; for /roles/{code} links."""
    if label_or_code in ROLES:
        return label_or_code
    found = _CODE_OF_LABEL.get(label_or_code) or find_role(label_or_code)
    return found if isinstance(found, str) else (found.code if found else "unmapped")


def family_label(family: str) -> str:
    try:
        return FAMILY_LABELS[Family(family)]
    except ValueError:
        return family.capitalize()


def year(date: str | None) -> str:
    return (date or "")[:4]


def sentence(text: str) -> str:
    """A note from a source, starting as a sentence does (its own capitals kept)."""
    return text[:1].upper() + text[1:]


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def evidence_kind(kind: str) -> str:
    return kind.replace("_", " ")


def guide_hint(guide: str) -> str:
    """A guide's first sentence: the tooltip on every credit label."""
    first, dot, _ = guide.partition(". ")
    return first + (dot.strip() or "")


def evidence_hint(view: HandleView) -> str:
    """One line of evidence for a hover: which sources, and how strong."""
    kinds = ", ".join(
        dict.fromkeys(f"{source_label(e.source)} ({evidence_kind(e.kind)})" for e in view.evidence)
    )
    return f"confidence {view.confidence:.2f}: {kinds}"


def _environment(templates: Jinja2Templates) -> None:
    env = templates.env
    # Indentation before block tags is dropped (a long album's matrix was half whitespace); the
    # line break after them stays, so text on either side of a tag keeps its space.
    env.lstrip_blocks = True
    env.globals.update(
        version=__version__,
        FAMILY_ORDER=[f.value for f in FAMILY_ORDER],
        ROLES=ROLES,
    )
    env.filters.update(
        source_label=source_label,
        sources_text=sources_text,
        fact_label=fact_label,
        handle_text=handle_text,
        platform_label=platform_label,
        role_code=role_code,
        family_label=family_label,
        year=year,
        evidence_kind=evidence_kind,
        guide_hint=guide_hint,
        evidence_hint=evidence_hint,
        sentence=sentence,
    )
    env.globals["plural"] = plural
    # Genius song relationships ("version:sampled_in"): dozens per hit song, listed apart.
    env.tests["version_kind"] = lambda kind: str(kind).startswith("version:")


templates = Jinja2Templates(directory=TEMPLATES)
_environment(templates)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A page or fragment, with `visitor` and `csrf_token` added for every template."""
    full: dict[str, Any] = {"csrf_token": auth.csrf_token(request), **(context or {})}
    if "visitor" not in full:  # handlers that already asked pass it in: one look-up
        full["visitor"] = access.visitor(request)
    return templates.TemplateResponse(
        request, name, full, status_code=status_code, headers=dict(headers or {})
    )
