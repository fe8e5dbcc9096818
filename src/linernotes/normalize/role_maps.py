"""Tables that translate each source's role wording into our role codes (see `roles`).

Three sources, three vocabularies: Genius free-text labels ("Additional Production"), MusicBrainz
relationship types with attributes ("producer" + ["executive"]) and Discogs role strings
("Engineer [Assistant], Mixed By"). Every translation is a table lookup; nothing is inferred from
how many people share a credit. A wording we do not know maps to UNMAPPED with the source text kept,
so a credit is never dropped and never guessed. Entries naming companies or places (labels,
publishers, studios) are record facts, not personal credits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from linernotes.normalize.roles import UNMAPPED, loose_key


@dataclass(frozen=True, slots=True)
class RoleMapping:
    raw: str
    role: str | None
    detail: str | None = None
    fact: str | None = None
    uncredited: bool = False

    @property
    def is_fact(self) -> bool:
        return self.role is None

    @property
    def is_unmapped(self) -> bool:
        return self.role == UNMAPPED


@dataclass(frozen=True, slots=True)
class _Target:
    """What one table entry means: a role (with optional detail) or, with role None, a fact."""

    role: str | None
    detail: str | None = None
    fact: str | None = None


def _fact(kind: str) -> _Target:
    return _Target(None, fact=kind)


def _table(entries: Mapping[str, _Target | str]) -> Mapping[str, _Target]:
    """Key a table by loose_key so lookups forgive case, spacing and punctuation."""
    return MappingProxyType(
        {loose_key(k): v if isinstance(v, _Target) else _Target(v) for k, v in entries.items()}
    )


def _join_detail(base: str | None, extras: Sequence[str]) -> str | None:
    """'Violin' + ['Guest'] -> 'Violin (Guest)'; keeps every qualifier for display."""
    extra = ", ".join(extras)
    if base and extra:
        return f"{base} ({extra})"
    return base or extra or None


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- instruments and voices (shared by Genius and Discogs) -----------------------------------
# Single-word instrument names. A credit whose last word is one of these is an instrument credit
# ("Lap Steel Guitar", "Bass Clarinet", "Talking Drum"); the full name becomes the detail.
_INSTRUMENT_WORDS: frozenset[str] = frozenset(
    loose_key(word)
    for word in (
        "accordion", "bagpipes", "banjo", "bass", "basses", "bassoon", "bells", "bongos",
        "bouzouki", "cello", "celeste", "celesta", "claps", "clarinet", "clavinet", "claves",
        "congas", "contrabass", "cornet", "cowbell", "cymbal", "cymbals", "didgeridoo", "dobro",
        "drum", "drums", "dulcimer", "euphonium", "fiddle", "flugelhorn", "flute", "glockenspiel",
        "gong", "guitar", "guitars", "handclaps", "harmonica", "harmonium", "harp", "harpsichord",
        "horn", "horns", "kalimba", "keyboard", "keyboards", "keys", "mandolin", "maracas",
        "marimba", "mellotron", "oboe", "organ", "oud", "percussion", "piano", "piccolo", "pipes",
        "psaltery", "recorder", "sampler", "sarod", "sax", "saxophone", "shaker", "sitar",
        "spoons", "strings", "synth", "synthesizer", "synthesizers", "synthesiser", "synths",
        "tabla", "talkbox", "tambourine", "theremin", "timbales", "timpani", "trombone", "trumpet",
        "tuba", "turntables", "ukulele", "vibraphone", "vibes", "viol", "viola", "violin",
        "violins", "violoncello", "violone", "vocoder", "whistle", "whistling", "xylophone",
    )
)  # fmt: skip

# Multi-word or unusual instrument names the last-word rule would miss.
_INSTRUMENT_NAMES: frozenset[str] = frozenset(
    loose_key(name)
    for name in (
        "Chapman Stick", "Computer", "Effects", "Electronics", "Gameboy", "Instrumentation",
        "Instruments", "Jug", "Loops", "Scratches", "Sounds", "Steel Pan", "Viola da Gamba",
    )
)  # fmt: skip

_VOICE_WORDS: frozenset[str] = frozenset({"vocal", "vocals", "voice", "voices"})


def _instrument_or_voice(name: str) -> _Target | None:
    words = name.replace("-", " ").split()
    if not words:
        return None
    last = loose_key(words[-1])
    if last in _VOICE_WORDS:
        return _Target("vocalist", _squash(name))
    if last in _INSTRUMENT_WORDS or loose_key(name) in _INSTRUMENT_NAMES:
        return _Target("instrumentalist", _squash(name))
    return None


def _lookup(table: Mapping[str, _Target], name: str) -> _Target:
    found = table.get(loose_key(name))
    if found is not None:
        return found
    return _instrument_or_voice(name) or _Target(UNMAPPED)


def _mapping(raw: str, target: _Target) -> RoleMapping:
    return RoleMapping(raw, target.role, target.detail, target.fact)


# --- Genius ---------------------------------------------------------------------------------
GENIUS_FIELD_ROLES: Mapping[str, str] = MappingProxyType(
    {
        "primary_artist": "main_artist",
        "primary_artists": "main_artist",
        "featured_artists": "featured_artist",
        "producer_artists": "producer",
        "writer_artists": "songwriter",
    }
)

# Labels of custom_performances (song pages) and song_performances (album pages). Genius suggests
# these wordings to its editors, who may still type their own; instruments fall through to the
# instrument rule above and anything else stays UNMAPPED.
_GENIUS_LABELS = _table(
    {
        "Producer": "producer",
        "Co-Producer": "co_producer",
        "Additional Production": "additional_producer",
        "Additional Producer": "additional_producer",
        "Assistant Producer": "assistant_producer",
        "Associate Producer": "associate_producer",
        "Vocal Producer": "vocal_producer",
        "Vocal Production": "vocal_producer",
        "Executive Producer": "executive_producer",
        "Remixer": "remixer",
        "Engineer": "engineer",
        "Additional Engineering": _Target("engineer", "Additional"),
        "Additional Engineer": _Target("engineer", "Additional"),
        "Recording Engineer": "recording_engineer",
        "Tracking Engineer": "recording_engineer",
        "Additional Recording": _Target("recording_engineer", "Additional"),
        "Vocal Engineer": _Target("recording_engineer", "Vocals"),
        "Mixing Engineer": "mixing_engineer",
        "Mix Engineer": "mixing_engineer",
        "Mixer": "mixing_engineer",
        "Additional Mixing": _Target("mixing_engineer", "Additional"),
        "Mastering Engineer": "mastering_engineer",
        "Additional Mastering": _Target("mastering_engineer", "Additional"),
        "Assistant Engineer": "assistant_engineer",
        "Assistant Recording Engineer": "assistant_recording_engineer",
        "Recording Assistant": "assistant_recording_engineer",
        "Assistant Mixing Engineer": "assistant_mixing_engineer",
        "Mixing Assistant": "assistant_mixing_engineer",
        "Assistant Mixer": "assistant_mixing_engineer",
        "Assistant Mastering Engineer": "assistant_mastering_engineer",
        "Mastering Assistant": "assistant_mastering_engineer",
        "Programmer": "programmer",
        "Programming": "programmer",
        "Drum Programmer": _Target("programmer", "Drums"),
        "Drum Programming": _Target("programmer", "Drums"),
        "Editor": "editor",
        "Vocal Editor": _Target("editor", "Vocals"),
        "Songwriter": "songwriter",
        "Writer": "songwriter",
        "Composer": "composer",
        "Lyricist": "lyricist",
        "Arranger": "arranger",
        "String Arranger": _Target("arranger", "Strings"),
        "Horn Arranger": _Target("arranger", "Horns"),
        "Vocal Arranger": _Target("arranger", "Vocals"),
        "Orchestrator": "orchestrator",
        "Featuring": "featured_artist",
        "Featured Artist": "featured_artist",
        "Performer": "performer",
        "Vocals": "vocalist",
        "Lead Vocals": "lead_vocalist",
        "Background Vocals": "background_vocalist",
        "Backing Vocals": "background_vocalist",
        "Additional Vocals": "background_vocalist",
        "Ad-Libs": _Target("vocalist", "Ad-Libs"),
        "Choir": "choir",
        "Orchestra": "orchestra",
        "Conductor": "conductor",
        "A&R": "a_and_r",
        "A&R Coordinator": _Target("a_and_r", "Coordinator"),
        "A&R Director": _Target("a_and_r", "Director"),
        "A&R Manager": _Target("a_and_r", "Manager"),
        "Management": "manager",
        "Manager": "manager",
        "Art Direction": "art_director",
        "Art Director": "art_director",
        "Creative Director": _Target("art_director", "Creative Director"),
        "Design": "designer",
        "Graphic Design": _Target("designer", "Graphic Design"),
        "Artwork": _Target("designer", "Artwork"),
        "Illustration": "illustrator",
        "Photography": "photographer",
        "Photographer": "photographer",
        "Video Director": "video_director",
        "Video Producer": "video_producer",
        "Video Animator": "animator",
        "Animation": "animator",
        "Liner Notes": "liner_notes",
        # Companies and places, not people.
        "Label": _fact("label"),
        "Premiere": _fact("premiere"),
        "Publisher": _fact("publisher"),
        "Distributor": _fact("distributor"),
        "Manufacturer": _fact("manufacturer"),
        "Copyright ©": _fact("copyright"),
        "Phonographic Copyright ℗": _fact("phonographic_copyright"),
        "Recorded At": _fact("recorded_at"),
        "Mixed At": _fact("mixed_at"),
        "Mastered At": _fact("mastered_at"),
        "Studio": _fact("studio"),
        "Genre": _fact("genre"),
    }
)


def map_genius_label(label: str) -> RoleMapping:
    """Map a custom_performances[].label (or album song_performances[].label)."""
    return _mapping(label, _lookup(_GENIUS_LABELS, label))


# --- MusicBrainz ----------------------------------------------------------------------------
# Relationship type names (artist-recording, artist-release and artist-work links).
_MB_TYPES = _table(
    {
        "producer": "producer",
        "engineer": "engineer",
        "recording": "recording_engineer",
        "field recordist": _Target("recording_engineer", "field recording"),
        "mix": "mixing_engineer",
        "mastering": "mastering_engineer",
        "sound": _Target("engineer", "sound"),
        "audio": _Target("engineer", "audio"),
        "balance": _Target("engineer", "balance"),
        "programming": "programmer",
        "editor": "editor",
        "remixer": "remixer",
        "mix-DJ": "dj_mixer",
        "compiler": "compiler",
        "instrument": "instrumentalist",
        "vocal": "vocalist",
        "performer": "performer",
        "performing orchestra": "orchestra",
        "conductor": "conductor",
        "chorus master": "chorus_master",
        "concertmaster": _Target("instrumentalist", "concertmaster"),
        "composer": "composer",
        "lyricist": "lyricist",
        "writer": "songwriter",
        "librettist": "librettist",
        "translator": "translator",
        "arranger": "arranger",
        "instrument arranger": "arranger",
        "vocal arranger": _Target("arranger", "vocals"),
        "orchestrator": "orchestrator",
        "artists and repertoire": "a_and_r",
        "art direction": "art_director",
        "creative direction": _Target("art_director", "creative direction"),
        "design/illustration": "designer",
        "design": "designer",
        "graphic design": _Target("designer", "graphic design"),
        "artwork": _Target("designer", "artwork"),
        "illustration": "illustrator",
        "photography": "photographer",
        "liner notes": "liner_notes",
        "booklet editor": _Target("liner_notes", "booklet editor"),
        "video director": "video_director",
        "animation": "animator",
        # Label and place relationships name companies and studios.
        "copyright": _fact("copyright"),
        "phonographic copyright": _fact("phonographic_copyright"),
        "publishing": _fact("publisher"),
        "distributed": _fact("distributor"),
        "manufactured": _fact("manufacturer"),
        "recorded at": _fact("recorded_at"),
        "mixed at": _fact("mixed_at"),
        "mastered at": _fact("mastered_at"),
    }
)

# Attributes that change the role itself; every other attribute (instrument, voice type, "guest",
# "solo", "medium 2") is kept as the detail. MusicBrainz's "co" marks an explicit co-credit, so
# co_producer here is what the source says, not an inference.
_MB_ATTRIBUTE_ROLES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("producer", "executive"): "executive_producer",
        ("producer", "co"): "co_producer",
        ("producer", "additional"): "additional_producer",
        ("producer", "assistant"): "assistant_producer",
        ("producer", "associate"): "associate_producer",
        ("engineer", "assistant"): "assistant_engineer",
        ("recording_engineer", "assistant"): "assistant_recording_engineer",
        ("mixing_engineer", "assistant"): "assistant_mixing_engineer",
        ("mastering_engineer", "assistant"): "assistant_mastering_engineer",
        ("vocalist", "lead vocals"): "lead_vocalist",
        ("vocalist", "background vocals"): "background_vocalist",
        ("vocalist", "choir vocals"): "choir",
    }
)


def _musicbrainz_raw(rel_type: str, attributes: Sequence[str]) -> str:
    return "+".join((rel_type, *attributes))


def map_musicbrainz(rel_type: str, attributes: Sequence[str]) -> RoleMapping:
    """Map an artist relationship: its type name plus its attribute names."""
    raw = _musicbrainz_raw(rel_type, attributes)
    base = _MB_TYPES.get(loose_key(rel_type))
    if base is None:
        return RoleMapping(raw, UNMAPPED, _join_detail(None, attributes))
    role = base.role
    extras: list[str] = []
    for attribute in attributes:
        changed = _MB_ATTRIBUTE_ROLES.get((role or "", attribute.casefold()))
        if changed is None:
            extras.append(attribute)
        else:
            role = changed
    return RoleMapping(raw, role, _join_detail(base.detail, extras), base.fact)


# --- Discogs: the role-string grammar -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DiscogsRolePart:
    name: str
    qualifiers: tuple[str, ...]
    raw: str


def _split_parts(text: str) -> list[str]:
    """Split on commas outside brackets. An unclosed "[" swallows the rest, commas included."""
    parts: list[str] = []
    start = depth = 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif ch == "," and not depth:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _parse_part(raw: str) -> DiscogsRolePart:
    """Text outside brackets is the name; each top-level bracket group is one qualifier, in order.

    A stray "]" outside brackets stays in the name, a nested "[...]" stays inside its qualifier,
    and an unclosed "[" makes the rest of the part qualifier text, so no character is lost.
    """
    name: list[str] = []
    qualifiers: list[list[str]] = []
    depth = 0
    for ch in raw:
        opens, closes = ch == "[", ch == "]" and depth > 0
        depth += opens - closes
        if opens and depth == 1:
            qualifiers.append([])
        elif closes and depth == 0:
            continue
        elif depth:
            qualifiers[-1].append(ch)
        else:
            name.append(ch)
    kept = (_squash("".join(chars)) for chars in qualifiers)
    return DiscogsRolePart(_squash("".join(name)), tuple(q for q in kept if q), raw)


def parse_discogs_roles(text: str) -> list[DiscogsRolePart]:
    """Parse "Engineer [Assistant], Mixed By" into parts; never raises, never drops text."""
    return [_parse_part(part) for part in _split_parts(text)]


# --- Discogs: names and qualifiers ----------------------------------------------------------
_DISCOGS_NAMES = _table(
    {
        # production
        "Producer": "producer",
        "Co-producer": "co_producer",
        "Executive-Producer": "executive_producer",
        "Executive Producer": "executive_producer",
        "Recording Supervisor": _Target("producer", "Recording Supervisor"),
        "Remix": "remixer",
        "Compiled By": "compiler",
        "Compilation Producer": "compiler",
        "Reissue Producer": "reissue_producer",
        # engineering
        "Engineer": "engineer",
        "Recorded By": "recording_engineer",
        "Mixed By": "mixing_engineer",
        "Mastered By": "mastering_engineer",
        "Remastered By": _Target("mastering_engineer", "Remastering"),
        "Lacquer Cut By": "cutting_engineer",
        "DMM Cut By": _Target("cutting_engineer", "DMM"),
        "Programmed By": "programmer",
        "Drum Programming": _Target("programmer", "Drums"),
        "Sequenced By": _Target("programmer", "Sequencing"),
        "Edited By": "editor",
        "Editor": "editor",
        "Transferred By": _Target("engineer", "Transfer"),
        "Post Production": _Target("engineer", "Post Production"),
        "Sound Designer": _Target("engineer", "Sound Design"),
        "Technician": _Target("engineer", "Technician"),
        # writing
        "Written-By": "songwriter",
        "Songwriter": "songwriter",
        "Songs By": "songwriter",
        "Music By": "composer",
        "Composed By": "composer",
        "Score": _Target("composer", "Score"),
        "Lyrics By": "lyricist",
        "Words By": "lyricist",
        "Text By": "lyricist",
        "Libretto By": "librettist",
        "Translated By": "translator",
        "Adapted By": "adapter",
        "Arranged By": "arranger",
        "Transcription By": _Target("arranger", "Transcription"),
        "Orchestrated By": "orchestrator",
        "Instrumentation By": "orchestrator",
        # performance
        "Featuring": "featured_artist",
        "Performer": "performer",
        "Musician": "performer",
        "Guest": _Target("performer", "Guest"),
        "Soloist": _Target("performer", "Soloist"),
        "Leader": _Target("performer", "Leader"),
        "Ensemble": _Target("performer", "Ensemble"),
        "Backing Band": _Target("performer", "Backing Band"),
        "Accompanied By": _Target("performer", "Accompaniment"),
        "Vocals": "vocalist",
        "Lead Vocals": "lead_vocalist",
        "Backing Vocals": "background_vocalist",
        "Harmony Vocals": _Target("background_vocalist", "Harmony"),
        "Rap": _Target("vocalist", "Rap"),
        "Narrator": _Target("vocalist", "Narrator"),
        "Yodeling": _Target("vocalist", "Yodeling"),
        "Choir": "choir",
        "Chorus": "choir",
        "Orchestra": "orchestra",
        "Conductor": "conductor",
        "Music Director": _Target("conductor", "Music Director"),
        "Chorus Master": "chorus_master",
        "Concertmaster": _Target("instrumentalist", "Concertmaster"),
        "DJ Mix": "dj_mixer",
        # business
        "A&R": "a_and_r",
        "Management": "manager",
        "Contractor": "contractor",
        "Coordinator": "coordinator",
        "Production Manager": _Target("coordinator", "Production Manager"),
        # visual
        "Art Direction": "art_director",
        "Creative Director": _Target("art_director", "Creative Director"),
        "Design": "designer",
        "Graphic Design": _Target("designer", "Graphic Design"),
        "Artwork": _Target("designer", "Artwork"),
        "Artwork By": _Target("designer", "Artwork"),
        "Cover": _Target("designer", "Cover"),
        "Sleeve": _Target("designer", "Sleeve"),
        "Layout": _Target("designer", "Layout"),
        "Graphics": _Target("designer", "Graphics"),
        "Typography": _Target("designer", "Typography"),
        "Illustration": "illustrator",
        "Painting": _Target("illustrator", "Painting"),
        "Photography By": "photographer",
        "Photography": "photographer",
        "Film Director": "video_director",
        # other
        "Liner Notes": "liner_notes",
        "Sleeve Notes": "liner_notes",
        "Booklet Editor": _Target("liner_notes", "Booklet Editor"),
        # companies and places (Discogs lists these among a release's companies)
        "Label": _fact("label"),
        "Published By": _fact("publisher"),
        "Distributed By": _fact("distributor"),
        "Manufactured By": _fact("manufacturer"),
        "Copyright (c)": _fact("copyright"),
        "Phonographic Copyright (p)": _fact("phonographic_copyright"),
        "Recorded At": _fact("recorded_at"),
        "Mixed At": _fact("mixed_at"),
        "Mastered At": _fact("mastered_at"),
    }
)

# Qualifiers that turn one role into a more specific one: (role, qualifier) -> role. Mapping to
# the same role marks a qualifier that only restates the name ("Producer [Produced By]").
_DISCOGS_QUALIFIED_ROLES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        (role, loose_key(qualifier)): new_role
        for role, qualifiers, new_role in (
            ("producer", ("Additional", "Additional Production"), "additional_producer"),
            ("producer", ("Assistant", "Assistance", "Assisted By"), "assistant_producer"),
            ("producer", ("Associate",), "associate_producer"),
            ("producer", ("Co-producer", "Co"), "co_producer"),
            ("producer", ("Executive", "Executive Producer"), "executive_producer"),
            ("producer", ("Vocal", "Vocals"), "vocal_producer"),
            ("producer", ("Produced By",), "producer"),
            ("engineer", ("Assistant", "Assistance", "Assisted By"), "assistant_engineer"),
            ("engineer", ("Recording", "Recording Engineer", "Recorded By"), "recording_engineer"),
            ("engineer", ("Mixing", "Mix Engineer", "Mixed By"), "mixing_engineer"),
            ("engineer", ("Mastering", "Mastering Engineer"), "mastering_engineer"),
            ("engineer", ("Assistant Recording Engineer",), "assistant_recording_engineer"),
            ("engineer", ("Engineered By",), "engineer"),
            ("recording_engineer", ("Assistant", "Assistance"), "assistant_recording_engineer"),
            ("mixing_engineer", ("Assistant", "Assistance"), "assistant_mixing_engineer"),
            ("mastering_engineer", ("Assistant", "Assistance"), "assistant_mastering_engineer"),
            ("vocalist", ("Lead",), "lead_vocalist"),
            ("vocalist", ("Background", "Backing", "Additional"), "background_vocalist"),
        )
        for qualifier in qualifiers
    }
)

_UNCREDITED = frozenset(loose_key(q) for q in ("Uncredited", "Not Credited"))
_FEATURING = frozenset(loose_key(q) for q in ("Featuring", "Feat.", "Feat", "Ft."))
_FEATURED = "featured_artist"


def _apply_qualifiers(part: DiscogsRolePart, base: _Target) -> RoleMapping:
    role, detail, uncredited = base.role, base.detail, False
    extras: list[str] = []
    for qualifier in part.qualifiers:
        key = loose_key(qualifier)
        if key in _UNCREDITED:
            uncredited = True
        elif key in _FEATURING and role is not None:
            # "Vocals [Featuring]": a billed featured artist; what they did becomes the detail.
            detail = detail or (part.name if role != _FEATURED else None)
            role = _FEATURED
        elif (role or "", key) in _DISCOGS_QUALIFIED_ROLES:
            role = _DISCOGS_QUALIFIED_ROLES[(role or "", key)]
        else:
            extras.append(qualifier)
    return RoleMapping(part.raw, role, _join_detail(detail, extras), base.fact, uncredited)


def _map_discogs_part(part: DiscogsRolePart) -> RoleMapping:
    return _apply_qualifiers(part, _lookup(_DISCOGS_NAMES, part.name))


def map_discogs_role(text: str) -> list[RoleMapping]:
    """Map a Discogs role string: one mapping per comma-separated part, in order."""
    return [_map_discogs_part(part) for part in parse_discogs_roles(text)]


def mapping_tables() -> Iterable[tuple[str, Iterable[str | None]]]:
    """Every role code each table can produce, by table name (used to check the tables)."""
    yield "genius_fields", GENIUS_FIELD_ROLES.values()
    for name, table in (
        ("genius", _GENIUS_LABELS),
        ("musicbrainz", _MB_TYPES),
        ("discogs", _DISCOGS_NAMES),
    ):
        yield name, (target.role for target in table.values())
    yield "musicbrainz_attributes", _MB_ATTRIBUTE_ROLES.values()
    yield "discogs_qualifiers", _DISCOGS_QUALIFIED_ROLES.values()
