"""What each source does in a look-up, most useful first, so a budget that runs out keeps the
best part: find the record, fetch its credits, then the album's, then the people's handles.

- Genius (credits and handles): search, the song, the album with its album-level credits, every
  track's credits, and the social names of each person the catalog has no Genius page for yet.
- MusicBrainz (credits, one request a second): search the recording by title and artist, then
  the recording with its relationships and the release with every track's.
- Discogs (credits; its search needs a token): search the release, then the release.
- Spotify (identifies the record: ISRC, UPC, release date; no credits): search, the track, the
  album.
"""

from __future__ import annotations

from collections.abc import Callable

from linernotes.ingest.live import Target
from linernotes.lookup import candidates
from linernotes.lookup.candidates import Candidate, Wanted
from linernotes.lookup.context import Goal, NothingFound, SourceContext
from linernotes.normalize.fold import fold
from linernotes.normalize.genius import API as GENIUS
from linernotes.normalize.records import EntityKind, Ref, SourceRecord
from linernotes.store.db import Database

Plan = Callable[[SourceContext, Goal], None]
SEARCH_LIMIT = "10"
# Roles whose people come first when handles are fetched: the artists, then the producers.
FIRST_ROLES = ("main_artist", "featured_artist", "producer", "co_producer")
# Lucene's special characters (MusicBrainz search syntax): a user's words are escaped, so what
# they type can never become a query of its own.
_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def genius(ctx: SourceContext, goal: Goal) -> None:
    if goal.what == "album" and "genius" in goal.ids:
        album = goal.ids["genius"]
        ctx.say("fetching", f"album {album}")
        _genius_album(ctx, album, main=True)
        return
    known = goal.ids.get("genius")
    song = known if known is not None else _genius_search(ctx, goal)
    ctx.say("fetching", f"song {song}")
    records = ctx.fetch(
        Target("genius", "song", song), main=Ref(EntityKind.RECORDING, GENIUS, song)
    )
    _genius_people(ctx, records, main_only=True)
    on_album = _genius_album_of(records)
    if on_album:
        _genius_album(ctx, on_album, main=False, skip=frozenset({song}))
    _genius_people(ctx, records, main_only=False)


def _genius_search(ctx: SourceContext, goal: Goal) -> str:
    ctx.say("searching", "")
    found = candidates.from_genius(ctx.get_json("search", {"q": goal.wanted.text}))
    best = candidates.best(goal.wanted, found)
    goal.offer("genius", best)  # the other sources search for what Genius found
    if best is None:
        raise NothingFound(f"no song on Genius matches “{goal.wanted.text}”")
    ctx.status.found = _described(best)
    return best.key


def _genius_album(
    ctx: SourceContext, album: str, *, main: bool, skip: frozenset[str] = frozenset()
) -> None:
    """The album (album-level credits, its track list), then every track's own credits."""
    ref = Ref(EntityKind.RELEASE, GENIUS, album) if main else None
    records = ctx.fetch(Target("genius", "album", album), main=ref)
    songs = [
        r.ref.value
        for record in records
        for r in record.recordings
        if r.ref.namespace == GENIUS and r.ref.value not in skip
    ]
    for song in ctx.ask(lambda db: _not_fetched(db, "songs", songs)):
        ctx.fetch(Target("genius", "song", song))


def _genius_people(ctx: SourceContext, records: list[SourceRecord], *, main_only: bool) -> None:
    """Each person's Genius page (Instagram, Twitter, Facebook names) not fetched before."""
    people = _people(records, main_only)
    for person in ctx.ask(lambda db: _not_fetched(db, "artists", people)):
        ctx.fetch(Target("genius", "artist", person))


def _people(records: list[SourceRecord], main_only: bool) -> list[str]:
    """Genius artist ids credited in these records, the artists and producers first."""
    ranked: dict[str, int] = {}
    for record in records:
        for credit in record.credits:
            if credit.artist.namespace != GENIUS:
                continue
            rank = FIRST_ROLES.index(credit.role) if credit.role in FIRST_ROLES else 9
            key = credit.artist.value
            ranked[key] = min(rank, ranked.get(key, 9))
    wanted = [p for p, rank in ranked.items() if not main_only or rank < 2]
    return sorted(wanted, key=lambda p: ranked[p])


def _genius_album_of(records: list[SourceRecord]) -> str | None:
    for record in records:
        for release in record.releases:
            if release.ref.namespace == GENIUS:
                return release.ref.value
    return None


def _not_fetched(db: Database, folder: str, keys: list[str]) -> list[str]:
    """The keys whose Genius API record the catalog does not hold yet, in order."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    held = {
        str(row[0])
        for row in db.execute(
            f"SELECT record_id FROM source_record WHERE source = ? AND record_id IN ({marks})",
            (GENIUS, *(f"{folder}/{k}" for k in keys)),
        )
    }
    return [k for k in dict.fromkeys(keys) if f"{folder}/{k}" not in held]


def musicbrainz(ctx: SourceContext, goal: Goal) -> None:
    kind = "release" if goal.what == "album" else "recording"
    mbid = goal.ids.get("musicbrainz") or _musicbrainz_search(ctx, goal, kind)
    ctx.say("fetching", f"{kind} {mbid}")
    records = ctx.fetch(Target("musicbrainz", kind, mbid))
    if kind == "recording":
        release = next(
            (
                r.ref.value
                for record in records
                for r in record.releases
                if r.ref.namespace == "musicbrainz"
            ),
            None,
        )
        if release:
            ctx.fetch(Target("musicbrainz", "release", release))


def _musicbrainz_search(ctx: SourceContext, goal: Goal, kind: str) -> str:
    wanted = goal.settled(ctx.left())
    ctx.say("searching", "")
    params = {"query": lucene(wanted, kind), "limit": SEARCH_LIMIT}
    best = candidates.best(wanted, candidates.from_musicbrainz(ctx.get_json(kind, params)))
    if best is None:
        raise NothingFound(f"no {kind} on MusicBrainz matches “{_said(wanted)}”")
    ctx.status.found = _described(best)
    return best.key


def lucene(wanted: Wanted, kind: str) -> str:
    """A MusicBrainz search for the wanted record: by title and artist once known, else the
    words as typed (each escaped: users' words never reach Lucene's syntax)."""
    if wanted.title and wanted.artist:
        field = "recording" if kind == "recording" else "release"
        return f'{field}:"{_quoted(wanted.title)}" AND artist:"{_quoted(wanted.artist)}"'
    return " ".join(_escaped(word) for word in wanted.text.split())


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _escaped(word: str) -> str:
    return "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in word)


def discogs(ctx: SourceContext, goal: Goal) -> None:
    release = goal.ids.get("discogs") if goal.what == "album" else None
    if release is None:
        wanted = goal.settled(ctx.left())
        ctx.say("searching", "")
        params = {"type": "release", "per_page": SEARCH_LIMIT}
        if wanted.title and wanted.artist:
            field = "release_title" if goal.what == "album" else "track"
            params |= {field: wanted.title, "artist": wanted.artist}
        else:
            params["q"] = wanted.text
        found = candidates.from_discogs(ctx.get_json("database/search", params))
        best = (
            candidates.best(wanted, found)
            if goal.what == "album" or not wanted.artist
            else _first_by(wanted.artist, found)
        )
        if best is None:
            raise NothingFound(f"no release on Discogs matches “{_said(wanted)}”")
        ctx.status.found = _described(best)
        release = best.key
    ctx.say("fetching", f"release {release}")
    ctx.fetch(Target("discogs", "release", release))


def _first_by(artist: str, found: list[Candidate]) -> Candidate | None:
    """For a song: Discogs lists releases (album titles) that hold the track searched for, so
    the first whose artists are the wanted artist's is the one (Discogs orders by relevance)."""
    wanted = fold(artist)
    return next((c for c in found if any(fold(a) == wanted for a in c.artists)), None)


def spotify(ctx: SourceContext, goal: Goal) -> None:
    kind = "album" if goal.what == "album" else "track"
    key = goal.ids.get("spotify")
    if key is None:
        ctx.say("searching", "")
        params = {"q": goal.wanted.text, "type": kind, "limit": SEARCH_LIMIT}
        found = candidates.from_spotify(ctx.get_json("search", params))
        best = candidates.best(goal.wanted, [c for c in found if c.fetch_kind == kind])
        goal.offer("spotify", best)
        if best is None:
            raise NothingFound(f"no {kind} on Spotify matches “{goal.wanted.text}”")
        ctx.status.found = _described(best)
        key = best.key
    ctx.say("fetching", f"{kind} {key}")
    ctx.fetch(Target("spotify", kind, key))


def _described(found: Candidate) -> str:
    by = f" by {', '.join(found.artists)}" if found.artists else ""
    return f"{found.fetch_kind} {found.key}: {found.title}{by}"


def _said(wanted: Wanted) -> str:
    return f"{wanted.title} by {wanted.artist}" if wanted.title else wanted.text


PLANS: dict[str, Plan] = {
    "genius": genius,
    "musicbrainz": musicbrainz,
    "discogs": discogs,
    "spotify": spotify,
}
ORDER = tuple(PLANS)
