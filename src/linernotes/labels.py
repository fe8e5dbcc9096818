"""The words both faces (command line and web) use for sources and facts: one wording."""

from __future__ import annotations

from collections.abc import Iterable

from linernotes.store.views import SourceNote

SOURCE_LABELS = {
    "genius": "Genius API",
    "genius-2017": "Genius 2017 snapshot",
    "handles-file": "handles file",
    "discogs": "Discogs",
    "musicbrainz": "MusicBrainz",
    "spotify": "Spotify",
    "wikidata": "Wikidata",
    "billboard": "Billboard",
    "credit-sheet": "credit sheet",
}
FACT_LABELS = {
    "label": "Label",
    "premiere": "Premiere",
    "publisher": "Publisher",
    "distributor": "Distributor",
    "copyright": "Copyright ©",
    "phonographic_copyright": "Phonographic copyright ℗",
    "barcode": "Barcode",
    "discogs_master": "Discogs master",
    "musicbrainz_release_group": "MusicBrainz release group",
}


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source)


def fact_label(kind: str) -> str:
    # "version:remixed_by" (Genius song relationships) reads "Remixed by".
    return FACT_LABELS.get(kind, kind.removeprefix("version:").replace("_", " ").capitalize())


def sources_text(notes: Iterable[SourceNote]) -> str:
    """The sources behind a credit, each once, in the order given: "Genius API, Discogs"."""
    return ", ".join(dict.fromkeys(source_label(n.source) for n in notes))
