"""Name and title pools for the identity benchmark, taken apart from the demo catalog's real data.

The genius-2017 artists, the number-ones sheet (artists, songwriters, producers) and the Discogs
dump extract (names, real names, name variations, aliases, members) give a few thousand real
names. Split into first names, surnames, one-word stage names and group words, and recombined,
they make a million distinct names that read like real ones (diacritics, "Jr.", "The ... Brothers")
without copying any one person. The perturbations are the ways another source writes a name.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import orjson

DATA = Path(__file__).resolve().parent.parent / "src/linernotes/demo/data"
_XML_NAME = re.compile(r"<(?:name|realname)(?: id=\"\d+\")?>([^<]+)</(?:name|realname)>")
_XML_TRACK_TITLE = re.compile(r"<track><position>[^<]*</position><title>([^<]+)</title>")
_DISAMBIGUATION = re.compile(r"\s*\(\d+\)$")
_WORD = re.compile(r"^[^\W\d_][\w'.\-]*$")
STAGE_PREFIXES = ("Lil", "DJ", "Young", "Big", "MC", "Kid", "King", "Yung")
NOT_NAMES = {"unknown", "na", "various", "traditional", ""}


@dataclass(frozen=True, slots=True)
class Pools:
    firsts: list[str]  # first names (and first + middle), as written
    lasts: list[str]  # surnames
    singles: list[str]  # one-word stage names
    group_words: list[str]  # words of "The ..." group names
    group_tails: list[str]  # their last words ("Brothers", "Supremes")
    title_words: list[str]  # words of real song titles, most frequent first
    titles: list[str]  # whole real titles


def _text(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def real_names() -> list[str]:
    """Every person or group name in the three sources, "(2)" suffixes dropped."""
    names: list[str] = []
    for line in _text(DATA / "genius-2017-artists.jsonl.gz").splitlines():
        names.append(str(orjson.loads(line)["name"]))
    for row in _number_ones():
        names.append(row["artist"])
        for column in ("songwriters", "producers"):
            names.extend(row[column].split(";"))
    dump = _text(DATA / "discogs/dump/discogs_20200806_artists.xml.gz")
    names.extend(html.unescape(m) for m in _XML_NAME.findall(dump))
    cleaned = (_DISAMBIGUATION.sub("", n).strip() for n in names)
    return sorted({n for n in cleaned if n.lower() not in NOT_NAMES})


def real_titles() -> list[str]:
    titles = [
        str(orjson.loads(line)["title"])
        for line in _text(DATA / "genius-2017-songs.jsonl.gz").splitlines()
    ]
    titles.extend(row["song"] for row in _number_ones())
    releases = _text(DATA / "discogs/dump/discogs_20200806_releases.sample800.xml.gz")
    titles.extend(html.unescape(m) for m in _XML_TRACK_TITLE.findall(releases))
    return [t.strip() for t in titles if t.strip()]


def _number_ones() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(DATA / "number-ones/number_ones_credits.csv.gz"))))


def pools() -> Pools:
    firsts: Counter[str] = Counter()
    lasts: Counter[str] = Counter()
    singles: Counter[str] = Counter()
    group_words: Counter[str] = Counter()
    group_tails: Counter[str] = Counter()
    for name in real_names():
        words = name.split()
        if not all(_WORD.match(w) for w in words):
            continue  # "&", digits, symbols: combined pages and codes, not a person's name
        if words[0] == "The" and len(words) >= 2:
            group_words.update(words[1:-1])
            group_tails[words[-1]] += 1
        elif len(words) == 1:
            singles[words[0]] += 1
        elif len(words) <= 3:
            firsts[" ".join(words[:-1])] += 1
            lasts[words[-1]] += 1
    titles = real_titles()
    title_words = Counter(w for t in titles for w in t.split() if _WORD.match(w))
    return Pools(
        firsts=[w for w, _ in firsts.most_common()],
        lasts=[w for w, _ in lasts.most_common()],
        singles=[w for w, _ in singles.most_common()],
        group_words=[w for w, _ in (group_words + lasts).most_common()],
        group_tails=[w for w, _ in group_tails.most_common()],
        title_words=[w for w, _ in title_words.most_common()],
        titles=titles,
    )


# -- how another source writes a name ----------------------------------------------------------

PERTURBATIONS = ("typo", "diacritics", "capitals", "the_moved")


def drop_diacritics(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def move_the(name: str) -> str:
    """ "The Everly Brothers" as a sorted list writes it: "Everly Brothers, The"."""
    return f"{name[4:]}, The"


def stylise(name: str, roll: float, position: int) -> str:
    """Stylised capitals: "JOHN SMITH", "john smith" or "Mike WiLL Made-It"."""
    if roll < 0.35:
        return name.upper()
    if roll < 0.6:
        return name.lower()
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 0]
    if not letters:
        return name.upper()
    i = letters[position % len(letters)]
    return name[:i] + name[i : i + 2].upper() + name[i + 2 :]


def typo(name: str, roll: float, position: int) -> str:
    """One slip of the keyboard past the first letter: a letter dropped, doubled or swapped."""
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 0]
    if not letters:
        return name + name[-1]
    i = letters[position % len(letters)]
    if roll < 0.35:
        return name[:i] + name[i + 1 :]
    if roll < 0.7 or i + 1 >= len(name):
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
