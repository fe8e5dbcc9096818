"""The Discogs monthly dump reader, on the real 2020-08-06 extracts (800 releases, 1,000 artists,
masters and labels, one complete example of each) and on copies broken on purpose."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from backends import NewCatalog
from linernotes.demo.build import data_dir
from linernotes.ingest.pipeline import Stream, ingest
from linernotes.normalize.records import (
    ArtistKind,
    EntityKind,
    Problem,
    Ref,
    ReleaseKind,
    SourceRecord,
)
from linernotes.normalize.role_maps import map_discogs_role
from linernotes.normalize.track_scope import parse_track_scope
from linernotes.sources import discogs_dump as dump
from linernotes.sources.discogs_types import Credit, Release
from linernotes.store.catalog import Catalog
from linernotes.store.entities import find_by_ref
from linernotes.store.read_credits import release_credits

DUMP = data_dir() / "discogs" / "dump"
RELEASES = DUMP / "discogs_20200806_releases.sample800.xml.gz"
ARTISTS = DUMP / "discogs_20200806_artists.xml.gz"
MASTERS = DUMP / "discogs_20200806_masters.xml.gz"
LABELS = DUMP / "discogs_20200806_labels.xml.gz"


def records(items: Iterator[tuple[int, SourceRecord | Problem]]) -> list[SourceRecord]:
    found = []
    for _, item in items:
        assert isinstance(item, SourceRecord), item
        found.append(item)
    return found


@pytest.fixture(scope="module")
def sample() -> dict[str, SourceRecord]:
    return {r.record_id: r for r in records(dump.iter_releases(RELEASES))}


def release_ref(discogs_id: int) -> Ref:
    return Ref(EntityKind.RELEASE, "discogs", str(discogs_id))


def on(record: SourceRecord, subject: str, role: str) -> list[str]:
    return [
        c.credited_name for c in record.credits if c.subject.value == subject and c.role == role
    ]


# -- the 800 releases -------------------------------------------------------------------------


def test_every_sample_release_becomes_a_record(sample: dict[str, SourceRecord]) -> None:
    assert len(sample) == 800
    first = sample["releases/2"]
    assert (first.source, first.retrieved_at) == ("discogs", "2020-08-06")
    assert first.origin == "discogs_20200806_releases.sample800.xml:element 1"
    problems = Counter(p.kind for r in sample.values() for p in r.problems)
    assert set(problems) <= {"unknown_role", "unparsed_track_scope", "unlinked_artist"}
    assert (problems["unparsed_track_scope"], problems["unlinked_artist"]) == (26, 19)
    assert (
        problems["unknown_role"] <= 62  # 4 from unlinked credits, kept since
    )  # distinct unknown roles per release; fewer as the table grows


def test_duets_executive_producers_at_release_level_apart_from_track_producers(
    sample: dict[str, SourceRecord],
) -> None:
    duets = sample["releases/9343063"]
    (rel,) = duets.releases
    assert (rel.title, rel.kind, rel.date) == ("Duets", ReleaseKind.ALBUM, "1998")
    assert on(duets, "9343063", "executive_producer") == ["Elton John", "Ray Cooper", "Steve Brown"]
    assert on(duets, "9343063", "producer") == []
    assert on(duets, "9343063:1", "producer") == ["Greg Penny"]
    assert on(duets, "9343063:2", "producer") == ["P.M. Dawn"]
    assert on(duets, "9343063:16", "producer") == ["Greg Penny", "Stuart Epps"]
    assert on(duets, "9343063:1", "main_artist") == ["Elton John", "k.d. lang"]
    assert on(duets, "9343063:1", "songwriter") == [
        "Zekkariyas",
        "Zekkariyas",
    ]  # two people, one anv
    # "Written-By, Producer" on one line gives both credits.
    assert ("Chris Rea", "songwriter") in {(c.credited_name, c.role) for c in duets.credits}
    bass = next(c for c in duets.credits if c.subject.value == "9343063:1" and c.detail == "Bass")
    assert (bass.credited_name, bass.role, bass.raw_role) == (
        "Nathan East",
        "instrumentalist",
        "Bass",
    )
    assert len(duets.recordings) == 16


def test_role_lists_give_one_credit_per_part(sample: dict[str, SourceRecord]) -> None:
    record = sample["releases/7"]
    gray = [
        (c.role, c.raw_role, c.tracks) for c in record.credits if c.credited_name == "Chris Gray"
    ]
    assert gray == [
        ("songwriter", "Written-By", ""),
        ("producer", "Producer", ""),
        ("mixing_engineer", "Mixed By", ""),
    ]
    track = [
        (c.credited_name, c.role)
        for c in sample["releases/10"].credits
        if c.subject.value == "10:B2" and c.credited_name == "Jay Denes"
    ]
    assert track == [
        ("Jay Denes", "songwriter"),
        ("Jay Denes", "producer"),
        ("Jay Denes", "arranger"),
    ]


def test_michael_jackson_keeps_his_discogs_id(sample: dict[str, SourceRecord]) -> None:
    immortal = sample["releases/14220603"]
    mj = Ref(EntityKind.ARTIST, "discogs", "15885")
    assert ("Michael Jackson", mj) in {(a.name, a.ref) for a in immortal.artists}
    main = [c for c in immortal.credits if c.artist == mj and c.subject == release_ref(14220603)]
    assert [c.role for c in main] == ["main_artist"]
    # He is not among the 1,000 artist pages of the sample.
    assert all(r.record_id != "artists/15885" for r in records(dump.iter_artists(ARTISTS)))


def test_track_scoped_release_credits_keep_their_scope(sample: dict[str, SourceRecord]) -> None:
    record = sample["releases/1586330"]
    labels = [r.track_label or "" for r in record.recordings]
    engineer = next(c for c in record.credits if c.credited_name == "Jan Šaš")
    assert (engineer.role, engineer.subject, engineer.tracks) == (
        "engineer",
        release_ref(1586330),
        "A1, A3 to A5, B1 to B4",
    )
    scope = parse_track_scope(engineer.tracks, labels)
    covered = [
        r.track_label
        for r in record.recordings
        if scope.covers(r.track_label or "", r.track_position or 0)
    ]
    assert covered == ["A1", "A3", "A4", "A5", "B1", "B2", "B3", "B4"]
    # A release credit without a scope covers the whole release.
    assert next(c for c in record.credits if c.credited_name == "Dan Design").tracks == ""


def test_featured_artists_from_joins_and_roles(sample: dict[str, SourceRecord]) -> None:
    record = sample["releases/90"]
    billed = [
        (c.credited_name, c.role, c.raw_role)
        for c in record.credits
        if c.subject == release_ref(90)
    ]
    assert billed[:2] == [
        ("Critical Point", "main_artist", "Main"),
        ("Vikter Duplaix", "featured_artist", "Feat."),
    ]
    tejada = sample["releases/83"]
    assert on(tejada, "83:A2", "featured_artist") == ["Arian Leviste"]  # joined by "With"


def test_index_tracks_give_their_sub_tracks_and_credits(sample: dict[str, SourceRecord]) -> None:
    bach = sample["releases/4497810"]
    assert [r.track_label for r in bach.recordings][:5] == ["A1", "A2", "A3", "A4", "B1"]
    assert len(bach.recordings) == 17  # A1-A4, B1-B4, C1-C4, D1-D5
    bassoon = next(c for c in bach.credits if c.credited_name == "Karl Weihs")
    assert (bassoon.role, bassoon.detail, bassoon.tracks) == (
        "instrumentalist",
        "Bassoon",
        "A1 to A4",
    )
    # Headings ("This Side", "That Side") are not tracks.
    assert [r.track_label for r in sample["releases/25"].recordings] == ["A1", "A2", "B1", "B2"]


def test_repeated_positions_and_shared_barcodes(sample: dict[str, SourceRecord]) -> None:
    playbirds = sample["releases/9343067"]
    keys = [r.ref.value for r in playbirds.recordings]
    assert len(keys) == len(set(keys))
    # Two pressings of one LP print one barcode: the same UPC on both.
    upcs = {
        rid: [r.value for r in sample[rid].releases[0].also_known_as]
        for rid in ("releases/6084149", "releases/6084161")
    }
    assert upcs == {"releases/6084149": ["0829707951718"], "releases/6084161": ["0829707951718"]}


def test_missing_artist_ids_are_reported_with_release_name_and_role(
    sample: dict[str, SourceRecord],
) -> None:
    problems = [p for r in sample.values() for p in r.problems if p.kind == "unlinked_artist"]
    assert len(problems) == 19
    assert all(
        p.locator.startswith("discogs:releases/") and "credited as" in p.message for p in problems
    )


def all_roles(release: Release) -> Iterator[Credit]:
    yield from release["extraartists"]
    stack = list(release["tracklist"])
    while stack:
        track = stack.pop()
        yield from track["extraartists"]
        stack.extend(track["sub_tracks"])


def test_role_mapping_share_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    """At least 98% of role occurrences map to a canonical role; the rest are listed by count."""
    total, unmapped = 0, Counter[str]()
    for _, release in dump.iter_release_dicts(RELEASES):
        assert not isinstance(release, Problem)
        for credit in all_roles(release):
            for mapping in map_discogs_role(credit["role"]):
                total += 1
                if mapping.is_unmapped:
                    unmapped[mapping.raw] += 1
    share = 1 - sum(unmapped.values()) / total
    listing = ", ".join(f"{raw!r} x{n}" for raw, n in unmapped.most_common())
    with capsys.disabled():
        print(
            f"\nDiscogs sample: {total - sum(unmapped.values())}/{total} role occurrences "
            f"mapped ({share:.2%}); unmapped: {listing}"
        )
    assert total == 7824
    assert share >= 0.98, f"{share:.2%} mapped; unmapped by count: {listing}"


# -- artists, masters, labels ------------------------------------------------------------------


def test_artist_sample_instagram_urls_become_handles() -> None:
    artists = records(dump.iter_artists(ARTISTS))
    assert len(artists) == 1000
    instagram = {
        (r.artists[0].name, h.handle, h.quote)
        for r in artists
        for h in r.handles
        if h.platform.value == "instagram"
    }
    assert len(instagram) == 17
    assert {
        ("Josh Wink", "joshwink1", "http://instagram.com/joshwink1"),
        ("Mood II Swing", "mood_ii_swing", "https://instagram.com/mood_ii_swing"),
        ("Aphex Twin", "instaphex", "http://www.instagram.com/instaphex"),
        ("Ian Pooley", "ianpooley.ofc", "http://www.instagram.com/ianpooley.ofc"),
        ("Cøncenträte", "concentrate_official", "https://www.instagram.com/concentrate_official/"),
    } <= instagram
    handles = [h for r in artists for h in r.handles]
    assert all(h.evidence.value == "source_field" and h.confidence == 0.9 for h in handles)
    assert all(h.note == "Discogs artist urls" for h in handles)
    assert Counter(h.platform.value for h in handles) == {
        "instagram": 17,
        "twitter": 28,
        "facebook": 44,
    }
    # Facebook page URLs (/pages/..., profile.php?id=) name no handle: reported, not stored.
    problems = [p for r in artists for p in r.problems]
    assert len(problems) == 10 and {p.kind for p in problems} == {"invalid_handle"}


def test_artist_sample_names_kinds_and_members() -> None:
    by_id = {r.record_id: r for r in records(dump.iter_artists(ARTISTS))}
    persuader = by_id["artists/1"].artists[0]
    assert persuader.name == "The Persuader"
    assert ("Jesper Dahlbäck", "legal") in {(a.name, a.kind) for a in persuader.aliases}
    duo, *members = by_id["artists/2"].artists
    assert duo.kind is ArtistKind.GROUP
    assert [m.value for m in duo.members] == ["26", "27"]
    assert [m.name for m in members] == ["Alexi Delano", "Cari Lekebusch"]
    suffixed = next(r.artists[0] for r in by_id.values() if r.artists[0].disambiguation)
    assert suffixed.disambiguation.startswith("Discogs (")


def test_masters_become_grouping_facts_on_their_main_release() -> None:
    masters = records(dump.iter_masters(MASTERS))
    assert len(masters) == 1000
    first = masters[0]
    assert first.record_id == "masters/113"
    assert [(f.subject, f.kind, f.value) for f in first.facts] == [
        (release_ref(116925), "discogs_master", "113")
    ]


def test_labels_are_plain_descriptions() -> None:
    labels = [label for _, label in dump.iter_labels(LABELS)]
    assert len(labels) == 1000
    svek = next(label for label in labels if not isinstance(label, Problem) and label["id"] == 5)
    assert not isinstance(svek, Problem)
    assert svek["parent"] == {"id": 4711, "name": "Goldhead Music"}


def test_single_examples() -> None:
    (release,) = records(dump.iter_releases(DUMP / "single_release.xml.gz"))
    # Track 1 has sub-tracks (11.a-11.c): parts of track 1, not tracks of their own.
    assert [r.track_label for r in release.recordings][:2] == ["1", "2"]
    assert on(release, "3:1", "producer") == ["Chris Lum"]
    (artist,) = records(dump.iter_artists(DUMP / "single_artist.xml.gz"))
    main = artist.artists[0]
    assert (main.name, main.kind, len(main.members)) == ("Cari Lekebusch", ArtistKind.GROUP, 2)
    (master,) = records(dump.iter_masters(DUMP / "single_master.xml.gz"))
    assert master.facts[0].subject == release_ref(85912)
    ((_, label),) = list(dump.iter_labels(DUMP / "single_label.xml.gz"))
    assert not isinstance(label, Problem)
    assert len(label["sublabels"]) == 8 and label["sublabels"][0]["name"] == "Antidote (4)"


# -- streaming: resume, bounded memory, broken files -------------------------------------------


def test_after_skips_elements_already_ingested() -> None:
    tail = list(dump.iter_releases(RELEASES, after=797))
    assert [n for n, _ in tail] == [798, 799, 800]
    assert all(isinstance(r, SourceRecord) for _, r in tail)


def test_memory_stays_bounded_while_streaming() -> None:
    most = 0
    for number, element in dump.iter_elements(RELEASES, "release"):
        assert not isinstance(element, Problem)
        # Everything before it was freed: at most the previous element, emptied, remains.
        previous = element.getprevious()
        assert previous is None or (len(previous) == 0 and previous.getprevious() is None), number
        parent = element.getparent()
        assert parent is not None
        most = max(most, len(parent))
    # What remains is the current element and those lxml has read ahead (one input chunk).
    assert most < 50


def _decompressed() -> bytes:
    return gzip.decompress(RELEASES.read_bytes())


def test_truncated_download_yields_what_came_before_then_a_problem(tmp_path: Path) -> None:
    raw = RELEASES.read_bytes()
    cut = tmp_path / "discogs_20200806_releases.xml.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    items = list(dump.iter_releases(cut))
    *good, (number, problem) = items
    assert all(isinstance(r, SourceRecord) for _, r in good) and len(good) > 300
    assert isinstance(problem, Problem) and problem.kind == "truncated_file"
    assert number == len(good) + 1
    assert problem.locator == f"discogs_20200806_releases.xml:element {number}"
    assert (
        "discogs_20200806_releases.xml" in problem.message
        and f"element {number}" in problem.message
    )


def test_broken_xml_yields_what_came_before_then_a_problem_with_the_line(tmp_path: Path) -> None:
    raw = _decompressed()
    starts = [i for i in range(len(raw)) if raw.startswith(b"<release ", i)][:12]
    where = starts[10]  # before the 11th release: an element that never closes its title
    data = raw[:where] + b'<release id="x"><title>unclosed</release>\n' + raw[where:]
    line = raw[:where].count(b"\n") + 1
    broken = tmp_path / "broken.xml.gz"
    broken.write_bytes(gzip.compress(data))
    items = list(dump.iter_releases(broken))
    assert [n for n, _ in items] == list(range(1, 12))
    assert all(isinstance(r, SourceRecord) for _, r in items[:10])
    problem = items[-1][1]
    assert isinstance(problem, Problem) and problem.kind == "bad_xml"
    assert problem.locator == "broken.xml:element 11"
    assert (
        f"line {line}" in problem.message and "10 elements before it were read" in problem.message
    )


def test_corrupt_gzip_data_is_reported(tmp_path: Path) -> None:
    raw = bytearray(RELEASES.read_bytes())
    middle = len(raw) // 2
    raw[middle : middle + 64] = bytes(64)
    corrupt = tmp_path / "corrupt.xml.gz"
    corrupt.write_bytes(bytes(raw))
    *good, (_, problem) = list(dump.iter_releases(corrupt))
    assert good and all(isinstance(r, SourceRecord) for _, r in good)
    assert isinstance(problem, Problem) and problem.kind in {"truncated_file", "bad_xml"}


def test_element_that_breaks_the_record_rules_is_skipped(tmp_path: Path) -> None:
    # Elements in the dump's own shape: one fine, one without a title, one without an id, and
    # one with a field we do not know (ignored).
    body = (
        b'<releases><release id="1"><title>Fine</title></release>'
        b'<release id="2"><title/></release><release><title>no id</title></release>'
        b'<release id="4"><title>Also fine</title><unknown_field>x</unknown_field></release>'
        b"</releases>"
    )
    path = tmp_path / "few.xml"
    path.write_bytes(body)
    kinds = [(n, type(item).__name__) for n, item in dump.iter_releases(path, retrieved_at="t")]
    assert kinds == [(1, "SourceRecord"), (2, "Problem"), (3, "Problem"), (4, "SourceRecord")]


# -- into the catalog --------------------------------------------------------------------------


def _subset(tmp_path: Path, ids: set[str]) -> Path:
    """A smaller dump with some of the sample's releases, as the real file writes them."""
    kept = [
        etree.tostring(element)
        for _, element in etree.iterparse(io.BytesIO(_decompressed()), tag="release")
        if element.get("id") in ids
    ]
    path = tmp_path / "discogs_20200806_releases.xml.gz"
    path.write_bytes(gzip.compress(b"<releases>\n" + b"\n".join(kept) + b"\n</releases>\n"))
    return path


def test_ingested_release_shows_executive_producers_apart_from_track_producers(
    tmp_path: Path, new_catalog: NewCatalog
) -> None:
    path = _subset(tmp_path, {"9343063", "14220603", "1586330"})
    catalog = Catalog.open(new_catalog("c"))
    try:
        stream = Stream("discogs/releases", "v1", lambda after: dump.iter_releases(path, after))
        report = ingest(catalog.db, stream)
        assert (report.written, report.position) == (3, 3)
        duets_id = find_by_ref(catalog.db, release_ref(9343063))
        assert duets_id is not None
        duets = release_credits(catalog.db, duets_id)
        executive = [c.name for c in duets.release_credits if c.role == "executive_producer"]
        assert sorted(executive) == ["Elton John", "Ray Cooper", "Steve Brown"]
        assert not any(c.role == "producer" for c in duets.release_credits)
        first = duets.tracks[0]
        assert [c.name for c in first.credits if c.role == "producer"] == ["Greg Penny"]
        assert ingest(catalog.db, stream).already_done
    finally:
        catalog.close()
