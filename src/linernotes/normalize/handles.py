"""Social handles: normalise what sources give (bare names, @names, profile URLs) and validate it.

Each platform has its own rules. An invalid handle raises :class:`InvalidHandle` saying what was
wrong, so the caller reports it instead of storing a handle that leads nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TWITTER = "twitter"
    FACEBOOK = "facebook"


class EvidenceKind(StrEnum):
    """Why we believe a handle belongs to a person, strongest first."""

    SOURCE_FIELD = "source_field"  # the source's own field, e.g. Genius artist `instagram_name`
    WIKIDATA = "wikidata"  # Wikidata P2003 (Instagram username) and friends
    OFFICIAL_SITE = "official_site"  # the person's own site or official channel links to it
    WEAK = "weak"  # a third-party mention: shown, but marked unverified


# Confidence per evidence kind: the rank users see, and what sorts two handles of one person.
EVIDENCE_CONFIDENCE: dict[EvidenceKind, float] = {
    EvidenceKind.SOURCE_FIELD: 0.9,
    EvidenceKind.WIKIDATA: 0.9,
    EvidenceKind.OFFICIAL_SITE: 0.85,
    EvidenceKind.WEAK: 0.4,
}

# Evidence names used by the handles evidence file, mapped to ours.
EVIDENCE_ALIASES: dict[str, EvidenceKind] = {
    "genius_api": EvidenceKind.SOURCE_FIELD,
    "source_field": EvidenceKind.SOURCE_FIELD,
    "wikidata": EvidenceKind.WIKIDATA,
    "official_site": EvidenceKind.OFFICIAL_SITE,
    "weak": EvidenceKind.WEAK,
}


def is_verified(kind: EvidenceKind) -> bool:
    return kind is not EvidenceKind.WEAK


class InvalidHandle(ValueError):
    """A handle that breaks the platform's rules; the message says which rule."""


@dataclass(frozen=True, slots=True)
class PlatformRules:
    pattern: re.Pattern[str]
    rule: str  # the rule in words, for error messages
    hosts: frozenset[str]
    reserved: frozenset[str]  # first path segments that are pages, not people
    case_sensitive_display: bool


_INSTAGRAM = PlatformRules(
    pattern=re.compile(r"[a-z0-9._]{1,30}"),
    rule="1-30 letters, digits, '.' or '_', no leading or trailing '.', no '..'",
    hosts=frozenset({"instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am"}),
    reserved=frozenset(
        {
            "p",
            "reel",
            "reels",
            "tv",
            "explore",
            "stories",
            "accounts",
            "direct",
            "about",
            "developer",
            "legal",
            "privacy",
            "web",
            "static",
            "emails",
            "challenge",
            "tags",
        }
    ),
    case_sensitive_display=False,
)
_TWITTER = PlatformRules(
    pattern=re.compile(r"[A-Za-z0-9_]{1,15}"),
    rule="1-15 letters, digits or '_'",
    hosts=frozenset({"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com"}),
    reserved=frozenset(
        {
            "home",
            "search",
            "explore",
            "i",
            "intent",
            "share",
            "hashtag",
            "settings",
            "login",
            "notifications",
            "messages",
            "tos",
            "privacy",
        }
    ),
    case_sensitive_display=True,
)
_FACEBOOK = PlatformRules(
    pattern=re.compile(r"[A-Za-z0-9.]{5,50}"),
    rule="5-50 letters, digits or '.'",
    hosts=frozenset({"facebook.com", "www.facebook.com", "m.facebook.com", "fb.com"}),
    reserved=frozenset(
        {
            "pages",
            "groups",
            "events",
            "watch",
            "sharer",
            "sharer.php",
            "profile.php",
            "photo.php",
            "login",
            "help",
            "policies",
            "people",
        }
    ),
    case_sensitive_display=True,
)

RULES: dict[Platform, PlatformRules] = {
    Platform.INSTAGRAM: _INSTAGRAM,
    Platform.TWITTER: _TWITTER,
    Platform.FACEBOOK: _FACEBOOK,
}

PROFILE_URLS: dict[Platform, str] = {
    Platform.INSTAGRAM: "https://www.instagram.com/{}/",
    Platform.TWITTER: "https://x.com/{}",
    Platform.FACEBOOK: "https://www.facebook.com/{}",
}


def parse_platform(name: str) -> Platform:
    key = name.strip().lower()
    if key == "x":
        return Platform.TWITTER
    try:
        return Platform(key)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise InvalidHandle(f"unknown platform {name!r} (known: {known})") from None


def normalize_handle(platform: Platform, raw: str) -> str:
    """Return the canonical handle for a bare name, '@name' or profile URL; raise InvalidHandle."""
    rules = RULES[platform]
    text = raw.strip()
    if not text:
        raise InvalidHandle(f"empty {platform.value} handle")
    if "/" in text or text.lower().startswith(("http:", "https:", "www.")):
        text = _handle_from_url(platform, rules, text)
    text = text.removeprefix("@")
    return _validate(platform, rules, text, raw)


def profile_url(platform: Platform, handle: str) -> str:
    return PROFILE_URLS[platform].format(handle)


def _handle_from_url(platform: Platform, rules: PlatformRules, text: str) -> str:
    url = text if "://" in text else "https://" + text
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in rules.hosts:
        raise InvalidHandle(f"{text!r} is not a {platform.value} profile URL (host {host!r})")
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        raise InvalidHandle(f"{text!r} has no profile name in its path")
    first = segments[0]
    if first.lower() in rules.reserved:
        raise InvalidHandle(
            f"{text!r} points to a {platform.value} page (/{first}/), not a profile"
        )
    return first


def _validate(platform: Platform, rules: PlatformRules, text: str, raw: str) -> str:
    handle = text if rules.case_sensitive_display else text.lower()
    if not rules.pattern.fullmatch(handle):
        raise InvalidHandle(f"{raw!r} is not a valid {platform.value} handle ({rules.rule})")
    if platform is Platform.INSTAGRAM and (
        handle.startswith(".") or handle.endswith(".") or ".." in handle
    ):
        raise InvalidHandle(f"{raw!r} is not a valid instagram handle ({rules.rule})")
    if handle.lower() in rules.reserved:
        raise InvalidHandle(f"{raw!r} is a reserved {platform.value} path, not a handle")
    return handle
