"""Discogs releases and masters -> source records (from the internal shape in discogs_types).

A release states: its title, formats, date, barcodes, labels and companies; its main artists
(joined by words such as "&" or "Feat."); release-level credits (`extraartists`), each with a
free-text role list and an optional `tracks` scope; and a tracklist whose tracks have their own
artists and credits. Headings ("Side A") are not tracks; an index track groups sub-tracks, which
are the tracks (its own credits apply to each); a numbered track's sub-tracks are parts of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from linernotes.normalize.discogs_artist import (
    NAMESPACE,
    SOURCE,
    artist_ref,
    display_name,
    label_ref,
    named_artist,
    require_id,
    require_text,
    split_name,
)
from linernotes.normalize.fold import fold_artist
from linernotes.normalize.records import (
    ArtistRecord,
    CreditRecord,
    EntityKind,
    FactRecord,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseKind,
    ReleaseRecord,
    SourceRecord,
)
from linernotes.normalize.role_maps import RoleMapping, map_discogs_role
from linernotes.normalize.roles import UNMAPPED, loose_key
from linernotes.normalize.track_scope import parse_track_scope
from linernotes.sources.discogs_types import Company, Credit, Master, Release, Track

TRACK_NAMESPACE = "discogs_track"  # f"{release_id}:{position}": a key local to Discogs
MASTER_FACT = "discogs_master"  # a grouping of releases: a fact, never an identity link
MAIN_ROLE = "Main"  # Discogs' own word for a release's main artists (artist release lists)

# Join words after which the following artists are featured, not main ("A Feat. B & C").
_FEATURING_JOINS = frozenset(
    loose_key(word)
    for word in (
        "Feat.", "Feat", "Featuring", "Ft.", "Ft", "With", "With The",
        "Special Guest Appearance By", "Guest",
    )
)  # fmt: skip

# Format descriptions that say what kind of release it is, strongest first: a compilation
# album is a compilation, a mixtape released as an album is a mixtape.
_KIND_BY_DESCRIPTION: tuple[tuple[str, ReleaseKind], ...] = (
    ("mixtape", ReleaseKind.MIXTAPE),
    ("compilation", ReleaseKind.COMPILATION),
    ("album", ReleaseKind.ALBUM),
    ("mini-album", ReleaseKind.EP),
    ("ep", ReleaseKind.EP),
    ("single", ReleaseKind.SINGLE),
    ("maxi-single", ReleaseKind.SINGLE),
)

# Placeholder labels Discogs uses for self-released records: not a company.
_NO_LABEL = re.compile(r"^Not On Label\b", re.IGNORECASE)
_RELEASED = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DURATION = re.compile(r"(?:(\d+):)?(\d+):(\d{1,2})")

# Names Discogs credits without linking them to an artist page: a Discogs-local key.
UNLINKED = "discogs_unlinked"


# -- small field parsers ---------------------------------------------------------------------


def release_date(text: str) -> str | None:
    """ "1999-07-13" stays, "1998-06-00" -> "1998-06", "1999-00-00" and "1999" -> "1999"."""
    match = _RELEASED.fullmatch(text.strip())
    if not match or match.group(1) == "0000":
        return None
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return f"{year:04d}"  # an impossible month or day: keep what is certain
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def release_kind(descriptions: Iterable[str]) -> ReleaseKind:
    stated = {d.strip().casefold() for d in descriptions}
    return next((kind for key, kind in _KIND_BY_DESCRIPTION if key in stated), ReleaseKind.UNKNOWN)


def barcode_to_upc(value: str) -> str | None:
    """A UPC-A (12) or EAN-13 barcode with a valid check digit, as 13 digits; else None.

    Discogs writes barcodes as printed ("0 74646 36282 2", "7 961220 922684 >"). 12-digit UPCs
    get a leading 0 so one product has one value however a source writes it.
    """
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) not in (12, 13):
        return None
    body, check = digits[:-1], int(digits[-1])
    weighted = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return digits.zfill(13) if (10 - weighted % 10) % 10 == check else None


@lru_cache(maxsize=4096)  # a dump repeats a few thousand durations ("3:45") millions of times
def duration_ms(text: str) -> int | None:
    """ "3:45" -> 225000, "1:02:03" -> 3723000; anything else -> None."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 or None


# One part of a role list, ready to credit: (role or None for a fact, raw text, detail, fact kind).
_Part = tuple[str | None, str, str, str]


@lru_cache(maxsize=8192)
def _role_parts(text: str) -> tuple[_Part, ...]:
    """Map a role list once: role strings repeat endlessly ("Written-By", "Producer")."""
    return tuple(_part(mapping) for mapping in map_discogs_role(text))


def _part(mapping: RoleMapping) -> _Part:
    detail = mapping.detail or ""
    if mapping.uncredited:  # the person did it but the sleeve does not say so
        detail = f"{detail} (uncredited)" if detail else "uncredited"
    # A company or place credited like a person is a fact; an unknown one stays a "company".
    return mapping.role, mapping.raw, detail, mapping.fact or "company"


# -- the tracklist ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """A real track: its position text, and the credits that apply to it."""

    label: str
    title: str
    duration: str
    artists: list[Credit]
    extraartists: list[Credit]


def _rows(tracklist: list[Track]) -> list[_Row]:
    rows: list[_Row] = []
    for track in tracklist:
        if track["kind"] == "index":
            rows.extend(_sub_rows(track))
        elif track["kind"] == "track":
            parts = [c for sub in track["sub_tracks"] for c in sub["extraartists"]]
            rows.append(_row(track, track["artists"], track["extraartists"] + parts))
    if not rows:
        # No numbered track at all: the rows Discogs left unnumbered are the tracks.
        rows = [_row(t, t["artists"], t["extraartists"]) for t in tracklist if t["title"]]
    return rows


def _sub_rows(index: Track) -> list[_Row]:
    return [
        _row(sub, sub["artists"] or index["artists"], index["extraartists"] + sub["extraartists"])
        for sub in index["sub_tracks"]
    ]


def _row(track: Track, artists: list[Credit], extraartists: list[Credit]) -> _Row:
    return _Row(track["position"].strip(), track["title"], track["duration"], artists, extraartists)


def _track_keys(release_id: int, rows: list[_Row]) -> list[str]:
    """f"{release}:{position}", made unique where Discogs repeats or omits a position."""
    keys: list[str] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        key = f"{release_id}:{row.label}" if row.label else f"{release_id}:#{index}"
        if key in seen:
            key = f"{key}#{index}"
        seen.add(key)
        keys.append(key)
    return keys


# -- the builder -----------------------------------------------------------------------------

# A main or featured artist: (artist, role, raw role, name as credited, position).
_Billed = tuple[Ref, str, str, str, int]


def _credited_name(credit: Credit) -> str:
    return credit["anv"] or display_name(credit["name"])


@dataclass(slots=True)
class _Builder:
    record: SourceRecord
    release_id: int
    artists: dict[int | str, ArtistRecord] = field(default_factory=dict)
    unknown_roles: dict[str, None] = field(default_factory=dict)  # ordered set

    @property
    def locator(self) -> str:
        return f"{SOURCE}:{self.record.record_id}"

    def problem(self, kind: str, message: str) -> None:
        self.record.problems.append(Problem(self.locator, kind, message))

    def artist(self, credit: Credit, role: str) -> Ref | None:
        """The credited artist's ref. Discogs also credits names it links to no artist page:
        those are kept under a Discogs-local name key (attached to the one catalog artist of
        that name, if there is exactly one), and reported."""
        if credit["id"] > 0:
            return artist_ref(credit["id"])
        name = split_name(credit["name"])[0]
        if not name:
            self.problem(
                "missing_artist",
                f"release {self.release_id}: a {role!r} credit names nobody; skipped",
            )
            return None
        self.problem(
            "unlinked_artist",
            f"release {self.release_id}: {credit['name']!r} credited as {role!r} has no "
            "Discogs artist page; kept by name",
        )
        return Ref(EntityKind.ARTIST, UNLINKED, fold_artist(name))

    def remember(self, credit: Credit) -> None:
        if credit["id"] > 0:
            if credit["id"] not in self.artists:
                self.artists[credit["id"]] = named_artist(credit)
            return
        name = split_name(credit["name"])[0]
        key = fold_artist(name)
        if name and key not in self.artists:
            ref = Ref(EntityKind.ARTIST, UNLINKED, key)
            self.artists[key] = ArtistRecord(ref, name)

    def billing(self, credits: list[Credit]) -> list[_Billed]:
        """Main and featured artists in billing order; a "Feat." join makes the rest featured.

        Worked out once per list, then credited on the release and on each track that has no
        artists of its own.
        """
        billed: list[_Billed] = []
        featured, raw = False, MAIN_ROLE
        for position, credit in enumerate(credits):
            ref = self.artist(credit, raw)
            if ref is not None:
                self.remember(credit)
                role = "featured_artist" if featured else "main_artist"
                billed.append((ref, role, raw, _credited_name(credit), position))
            join = credit["join"]
            if join and loose_key(join) in _FEATURING_JOINS:
                featured, raw = True, join
        return billed

    def bill(self, billed: list[_Billed], subject: Ref) -> None:
        self.record.credits.extend(
            [
                CreditRecord(ref, subject, role, raw, name, "", "", position)
                for ref, role, raw, name, position in billed
            ]
        )

    def role_credits(
        self, credits: list[Credit], subject: Ref, labels: list[str] | None = None
    ) -> None:
        """Credits with role lists, one per part; `labels` (the release's track labels) marks
        release-level credits, the only ones whose `tracks` scope means something."""
        out, facts = self.record.credits, self.record.facts
        for position, credit in enumerate(credits):
            parts = _role_parts(credit["role"])
            if not parts:
                self.problem(
                    "empty_role",
                    f"release {self.release_id}: {credit['name']!r} is credited with no role; "
                    "credit skipped",
                )
                continue
            ref = self.artist(credit, credit["role"])
            if ref is None:
                continue
            tracks = self.scope(credit, labels) if labels is not None and credit["tracks"] else ""
            name = _credited_name(credit)
            remembered = False
            for role, raw, detail, fact in parts:
                if role is None:
                    facts.append(FactRecord(subject, fact, name, raw, ref))
                    continue
                if role == UNMAPPED:
                    self.unknown_roles.setdefault(raw)
                if not remembered:  # the artist joins the record with its first credit
                    self.remember(credit)
                    remembered = True
                out.append(CreditRecord(ref, subject, role, raw, name, detail, tracks, position))

    def scope(self, credit: Credit, labels: list[str]) -> str:
        """The scope text to keep: "" for the whole release; unreadable text is kept, reported."""
        text = credit["tracks"].strip()
        if not text:
            return ""
        scope = parse_track_scope(text, labels)
        if scope.all_tracks:
            return ""
        if scope.unparsed:
            self.problem(
                "unparsed_track_scope",
                f"release {self.release_id}: {credit['name']!r} ({credit['role']}) on tracks "
                f"{text!r}: {scope.reason}; kept as a release credit with the text as written",
            )
        return text


def release_record(release: Release, retrieved_at: str) -> SourceRecord:
    """Everything one Discogs release states, as a source record."""
    release_id = require_id(release["id"], "release")
    record = SourceRecord(SOURCE, f"releases/{release_id}", retrieved_at)
    subject = Ref(EntityKind.RELEASE, NAMESPACE, str(release_id))
    record.releases.append(_release(release, subject))
    builder = _Builder(record, release_id)
    rows = _rows(release["tracklist"])
    labels = [row.label for row in rows]
    release_billing = builder.billing(release["artists"])
    builder.bill(release_billing, subject)
    builder.role_credits(release["extraartists"], subject, labels)
    for index, (row, key) in enumerate(zip(rows, _track_keys(release_id, rows), strict=True)):
        track = Ref(EntityKind.RECORDING, TRACK_NAMESPACE, key)
        duration = duration_ms(row.duration)
        label = row.label or None
        record.recordings.append(
            RecordingRecord(track, row.title, None, duration, [], subject, index + 1, label)
        )
        builder.bill(builder.billing(row.artists) if row.artists else release_billing, track)
        builder.role_credits(row.extraartists, track)
    record.facts.extend(_company_facts(release, subject))
    record.artists.extend(builder.artists.values())
    for raw in builder.unknown_roles:
        builder.problem(
            "unknown_role", f"Discogs role {raw!r} is not in our table; kept as written"
        )
    return record


def _release(release: Release, subject: Ref) -> ReleaseRecord:
    upcs = dict.fromkeys(
        upc
        for identifier in release["identifiers"]
        if identifier["type"].casefold() == "barcode"
        and (upc := barcode_to_upc(identifier["value"]))
    )
    return ReleaseRecord(
        subject,
        require_text(release["title"], "release title"),
        release_kind(d for f in release["formats"] for d in f["descriptions"]),
        release_date(release["released"]),
        also_known_as=[Ref(EntityKind.RELEASE, "upc", upc) for upc in upcs],
    )


def _company_facts(release: Release, subject: Ref) -> list[FactRecord]:
    facts: list[FactRecord] = []
    seen: set[tuple[str, int, str]] = set()
    for company in release["labels"] + release["companies"]:
        fact = _company_fact(company, subject)
        if fact is not None and (fact.kind, company["id"], fact.value) not in seen:
            seen.add((fact.kind, company["id"], fact.value))
            facts.append(fact)
    if release["master_id"] > 0:
        facts.append(FactRecord(subject, MASTER_FACT, str(release["master_id"]), "master_id"))
    return facts


def _company_fact(company: Company, subject: Ref) -> FactRecord | None:
    name = display_name(company["name"])
    if not name or _NO_LABEL.match(name):
        return None
    org = label_ref(company["id"]) if company["id"] > 0 else None
    if company["role"] == "Label":
        return FactRecord(subject, "label", name, "label", org)
    # Companies are facts whatever their role; a type our table lacks is a "company" fact that
    # keeps its raw text.
    kind = next((fact for role, _, _, fact in _role_parts(company["role"]) if role is None), None)
    return FactRecord(subject, kind or "company", name, company["role"], org)


# -- masters ---------------------------------------------------------------------------------


def master_record(master: Master, retrieved_at: str) -> SourceRecord:
    """A master groups the versions of one release; it says which release is the main one.

    We have no release-group entity, so the master becomes the grouping fact on its main
    release (the fact each release's own `master_id` also gives).
    """
    master_id = require_id(master["id"], "master")
    record = SourceRecord(SOURCE, f"masters/{master_id}", retrieved_at)
    if master["main_release"] > 0:
        main = Ref(EntityKind.RELEASE, NAMESPACE, str(master["main_release"]))
        record.facts.append(FactRecord(main, MASTER_FACT, str(master_id), "main_release"))
    else:
        record.problems.append(
            Problem(f"{SOURCE}:{record.record_id}", "bad_record", "master has no main release")
        )
    return record
