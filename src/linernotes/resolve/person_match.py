"""Are two artist records one person? A scored comparison that explains itself.

Names alone never merge: the same name is only a reason to look, however rare the name (in a
catalog of millions, two people bear most names). What decides is corroboration: both records
credit the same songs or the same collaborators, or both sources link the same social account to
the artist. A record that another source keeps apart (two Discogs ids, two Genius ids: the
source itself says they are two people) is never merged by score. Below the merge line, a near
match is kept for review.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# Namespaces whose sources keep one record per person: two different ids in one of them are two
# people as far as that source knows, and a score does not overrule it.
DISTINCT_PER_SOURCE = frozenset({"discogs", "musicbrainz", "wikidata", "genius", "spotify"})

# Titles too common to tell anything ("Intro" is on thousands of albums).
GENERIC_TITLES = frozenset({"intro", "outro", "interlude", "skit", "untitled", "bonus track"})

SAME_NAME = 0.5
OTHER_NAME = 0.45  # an alias, alternate name or name as credited matches
NEAR_NAME = 0.35  # a typo or spelling variant of the name
NEAR_RATIO = 90  # rapidfuzz ratio (0-100) from which a name is near
FIRST_CORROBORATION = 0.3  # the first shared song or collaborator: the step from name to person
PER_WORK = 0.25  # each further shared song
PER_COLLABORATOR = 0.15  # each further shared collaborator
MAX_CORROBORATION = 0.75
# Both sources link one social account to the artist (a Discogs page's urls, a Genius page's
# instagram_name): an account is one person's, so this weighs as much as a name and a song.
SHARED_ACCOUNT = 0.45
# A name known to belong to several people (a Discogs "(2)", a disambiguation) or too short to
# tell much ("Mase", "Sevn") needs one more piece of corroboration.
AMBIGUOUS_NAME = 0.15
SHORT_NAME = 4
MERGE_AT = 0.8
REVIEW_AT = 0.45


class Decision(enum.Enum):
    MERGE = "merge"
    REVIEW = "review"  # possible same person: shown for review, never merged
    APART = "apart"


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """What the catalog knows about one artist record that bears on identity."""

    entity_id: int
    display: str
    names: frozenset[str]  # compact keys of the record's own names
    other_names: frozenset[str] = frozenset()  # aliases, names as credited
    ids: frozenset[tuple[str, str]] = frozenset()  # (namespace, value)
    works: frozenset[str] = frozenset()  # folded titles of what it is credited on
    collaborators: frozenset[str] = frozenset()  # compact names of co-credited artists
    kind: str = "unknown"
    disambiguated: bool = False  # a source says several people bear this name
    shown: Mapping[str, str] = field(default_factory=dict, compare=False)  # key -> as written
    # (platform, handle) that a source itself links to this artist, from its own page for it.
    accounts: frozenset[tuple[str, str]] = frozenset()

    @property
    def ambiguous(self) -> bool:
        return self.disambiguated or all(len(n) <= SHORT_NAME for n in self.names)


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: Decision
    score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def compare(a: PersonProfile, b: PersonProfile) -> Verdict:
    conflict_reason = conflict(a, b)
    if conflict_reason:
        return Verdict(Decision.APART, 0.0, (conflict_reason,))
    name_score, name_reason = name_evidence(a, b)
    if name_score == 0:
        return Verdict(Decision.APART, 0.0, ("names differ",))
    reasons = [name_reason]
    works = sorted((a.works & b.works) - GENERIC_TITLES)
    own = a.names | b.names | a.other_names | b.other_names
    collaborators = sorted((a.collaborators & b.collaborators) - own)
    score = name_score + _corroboration(len(works), len(collaborators))
    if works:
        reasons.append(f"both credited on {_some(works)}")
    if collaborators:
        names = [a.shown.get(c) or b.shown.get(c) or c for c in collaborators]
        reasons.append(f"both credited with {_some(names)}")
    accounts = sorted(a.accounts & b.accounts)
    if accounts:
        score += SHARED_ACCOUNT
        reasons.append(f"both linked to {_some([f'{p} @{h}' for p, h in accounts])}")
    if not works and not collaborators and not accounts:
        reasons.append("no shared songs, collaborators or accounts")
    if a.ambiguous or b.ambiguous:
        score -= AMBIGUOUS_NAME
        reasons.append("a name several people bear: more evidence needed")
    score = round(score, 3)
    if score >= MERGE_AT:
        return Verdict(Decision.MERGE, score, tuple(reasons))
    decision = Decision.REVIEW if score >= REVIEW_AT else Decision.APART
    return Verdict(decision, score, tuple(reasons))


def _corroboration(works: int, collaborators: int) -> float:
    if works + collaborators == 0:
        return 0.0
    extra = PER_WORK * works + PER_COLLABORATOR * collaborators
    first = PER_WORK if works else PER_COLLABORATOR  # the first counts FIRST_CORROBORATION
    return min(MAX_CORROBORATION, FIRST_CORROBORATION + extra - first)


def conflict(a: PersonProfile, b: PersonProfile) -> str | None:
    for namespace in sorted(DISTINCT_PER_SOURCE):
        mine = {v for ns, v in a.ids if ns == namespace}
        theirs = {v for ns, v in b.ids if ns == namespace}
        if mine and theirs and not mine & theirs:
            return f"{namespace} keeps them apart ({min(mine)} and {min(theirs)})"
    if {a.kind, b.kind} == {"person", "group"}:
        return "one is a group, the other a person"
    return None


def name_evidence(a: PersonProfile, b: PersonProfile) -> tuple[float, str]:
    if a.names & b.names:
        return SAME_NAME, f"same name ({a.display} / {b.display})"
    shared = (a.names | a.other_names) & (b.names | b.other_names)
    if shared:
        return OTHER_NAME, f"a name as credited or alias matches ({a.display} / {b.display})"
    best = max((fuzz.ratio(x, y) for x in a.names for y in b.names), default=0.0)
    if best >= NEAR_RATIO:
        return NEAR_NAME, f"near name ({a.display} / {b.display}, {best:.0f}%)"
    return 0.0, ""


def _some(items: list[str], shown: int = 3) -> str:
    text = ", ".join(repr(i) for i in items[:shown])
    return text if len(items) <= shown else f"{text} and {len(items) - shown} more"
