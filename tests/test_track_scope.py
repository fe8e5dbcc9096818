"""The Discogs `tracks` scope grammar, on hand-made cases and on every scope in the real sample."""

from __future__ import annotations

import gzip
import string
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.demo.build import data_dir
from linernotes.normalize.track_scope import TrackScope, parse_track_scope, position_key

SAMPLE = data_dir() / "discogs" / "dump" / "discogs_20200806_releases.sample800.xml.gz"
VINYL = ["A1", "A2", "A3", "B1", "B2", "B3"]


def covered(scope: TrackScope, labels: Sequence[str]) -> list[str]:
    return [label for i, label in enumerate(labels, start=1) if scope.covers(label, i)]


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("A1 to A3, B2", VINYL, ["A1", "A2", "A3", "B2"]),
        ("A2 to B1", VINYL, ["A2", "A3", "B1"]),  # a range crosses sides in tracklist order
        ("A, B", ["A", "B"], ["A", "B"]),  # sides that are single tracks
        ("B", VINYL, ["B1", "B2", "B3"]),  # a side of several tracks
        ("Side A", VINYL, ["A1", "A2", "A3"]),
        ("1-3", ["1", "2", "3", "4"], ["1", "2", "3"]),
        ("1 to 5", [str(n) for n in range(1, 8)], ["1", "2", "3", "4", "5"]),
        ("3 - 4", ["1", "2", "3", "4"], ["3", "4"]),
        ("1, 3, 5", ["1", "2", "3", "4", "5"], ["1", "3", "5"]),
        ("CD1-1 to CD1-3", ["CD1-1", "CD1-2", "CD1-3", "CD2-1"], ["CD1-1", "CD1-2", "CD1-3"]),
        ("All", VINYL, VINYL),
        ("All Tracks", VINYL, VINYL),
        ("A1-3", VINYL, ["A1", "A2", "A3"]),  # the end keeps the start's side
        ("A1, A3 and B2", VINYL, ["A1", "A3", "B2"]),
        ("a.1, B. 2", ["A.1", "A.2", "B. 1", "B. 2"], ["A.1", "B. 2"]),  # decoration ignored
    ],
)
def test_scope_shapes(text: str, labels: list[str], expected: list[str]) -> None:
    scope = parse_track_scope(text, labels)
    assert not scope.unparsed, scope.reason
    assert covered(scope, labels) == expected


def test_hyphen_is_a_position_when_the_release_has_that_label() -> None:
    multi_disc = ["1-01", "1-02", "1-03", "1-04", "1-05", "2-01", "2-02"]
    assert covered(parse_track_scope("1-05", multi_disc), multi_disc) == ["1-05"]
    assert covered(parse_track_scope("1-02 to 1-04", multi_disc), multi_disc) == [
        "1-02",
        "1-03",
        "1-04",
    ]
    # The same text on a 13-track CD is a range.
    cd = [str(n) for n in range(1, 14)]
    assert covered(parse_track_scope("1-5", cd), cd) == ["1", "2", "3", "4", "5"]


def test_numbers_count_tracks_on_a_release_without_numbered_positions() -> None:
    # Real: release 3019921 ("A", "B1", "B2") credits tracks "1" and "2 to 3".
    labels = ["A", "B1", "B2"]
    assert covered(parse_track_scope("1", labels), labels) == ["A"]
    assert covered(parse_track_scope("2 to 3", labels), labels) == ["B1", "B2"]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Gyula Havancsák", ["1", "2"]),  # a name typed in the wrong field (release 1586415)
        ("Prenatal A-B", ["A", "B"]),
        ("A1", ["1", "2", "3"]),  # sides on a release numbered 1..n (release 11058889)
        ("9", ["1", "2", "3"]),  # a track the release does not have
        ("A2 to B2", ["A1", "A2", "AA1", "AA2"]),  # an end that is not there (release 46)
        ("", []),
    ],
)
def test_unknown_shapes_cover_nothing_and_say_so(text: str, labels: list[str]) -> None:
    scope = parse_track_scope(text, labels)
    if not text:
        assert scope.all_tracks  # an empty scope is the whole release
        return
    assert scope.unparsed and scope.reason
    assert covered(scope, labels) == []


def test_without_labels_the_scope_matches_by_shape() -> None:
    scope = parse_track_scope("A2 to B1, C3")
    assert scope.indices is None
    labels = ["A1", "A2", "A10", "B1", "B2", "C3"]
    assert covered(scope, labels) == ["A2", "A10", "B1", "C3"]
    # "1 to 3" does not take in the multi-disc "1-05", which sorts between 1 and 2.
    assert covered(parse_track_scope("1 to 3"), ["1", "1-05", "3", "4"]) == ["1", "3"]


def test_position_key_normalises_decoration_only() -> None:
    assert position_key("b. 1") == position_key("B1") == "B1"
    assert position_key("A..5") == "A5"
    assert position_key("Prenatal A") == "PRENATAL A"  # words stay words


# -- the real sample --------------------------------------------------------------------------


def sample_scopes() -> list[tuple[str, str, list[str]]]:
    """(release id, scope text, track labels) for every release-level scope in the sample."""
    found: list[tuple[str, str, list[str]]] = []
    with gzip.open(SAMPLE) as f:
        for _, element in ET.iterparse(f):
            if element.tag != "release":
                continue
            labels = _labels(element)
            for credit in element.iterfind("extraartists/artist"):
                text = (credit.findtext("tracks") or "").strip()
                if text:
                    found.append((element.get("id", ""), text, labels))
            element.clear()
    return found


def _labels(release: ET.Element) -> list[str]:
    labels: list[str] = []
    for track in release.iterfind("tracklist/track"):
        position = (track.findtext("position") or "").strip()
        subs = [(s.findtext("position") or "").strip() for s in track.iterfind("sub_tracks/track")]
        labels.extend([position] if position else subs)
    return labels


def test_every_real_scope_parses_or_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    scopes = sample_scopes()
    parsed = [parse_track_scope(text, labels) for _, text, labels in scopes]
    clean = sum(not s.unparsed for s in parsed)
    distinct = {text for _, text, _ in scopes}
    distinct_clean = {s.text for s in parsed if not s.unparsed}
    with capsys.disabled():
        print(
            f"\nDiscogs sample scopes: {clean}/{len(parsed)} occurrences resolve to tracks "
            f"({len(distinct_clean)}/{len(distinct)} distinct texts)"
        )
    assert len(parsed) == 475
    assert clean >= 445
    for scope in parsed:
        assert scope.unparsed or scope.all_tracks or scope.indices
    by_release = {(rid, text): s for (rid, text, _), s in zip(scopes, parsed, strict=True)}
    # Spot checks, with the labels the releases really have.
    assert sorted(by_release[("3019999", "1-1 to 1-5.7")].indices or ()) == list(range(1, 12))
    assert sorted(by_release[("12645443", "AA2-AC1")].indices or ()) == list(range(112, 122))
    assert by_release[("4497930", "Parker")].unparsed


# -- properties -------------------------------------------------------------------------------

SIDES = st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=6)


def vinyl(sizes: list[int]) -> list[str]:
    return [
        f"{string.ascii_uppercase[s]}{n}"
        for s, size in enumerate(sizes)
        for n in range(1, 1 + size)
    ]


@given(st.integers(1, 40), st.data())
def test_numeric_ranges_cover_exactly_their_span(count: int, data: st.DataObject) -> None:
    labels = [str(n) for n in range(1, count + 1)]
    low = data.draw(st.integers(1, count))
    high = data.draw(st.integers(low, count))
    joiner = data.draw(st.sampled_from([" to ", "-", " - ", "–"]))
    scope = parse_track_scope(f"{low}{joiner}{high}", labels)
    assert covered(scope, labels) == [str(n) for n in range(low, high + 1)]
    # The same range without labels matches by shape, alike.
    assert covered(parse_track_scope(f"{low} to {high}"), labels) == covered(scope, labels)


@given(SIDES, st.data())
def test_side_ranges_follow_tracklist_order(sizes: list[int], data: st.DataObject) -> None:
    labels = vinyl(sizes)
    first = data.draw(st.integers(0, len(labels) - 1))
    last = data.draw(st.integers(first, len(labels) - 1))
    scope = parse_track_scope(f"{labels[first]} to {labels[last]}", labels)
    assert covered(scope, labels) == labels[first : last + 1]


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3).flatmap(
        lambda discs: st.tuples(st.just(discs), st.data())
    )
)
def test_multi_disc_ranges(case: tuple[list[int], st.DataObject]) -> None:
    sizes, data = case
    labels = [f"{d}-{n:02d}" for d, size in enumerate(sizes, start=1) for n in range(1, size + 1)]
    first = data.draw(st.integers(0, len(labels) - 1))
    last = data.draw(st.integers(first, len(labels) - 1))
    single = parse_track_scope(labels[first], labels)
    assert covered(single, labels) == [labels[first]]
    scope = parse_track_scope(f"{labels[first]} to {labels[last]}", labels)
    assert covered(scope, labels) == labels[first : last + 1]


@given(st.text(max_size=40), st.lists(st.text(max_size=6), max_size=8), st.integers(0, 9))
def test_never_raises(text: str, labels: list[str], index: int) -> None:
    scope = parse_track_scope(text, labels)
    assert isinstance(scope.covers(labels[index] if index < len(labels) else "A1", index), bool)
    if scope.unparsed:
        assert not any(scope.covers(label, i) for i, label in enumerate(labels, start=1))
