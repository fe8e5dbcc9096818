"""Candidates from the sources' search answers, and choosing the one record the user means.

Each source's search answer becomes a list of `Candidate`s in one shape (the converters are pure
functions of the parsed JSON). `score` says how well a candidate fits what the user wants, and
`best` picks the one to fetch, or none: a look-up that fetched the wrong record would show
someone else's credits, so a doubtful candidate is refused rather than taken.

Two ways to fit:
- free text (what the user typed, "24k magic bruno mars"): how many typed words the candidate's
  title and artists explain, in any order, with typos and a half-typed last word forgiven;
- title and artist (once a first source identified the record): the titles' similarity after
  `resolve.titles` folding ("24K Magic" = "24k magic", "(feat. X)" ignored) AND the artists'
  overlap, so a same-titled song by someone else is refused.
Either way a version ("remix", "live", "acoustic", ...) on one side only sinks the score: a remix
is another recording, with other credits. Radio edits and remasters are the same recording
(`resolve.titles` drops those notes), so they do not count as versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from linernotes.ingest.live import Target
from linernotes.normalize import musicbrainz_search as mbs
from linernotes.normalize.fold import fold, fold_artist
from linernotes.normalize.genius_album import parse_search
from linernotes.normalize.records import PayloadError
from linernotes.normalize.spotify import (
    SpotifyCandidate,
    normalize_upc,
    raise_for_error,
    search_candidates,
)
from linernotes.resolve.titles import title_key
from linernotes.search.fuzzy import how_word_matches

SONG, ALBUM, ARTIST = "song", "album", "artist"

# The least score `best` takes, and why 0.75:
# - free text scores 0.85 x (share of typed words explained) + 0.15 x (share of the title typed).
#   A candidate explaining every typed word scores 0.85 to 1. With one typed word in four
#   unexplained it scores 0.64 to 0.79, so it passes only when most of its title was typed (a
#   word no source has, "24k magic bruno mars deluxe", is forgiven); with one in three or fewer
#   unexplained it scores at most 0.72 and is refused ("24k magic drake" is not Bruno Mars's
#   "24K Magic"). Connectives ("by") and same-recording words ("radio edit", a year) cost nothing.
# - title and artist known: the product of the two similarities, so both must be close (0.87
#   each, or one exact and the other 0.75): names from a source are written nearly alike at the
#   others, and a same title by another artist (similarity well under 0.75) always fails.
AT_LEAST = 0.75
# `best` refuses when a different record scores within this of the best one.
AMBIGUOUS_MARGIN = 0.05
# Two credits name the same artist from this similarity (the folded names differ by a letter).
SAME_ARTIST = 0.9
# What a version on one side only multiplies a score by: at most 0.5, always under AT_LEAST.
VERSION_PENALTY = 0.5
# In free text: the weight of the typed words the candidate explains; the rest goes to how much
# of the candidate's title was typed (so "magic" prefers "Magic" to "24K Magic").
COVERAGE_WEIGHT = 0.85
# What a typed word earns by how it matched a word of the candidate (`search.fuzzy`).
WORD_CREDIT: Mapping[str, float] = {"exact": 1.0, "prefix": 0.9, "typo": 0.8}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One search hit of one source, in one shape whatever the source."""

    source: str  # genius, musicbrainz, discogs, spotify
    what: str  # song | album | artist
    key: str  # the source's id, as `ingest.live.Target` fetches it
    fetch_kind: str  # the kind `ingest.live.SOURCES` fetches: song, recording, track, master...
    title: str  # the song's or album's title, or the artist's name
    artists: tuple[str, ...] = ()
    album: str = ""  # for a song: an album it is on
    date: str | None = None
    isrc: str | None = None
    upc: str | None = None
    formats: tuple[str, ...] = ()  # Discogs: CD, Vinyl, File, ...

    @property
    def target(self) -> Target:
        return Target(self.source, self.fetch_kind, self.key)

    def __str__(self) -> str:
        by = f" by {', '.join(self.artists)}" if self.artists else ""
        return f"{self.source} {self.fetch_kind} {self.key}: {self.title}{by}"


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the user means: the text as typed, and once a first source identified the record,
    its title and artist. `what` (song | album | artist) keeps other kinds of hit out."""

    text: str = ""
    title: str | None = None
    artist: str | None = None
    what: str | None = None

    def identified(self, found: Candidate) -> Wanted:
        """The same want, now knowing the record's title and artists from a first source."""
        artist = " & ".join(found.artists) or None
        return Wanted(self.text, found.title, artist, self.what or found.what)


# -- converters: one source's search answer -> candidates -------------------------------------


def from_genius(payload: Mapping[str, Any]) -> list[Candidate]:
    """GET /search (songs only: Genius's search finds songs)."""
    return [
        Candidate(
            "genius",
            SONG,
            str(hit.genius_id),
            "song",
            hit.title,
            (hit.artist,) if hit.artist else (),
            date=hit.release_date,
        )
        for hit in parse_search(payload)
    ]


_SPOTIFY_KINDS: Mapping[str, tuple[str, str]] = {
    "track": (SONG, "track"),
    "album": (ALBUM, "album"),
    "artist": (ARTIST, "artist"),
}


def from_spotify(payload: Mapping[str, Any]) -> list[Candidate]:
    """GET /v1/search: tracks, then albums, then artists, each in Spotify's order."""
    if not isinstance(payload, Mapping):
        raise PayloadError(f"not a Spotify search answer: a {type(payload).__name__}")
    raise_for_error(payload)
    if not any(isinstance(payload.get(g), Mapping) for g in ("tracks", "albums", "artists")):
        raise PayloadError("not a Spotify search answer: no tracks, albums or artists page")
    return [_spotify(hit) for hit in search_candidates(payload) if hit.kind in _SPOTIFY_KINDS]


def _spotify(hit: SpotifyCandidate) -> Candidate:
    what, kind = _SPOTIFY_KINDS[hit.kind]
    return Candidate(
        "spotify", what, hit.id, kind, hit.name, hit.artists, hit.album, hit.date, hit.isrc, hit.upc
    )


def from_musicbrainz(payload: Mapping[str, Any]) -> list[Candidate]:
    """A recording search or a release search (GET /ws/2/recording|release?query=&fmt=json)."""
    return [
        _mb_recording(hit) if isinstance(hit, mbs.RecordingHit) else _mb_release(hit)
        for hit in mbs.hits_of(payload)
    ]


def _mb_recording(hit: mbs.RecordingHit) -> Candidate:
    # MusicBrainz says "live", "acoustic" in a recording's disambiguation, not its title: put it
    # where title folding sees versions.
    title = f"{hit.title} ({hit.disambiguation})" if hit.disambiguation else hit.title
    on = hit.first_release
    return Candidate(
        "musicbrainz",
        SONG,
        hit.id,
        "recording",
        title,
        hit.artists,
        album=on.title if on else "",
        date=hit.first_release_date or (on.date if on else None),
        isrc=hit.isrcs[0] if hit.isrcs else None,
    )


def _mb_release(hit: mbs.ReleaseHit) -> Candidate:
    return Candidate(
        "musicbrainz",
        ALBUM,
        hit.id,
        "release",
        hit.title,
        hit.artists,
        date=hit.date,
        upc=normalize_upc(hit.barcode) if hit.barcode else None,
    )


_DISCOGS_KINDS: Mapping[str, tuple[str, str]] = {
    "release": (ALBUM, "release"),
    "master": (ALBUM, "master"),
    "artist": (ARTIST, "artist"),
}
# "Steve Mac (2)": Discogs numbers artists of the same name; "Trash80*": credited by a variation.
_DISCOGS_MARKS = re.compile(r"\s\(\d+\)(?=$|\s|,)|\*(?=$|\s|,)")


def from_discogs(payload: Mapping[str, Any]) -> list[Candidate]:
    """GET /database/search: releases and masters ("Artist - Title") and artists, in order.
    Labels are left out: nothing to look up credits on."""
    rows = payload.get("results") if isinstance(payload, Mapping) else None
    if not isinstance(rows, list):
        raise PayloadError("not a Discogs search answer: no results list")
    found: list[Candidate] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise PayloadError(f"Discogs search result {number} is not an object")
        if row.get("type") in _DISCOGS_KINDS:
            found.append(_discogs(row, number))
    return found


def _discogs(row: Mapping[str, Any], number: int) -> Candidate:
    what, kind = _DISCOGS_KINDS[str(row["type"])]
    key, shown = row.get("id"), row.get("title")
    if not isinstance(key, int) or isinstance(key, bool) or key < 1:
        raise PayloadError(f"Discogs search result {number} has no id (got {key!r:.40})")
    if not isinstance(shown, str) or not shown.strip():
        raise PayloadError(f"Discogs search result {number} has no title (got {shown!r:.40})")
    if what == ARTIST:
        return Candidate("discogs", what, str(key), kind, _discogs_name(shown))
    # An artist name rarely holds " - ", a title often does ("Icarus - Remixes"): split once.
    artist, dash, title = shown.partition(" - ")
    year = str(row.get("year") or "").strip()
    return Candidate(
        "discogs",
        what,
        str(key),
        kind,
        title.strip() if dash else shown.strip(),
        (_discogs_name(artist),) if dash else (),
        date=year if year.isdigit() and year != "0" else None,
        upc=_first_barcode(row.get("barcode")),
        formats=tuple(f for f in row.get("format") or [] if isinstance(f, str)),
    )


def _discogs_name(raw: str) -> str:
    return _DISCOGS_MARKS.sub("", raw).strip()


def _first_barcode(value: object) -> str | None:
    """Discogs lists every code printed on the release, text included: the first that is a UPC."""
    for raw in value if isinstance(value, list) else []:
        code = normalize_upc(str(raw)) if isinstance(raw, (str, int)) else None
        if code:
            return code
    return None


# -- choosing ---------------------------------------------------------------------------------


def score(wanted: Wanted, candidate: Candidate) -> float:
    """How well the candidate is the record wanted, from 0 (not it) to 1."""
    if wanted.what and candidate.what != wanted.what:
        return 0.0
    if wanted.title:
        if candidate.what == ARTIST:
            return 0.0  # a record is wanted, and this is a person
        return _title_similarity(wanted.title, candidate.title) * (
            _artist_similarity(wanted.artist, candidate.artists) if wanted.artist else 1.0
        )
    if wanted.artist:
        # Only an artist is known: only an artist can be it.
        if candidate.what != ARTIST:
            return 0.0
        return _artist_similarity(wanted.artist, (candidate.title,))
    return _free_text(wanted.text, candidate)


def ranked(wanted: Wanted, candidates: Iterable[Candidate]) -> list[tuple[float, Candidate]]:
    """Candidates with their scores, best first; equal scores keep the sources' order."""
    scored = [(score(wanted, c), c) for c in candidates]
    return sorted(scored, key=lambda pair: -pair[0])


def best(
    wanted: Wanted, candidates: Iterable[Candidate], at_least: float = AT_LEAST
) -> Candidate | None:
    """The candidate meant, or None: when none scores at least `at_least` (see AT_LEAST), or
    when another record scores as well (two songs called "Thief" by different bands, for
    "thief": the words cannot tell which, and fetching either could show the wrong credits)."""
    found = ranked(wanted, candidates)
    if not found or found[0][0] < at_least:
        return None
    top_score, top = found[0]
    for other_score, other in found[1:]:
        if top_score - other_score >= AMBIGUOUS_MARGIN:
            break
        if not same_record(top, other):
            return None
    return top


def same_record(one: Candidate, other: Candidate) -> bool:
    """Whether two hits name the same record: the same title (folded, same version) by the
    same artists. Two releases of one album, or a song at two sources, are the same record."""
    mine, theirs = title_key(one.title), title_key(other.title)
    if (mine.base, mine.version) != (theirs.base, theirs.version):
        return False
    if not one.artists or not other.artists:
        return one.artists == other.artists
    return _artist_similarity(" & ".join(one.artists), other.artists) >= SAME_ARTIST


# -- title and artist known -------------------------------------------------------------------


def _title_similarity(wanted: str, title: str) -> float:
    want, have = title_key(wanted), title_key(title)
    similarity = fuzz.ratio(want.base, have.base) / 100
    return similarity * VERSION_PENALTY if want.version != have.version else similarity


# Where one artist's name ends and another's begins in a folded credit ("&" folds to "and").
_CREDIT_JOINS = re.compile(r"\s(?:and|feat|ft|featuring|with|x|vs)\s")


def _artist_similarity(wanted: str, artists: Sequence[str]) -> float:
    """The closest pair of names, one wanted and one credited, as whole names: "Mars" is not
    "Bruno Mars". Credits are split where names join ("A & B feat. C"), and also kept whole
    ("Earth, Wind & Fire")."""
    have = {part for artist in artists for part in _names(artist)}
    return max(
        (fuzz.ratio(w, h) / 100 for w in _names(wanted) for h in have),
        default=0.0,
    )


@lru_cache(maxsize=4096)
def _names(credit: str) -> frozenset[str]:
    whole = fold_artist(credit)
    parts = {fold_artist(p) for p in _CREDIT_JOINS.split(f" {whole} ")}
    return frozenset(p for p in {whole, *parts} if p)


# -- free text ----------------------------------------------------------------------------------


def _free_text(text: str, candidate: Candidate) -> float:
    typed = list(dict.fromkeys(fold(text).split()))
    if not typed:
        return 0.0
    words = fold(" ".join((candidate.title, *candidate.artists))).split()
    own = _title_words(candidate)
    credits = [_credit(w, words, last=i == len(typed) - 1) for i, w in enumerate(typed)]
    # A typed "by", "radio edit" or "2016" that the candidate lacks costs nothing: the last two
    # name the same recording (`resolve.titles`), so they may well be missing from its title.
    counted = [c for w, c in zip(typed, credits, strict=True) if c or not _is_noise(w)]
    if not counted:
        return 0.0
    coverage = sum(counted) / len(counted)
    typed_share = sum(1 for w in own if _credit(w, typed, last=False)) / max(len(own), 1)
    found = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * typed_share
    if _typed_versions(typed, own) != _versions(candidate):
        found *= VERSION_PENALTY
    return found


def _credit(word: str, words: Sequence[str], *, last: bool) -> float:
    """What one typed word earns: its best match among the candidate's words."""
    hows = (how_word_matches(word, w, may_be_prefix=last) for w in words)
    return max((WORD_CREDIT[h] for h in hows if h), default=0.0)


def _title_words(candidate: Candidate) -> list[str]:
    if candidate.what == ARTIST:
        return fold(candidate.title).split()
    return title_key(candidate.title).base.split()


def _versions(candidate: Candidate) -> frozenset[str]:
    """The kinds of version the candidate's title names ("remix kygo" -> "remix")."""
    if candidate.what == ARTIST:
        return frozenset()
    return frozenset(_word_version(tag.split()[0]) for tag in title_key(candidate.title).version)


def _typed_versions(typed: Sequence[str], title_words: Sequence[str]) -> frozenset[str]:
    """Versions the user asked for: version words typed that are not just part of the title
    ("live" in "Live Your Life" is a word of the title, not a live version)."""
    return frozenset(_word_version(w) for w in typed if w not in title_words) - {""}


@lru_cache(maxsize=4096)
def _word_version(word: str) -> str:
    """The version one word names ("rmx" -> "remix", "sped" -> "sped up"), "" for none: asks
    `resolve.titles`, so the list of version words lives in one place."""
    return next(iter(title_key(f"x ({word})").version), "")


# Words typed between names and titles ("24k magic by bruno mars"), free when the candidate lacks
# them.
_CONNECTIVES = frozenset({"by", "the", "and", "x", "vs"})


@lru_cache(maxsize=4096)
def _is_noise(word: str) -> bool:
    """A word that may be missing at no cost: a connective, or a word that names the same
    recording when it is a note ("edit", "remastered", "2016", "feat")."""
    key = title_key(f"x ({word})")
    return word in _CONNECTIVES or (key.base == "x" and not key.version)
