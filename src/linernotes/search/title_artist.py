"""Searches that name a title and its artist together: "24k magic bruno mars", "elton john duets".

The index holds names and titles apart, so no single document has every word of such a query and
a plain search finds nothing. Here the typed words are cut in two contiguous parts, title then
artist and artist then title; each part is searched in the index on its own (artists for one,
songs and albums for the other), and one SQL query keeps the songs and albums whose main artists
include one of the artists found. A hit is as good as the weaker of its two parts, so it ranks
among the plain hits by the same tiers.

`is_good` says whether a search answered what was typed: the line a live look-up (issue 9)
starts from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from linernotes.normalize.fold import fold
from linernotes.search import catalog_docs
from linernotes.search.engine import Hit, NameIndex
from linernotes.search.query import MAX_WORDS
from linernotes.search.rank import Match, Tier, best_match
from linernotes.store.db import Database

TITLE_KINDS = ("recording", "release")
# The weakest match a part may have: every typed word of it is a word of the name, the start of
# one, or within a typo of one.
WEAKEST = Tier.TYPO
# Artists tried per artist part: "john" is many people, the likeliest come first.
ARTIST_CANDIDATES = 10
# Titles tried per title part. When a title is shared by more songs than this ("Intro"), the
# songs of exactly that title are also looked up in SQL, by the artists found.
TITLE_CANDIDATES = 50
# A part needs this many characters to name anything ("24k magic b": "b" is not an artist yet).
MIN_PART = 2


Span = tuple[int, int]  # the typed words [start, end)


@dataclass(frozen=True, slots=True)
class Cut:
    """One way to read the typed words: this span a title, that span an artist."""

    title: Span
    artist: Span


def cuts(words: Sequence[str]) -> list[Cut]:
    """Every cut of the words into a title and an artist, each part contiguous and non-empty,
    title first then artist first; parts too short to name anything are left out."""
    found: list[Cut] = []
    for i in range(1, len(words)):
        head, tail = (0, i), (i, len(words))
        found += [Cut(title=head, artist=tail), Cut(title=tail, artist=head)]
    return [
        c for c in found if min(len(_text(words, c.title)), len(_text(words, c.artist))) >= MIN_PART
    ]


def title_and_artist(
    db: Database,
    index: NameIndex,
    text: str,
    kinds: Sequence[str] = TITLE_KINDS,
    limit: int = 10,
    *,
    typos: bool = True,
) -> list[Hit]:
    """Songs and albums (of `kinds`) whose title is one part of what was typed and one of whose
    main artists is the other part, best first; [] for a single word or nothing of the kind.

    Parts are matched as typed first; with `typos`, within typos when that finds nothing (as the
    index does: a search that finds nothing is the costly one, every typo level tried in turn).
    """
    wanted = _title_kinds(kinds)
    _check_limit(limit)
    words = fold(text).split()[:MAX_WORDS]
    every_cut = cuts(words)
    if not every_cut:
        return []
    found = _joined_hits(db, _as_typed(index), words, every_cut, wanted)
    if not found and typos:
        found = _joined_hits(db, index.search, words, every_cut, wanted)
    return found[:limit]


def search_all(
    db: Database, index: NameIndex, text: str, kinds: Sequence[str] = (), limit: int = 10
) -> list[Hit]:
    """What the faces list for a query: the index's hits and the title-and-artist hits, in one
    list, best first (`kinds` empty means every kind)."""
    wanted = _kinds(kinds)
    _check_limit(limit)
    plain = index.search(text, wanted, limit)
    title_kinds = tuple(k for k in wanted or catalog_docs.KINDS if k in TITLE_KINDS)
    if not title_kinds or (plain and plain[0].match.tier is Tier.WHOLE):
        return plain  # the whole text is a name: that is what was meant ("bruno mars")
    # Typos are looked for only when nothing matches as typed, as the index itself does.
    typos = not any(h.match.tier <= Tier.PREFIX for h in plain)
    more = title_and_artist(db, index, text, title_kinds, limit, typos=typos)
    return merge_hits(plain, more, limit)


def search_by_kind(
    db: Database, index: NameIndex, text: str, kinds: Sequence[str], limit: int
) -> dict[str, list[Hit]]:
    """The hits of each kind, as a page lists them apart: the index's, and songs and albums
    named by their title and artist together ("elton john duets"), as `search_all` merges them
    (the faces' lists by kind: the results page, `linernotes search`).

    Per kind, as the page always listed them (the index picks one typo level for every kind:
    "drake" lists Drake, not albums a typo away); the title-and-artist hits are looked for
    unless the whole text is a name, within typos only when nothing matched as typed.
    """
    plain = index.search_by_kind(text, kinds, limit)
    every = [hit for hits in plain.values() for hit in hits]
    titles = tuple(k for k in kinds if k in TITLE_KINDS)
    if not titles or any(hit.match.tier is Tier.WHOLE for hit in every):
        return plain
    typos = not any(hit.match.tier <= Tier.PREFIX for hit in every)
    more = title_and_artist(db, index, text, titles, limit, typos=typos)
    for kind in titles:
        plain[kind] = merge_hits(plain[kind], [h for h in more if h.kind == kind], limit)
    return plain


def merge_hits(plain: Iterable[Hit], more: Iterable[Hit], limit: int) -> list[Hit]:
    """One list of both, each entity once (its better match; the plain one on a tie), ranked
    like the index ranks its own hits: match quality, then importance."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in (*plain, *more):
        _keep(best, hit)
    return sorted(best.values(), key=_rank)[:limit]


def is_good(hits: Iterable[Hit]) -> bool:
    """Whether the hits answer the query: some hit matched every typed word, as typed, as the
    start of a word, or within a typo (tier below OTHER), title-and-artist hits included.

    This is where a live look-up starts, and a look-up costs the user seconds and the sources
    their rate limits (MusicBrainz allows one request a second). So a hit that has every word
    counts, even through a typo: what the user meant is most likely that record. A hit close
    only as a whole, or nothing at all, is a guess: the catalog probably does not hold it yet.
    """
    return any(hit.match.tier < Tier.OTHER for hit in hits)


Search = Callable[[str, tuple[str, ...], int], list[Hit]]


def _as_typed(index: NameIndex) -> Search:
    """The index's search without typos: every word as typed, the last one maybe still being
    typed."""

    def search(text: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        return index.search(text, kinds, limit, typos=False)

    return search


def _joined_hits(
    db: Database, search: Search, words: Sequence[str], every_cut: list[Cut], kinds: tuple[str, ...]
) -> list[Hit]:
    """Every song or album one of the cuts finds, best first."""
    artists = _searched(
        search, words, {c.artist for c in every_cut}, ("artist",), ARTIST_CANDIDATES
    )
    live = [c for c in every_cut if artists[c.artist]]  # no artist, no title search
    titles = _searched(search, words, {c.title for c in live}, kinds, TITLE_CANDIDATES)
    # A full page of titles may have left out songs of exactly that title: look those up too.
    crowded = {c.title: _text(words, c.title) for c in live}
    crowded = {s: t for s, t in crowded.items() if len(titles[s]) >= TITLE_CANDIDATES}
    ids = {k: sorted({t.id for h in titles.values() for t in h if t.kind == k}) for k in kinds}
    artist_ids = sorted({a.id for c in live for a in artists[c.artist]})
    credited = _credited(db, ids, sorted(set(crowded.values())), artist_ids)
    _add_crowded(db, titles, crowded, credited)
    best: dict[tuple[str, int], Hit] = {}
    for cut in live:
        for title in titles[cut.title]:
            for artist in artists[cut.artist]:
                if (title.kind, title.id, artist.id) in credited:
                    _keep(best, _joined(title, artist))
    return sorted(best.values(), key=_rank)


def _searched(
    search: Search, words: Sequence[str], spans: set[Span], kinds: tuple[str, ...], limit: int
) -> dict[Span, list[Hit]]:
    """Each span's hits that match it well enough.

    Shortest spans first: the index wants every typed word, so a span holding the words of a
    span that found nothing at all finds nothing either, and is not searched. (Save for a name
    written without spaces, "moonpinkfloyd" for "moon pink floyd": not worth a search each.)
    """
    found: dict[Span, list[Hit]] = {}
    empty: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[1] - s[0], s)):
        if any(span[0] <= start and end <= span[1] for start, end in empty):
            hits = []
        else:
            hits = search(_text(words, span), kinds, limit)
        if not hits:
            empty.append(span)
        found[span] = [h for h in hits if h.match.tier <= WEAKEST]
    return found


# The main artists of these songs and albums among these artists, in one query. An album without
# main-artist credits of its own (a Genius album) is its songs' main artists', as it is shown.
_CREDITED = (
    "SELECT 'recording', c.subject_id, c.artist_id FROM credit c"
    " WHERE c.subject_kind = 'recording' AND c.role = 'main_artist'"
    " AND c.subject_id IN ({recordings}) AND c.artist_id IN ({artists})"
    " UNION ALL SELECT 'release', c.subject_id, c.artist_id FROM credit c"
    " WHERE c.subject_kind = 'release' AND c.role = 'main_artist'"
    " AND c.subject_id IN ({releases}) AND c.artist_id IN ({artists})"
    " UNION ALL SELECT 'release', t.release_id, c.artist_id FROM track t"
    " JOIN credit c ON c.subject_id = t.recording_id AND c.subject_kind = 'recording'"
    " AND c.role = 'main_artist'"
    " WHERE t.release_id IN ({releases}) AND c.artist_id IN ({artists})"
    " AND NOT EXISTS (SELECT 1 FROM credit o WHERE o.subject_id = t.release_id"
    " AND o.subject_kind = 'release' AND o.role = 'main_artist')"
)


def _credited(
    db: Database, ids: dict[str, list[int]], crowded: list[str], artist_ids: list[int]
) -> set[tuple[str, int, int]]:
    """(kind, id, artist id) for each candidate song or album and each of the artists that is
    one of its main artists; candidates are the ids found, and with `crowded` titles, every song
    or album of exactly such a title."""
    if not artist_ids or not (crowded or any(ids.values())):
        return set()
    recordings, recording_params = _subjects("recording", ids, crowded)
    releases, release_params = _subjects("release", ids, crowded)
    sql = _CREDITED.format(recordings=recordings, releases=releases, artists=_marks(artist_ids))
    # In the order of the query's three parts: songs, albums, albums through their songs.
    params = [*recording_params, *artist_ids, *(release_params + artist_ids) * 2]
    return {(str(k), int(i), int(a)) for k, i, a in db.execute(sql, params)}


def _subjects(
    kind: str, candidates: dict[str, list[int]], crowded: list[str]
) -> tuple[str, list[object]]:
    """The SQL list of candidate ids of a kind (none if the kind is not wanted), and its
    parameters."""
    if kind not in candidates:
        return "NULL", []
    ids = candidates[kind]
    if not crowded:
        return (_marks(ids) if ids else "NULL"), list(ids)
    # Both conditions are indexed (primary key, folded title): each is a few index look-ups.
    found_ids = f"id IN ({_marks(ids)}) OR " if ids else ""
    return (
        f"SELECT id FROM {kind} WHERE {found_ids}folded IN ({_marks(crowded)})",
        [*ids, *crowded],
    )


def _add_crowded(
    db: Database,
    titles: dict[Span, list[Hit]],
    crowded: dict[Span, str],
    credited: set[tuple[str, int, int]],
) -> None:
    """Add to the crowded titles' hits the songs and albums of exactly that title that only SQL
    found (their names and importance as the index would hold them)."""
    if not crowded:
        return
    found = {(h.kind, h.id) for hits in titles.values() for h in hits}
    missing: dict[str, set[int]] = {}
    for kind, entity_id, _ in credited:
        if (kind, entity_id) not in found:
            missing.setdefault(kind, set()).add(entity_id)
    for kind, entity_ids in missing.items():
        for doc in catalog_docs.docs_for(db, kind, entity_ids):
            for span, title in crowded.items():
                match = best_match(title, doc.name, doc.aliases)
                if match.tier <= WEAKEST:
                    hit = Hit(doc.kind, doc.id, doc.name, doc.aliases, doc.importance, 0.0, match)
                    titles[span].append(hit)


def _joined(title: Hit, artist: Hit) -> Hit:
    """The title's hit, matched as this title by this artist (as good as the weaker part)."""
    notes = [part.match.why for part in (title, artist) if part.match.tier is Tier.TYPO]
    why = f"title “{title.match.via}” by {artist.match.via}"
    match = Match(
        tier=max(title.match.tier, artist.match.tier),
        via=title.match.via,
        why="; ".join([why, *notes]),
        extra=title.match.extra + artist.match.extra,
    )
    return Hit(
        title.kind, title.id, title.name, title.aliases, title.importance, title.score, match
    )


def _keep(best: dict[tuple[str, int], Hit], hit: Hit) -> None:
    """Keep the better match of an entity found more than once (the first on a tie)."""
    key = (hit.kind, hit.id)
    if key not in best or hit.match.order() < best[key].match.order():
        best[key] = hit


def _rank(hit: Hit) -> tuple[int, int, int, float, str, int]:
    """The index's own order: match, then importance; kind and id make ties stable."""
    return (*hit.match.order(), -hit.importance, -hit.score, hit.kind, hit.id)


def _kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        raise TypeError(f"kinds must be a sequence of kinds, not the string {kinds!r}")
    unknown = [k for k in kinds if k not in catalog_docs.KINDS]
    if unknown:
        raise ValueError(
            f"unknown search kind {unknown[0]!r}: expected {', '.join(catalog_docs.KINDS)}"
        )
    return tuple(kinds)


def _title_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    wanted = _kinds(kinds)
    others = [k for k in wanted if k not in TITLE_KINDS]
    if others or not wanted:
        asked = ", ".join(others) if others else "no kind"
        raise ValueError(f"title-and-artist search finds recording and release only, not {asked}")
    return wanted


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise ValueError(f"search limit must be 1 or more, not {limit}")


def _text(words: Sequence[str], span: Span) -> str:
    return " ".join(words[slice(*span)])


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))
