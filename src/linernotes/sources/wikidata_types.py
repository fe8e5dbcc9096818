"""The shapes of Wikidata entity JSON at our boundary (Special:EntityData/Q….json, wbgetentities).

Only the parts we read are declared. A statement's value sits in `mainsnak.datavalue.value`, whose
type depends on the property: a string for external ids, an object for items and monolingual text.
"""

from __future__ import annotations

from typing import Any, TypedDict


class WikidataTerm(TypedDict):
    """A label, description or alias in one language."""

    language: str
    value: str


class WikidataDataValue(TypedDict):
    value: Any  # str for external ids; {"id": "Q5", ...} for items; {"text", "language"} ...
    type: str


class WikidataSnak(TypedDict, total=False):
    snaktype: str  # "value", or "somevalue"/"novalue", which carry no datavalue
    property: str
    datavalue: WikidataDataValue
    datatype: str


class WikidataStatement(TypedDict, total=False):
    id: str
    rank: str  # "preferred", "normal" or "deprecated"
    mainsnak: WikidataSnak
    qualifiers: dict[str, list[WikidataSnak]]


class WikidataEntity(TypedDict, total=False):
    id: str
    type: str
    modified: str  # when the entity was last edited: the time the source says it as of
    labels: dict[str, WikidataTerm]
    descriptions: dict[str, WikidataTerm]
    aliases: dict[str, list[WikidataTerm]]
    claims: dict[str, list[WikidataStatement]]


class WikidataEntityData(TypedDict):
    """The Special:EntityData envelope: entities keyed by id."""

    entities: dict[str, WikidataEntity]
