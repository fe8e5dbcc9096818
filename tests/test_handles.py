"""Handles: every way a source writes one, normalised; invalid ones refused with the rule broken."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.normalize.handles import InvalidHandle, Platform, normalize_handle, parse_platform

IG = Platform.INSTAGRAM


@pytest.mark.parametrize(
    "raw",
    [
        "brunomars",
        "@brunomars",
        "BrunoMars",
        "https://www.instagram.com/brunomars/",
        "instagram.com/brunomars",
        "http://instagram.com/brunomars?hl=en",
        "www.instagram.com/brunomars",
    ],
)
def test_instagram_forms(raw: str) -> None:
    assert normalize_handle(IG, raw) == "brunomars"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "empty"),
        ("a" * 31, "1-30"),
        (".dot", "leading"),
        ("dot.", "leading"),
        ("two..dots", "'..'"),
        ("has space", "1-30"),
        ("https://www.instagram.com/p/CxYz123/", "page"),
        ("https://www.instagram.com/explore/tags/music/", "page"),
        ("https://example.com/brunomars", "not a instagram profile URL"),
        ("https://www.instagram.com/", "no profile name"),
    ],
)
def test_invalid_instagram_handles_say_why(raw: str, why: str) -> None:
    with pytest.raises(InvalidHandle, match=why.replace(".", r"\.").replace("'", "'")):
        normalize_handle(IG, raw)


def test_twitter_rules() -> None:
    assert normalize_handle(Platform.TWITTER, "https://x.com/BrunoMars") == "BrunoMars"
    assert normalize_handle(Platform.TWITTER, "@Metro_Boomin") == "Metro_Boomin"
    for bad in ("sixteen_chars_xx", "dots.not.ok", "https://twitter.com/search"):
        with pytest.raises(InvalidHandle):
            normalize_handle(Platform.TWITTER, bad)


def test_platform_names() -> None:
    assert parse_platform("X") is Platform.TWITTER
    assert parse_platform(" Instagram ") is Platform.INSTAGRAM
    with pytest.raises(InvalidHandle, match="unknown platform"):
        parse_platform("myspace")


@given(st.from_regex(r"[a-z0-9_](?:[a-z0-9_]|\.(?=[a-z0-9_])){0,28}[a-z0-9_]?", fullmatch=True))
def test_valid_instagram_handles_round_trip_in_every_form(handle: str) -> None:
    if handle in {"p", "tv", "web"}:  # reserved paths
        return
    for form in (handle, "@" + handle, f"https://www.instagram.com/{handle}/"):
        assert normalize_handle(IG, form) == handle
