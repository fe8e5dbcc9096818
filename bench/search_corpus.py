"""Generate the search benchmark corpus: artists, releases and recordings, 1M to 15M entries.

Each entry is a name as displayed, its aliases, a context line that tells look-alikes apart and
an importance figure (Zipf-like: a few huge, most 0-3). About 20% artists, 20% releases and 60%
recordings, as MusicBrainz and Discogs have them. Releases and recordings name their artist in
the context ("album by X · 2018"), take titles from a shared word list with real repetition
("Intro", "Home"), and come in versions ("(X Remix)", "- Radio Edit", "(feat. X)").

Names are drawn from word lists by Zipf-Mandelbrot rank (first names, surnames, one-word names:
real ones first, from `identity_names.pools` and `names.py`, then made-up words); title words
come at their frequencies in the real song titles (genius-2017, Number Ones, Discogs tracks),
less an absolute discount that goes to made-up words. So a sample the size of the real data
looks like it, and the vocabulary keeps growing with the corpus as a real catalog's does.
`search_realism.py` puts the generated figures beside the real ones.

Deterministic: the corpus is cut into chunks of 10,000 ids, each made from its own random source
seeded by (seed, chunk) only (string seeds: no hash randomisation), so entry i is the same on any
machine and with any number of worker processes, and the first chunks of a larger corpus are
those of a smaller one. Releases and recordings refer to artists of their own chunk and to the
"stars" (the artists of chunk 0). The output is cached as gzip'd TSV under
bench/results/cache/, keyed by n, seed, VERSION and a fingerprint of the word pools.

    .venv/bin/python bench/search_corpus.py --n 1000000 [--seed 1] [--regenerate]
    .venv/bin/python bench/search_corpus.py --realism       # the realism report (1M corpus)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import math
import multiprocessing as mp
import os
import random
import re
import string
import sys
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

import identity_names
import names as name_pools

VERSION = 3  # bump whenever the generated data changes (the cache key holds it)
CHUNK = 10_000
SHARES = (("artist", 0.2), ("release", 0.2), ("recording", 0.6))
CACHE = Path(__file__).resolve().parent / "results" / "cache"
STAR_SHARE = 0.2  # releases and recordings by one of the stars (chunk 0's artists)
# Zipf-Mandelbrot (s, q, vocabulary size) of each word list, tuned by search_realism.py.
SHAPES = {
    "firsts": (1.12, 30.0, 400_000),
    "lasts": (1.05, 40.0, 3_000_000),
    "singles": (1.01, 120.0, 5_000_000),
    "words": (1.0001, 20.0, 2_000_000),  # the made-up tail only: the head is counted
}
WORD_DISCOUNT = 0.75
STOP_BOOST = 1.75
ALIAS_SEP = "\x1f"  # between aliases in the TSV; no generated name holds it, a tab or a newline


Row = tuple[int, str, str, tuple[str, ...], str, int]  # an Entry's fields, in order


@dataclass(frozen=True, slots=True)
class Entry:
    id: int  # 1..n, unique
    kind: str  # "artist" | "release" | "recording"
    name: str  # as displayed
    aliases: tuple[str, ...]  # other names: legal names, spellings; may be ()
    context: str  # what tells look-alikes apart: "producer, 2013" / "by Drake · 2018"
    importance: int  # >= 0, Zipf-like: credits count / chart presence


# -- made-up words -----------------------------------------------------------------------------

_ONSETS = (
    *("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p"),
    *("r", "s", "sh", "st", "t", "tr", "v", "w", "z", "", "", ""),
)
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ea", "y")
_CODAS = ("", "", "", "", "", "", "n", "r", "l", "s", "m", "nd", "st", "x")
_SURNAME_ENDINGS = (
    *("", "", "", "", "son", "sen", "ez", "ski", "ini", "ov", "er", "ton", "berg", "ley"),
    *("man", "ard", "o", "a", "i", "escu", "ers", "ford", "well", "ová", "ić", "ing", "ell"),
)
_WORD_ENDINGS = ("", "", "", "", "", "s", "er", "ing", "y", "ed", "a", "o", "ie", "ly")
_MIX = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


_SYLLABLES = tuple(o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS)


def coin(rank: int, salt: int, endings: Sequence[str]) -> str:
    """The made-up word at a tail rank: the same word for the same rank on any machine."""
    h = ((rank + 1) * _MIX + salt) & _MASK
    h ^= h >> 31  # the low bits pick the first syllable: let the high bits reach them
    h = (h * _MIX) & _MASK
    n = len(_SYLLABLES)
    count = (1, 2, 2, 2, 2, 3)[h % 6]
    h //= 6
    word = _SYLLABLES[h % n]
    if count > 1:
        word += _SYLLABLES[(h // n) % n]
    if count > 2:
        word += _SYLLABLES[(h // (n * n)) % n]
    return word + endings[(h // (n * n * n)) % len(endings)]


class Lexicon:
    """Words by Zipf-Mandelbrot rank, P(r) ~ (r + q)^-s for r < size: a real head, then made-up
    words. The size bounds the vocabulary; s near 1 keeps it growing with the corpus."""

    def __init__(
        self, head: Sequence[str], s: float, q: float, size: int, tail: Callable[[int], str]
    ) -> None:
        self.head = tuple(head)
        self.q = q
        self.a = 1.0 - s
        self.z = ((size + q) / q) ** self.a - 1.0  # normalises the truncated CDF
        self.tail = tail

    def rank(self, u: float) -> int:
        # Inverse of the continuous CDF F(x) = (((x + q) / q)^(1-s) - 1) / z on [0, size).
        return int(self.q * ((1.0 + u * self.z) ** (1.0 / self.a) - 1.0))

    def word(self, rng: random.Random) -> str:
        r = self.rank(rng.random())
        return self.head[r] if r < len(self.head) else self.tail(r - len(self.head))

    def key(self) -> str:
        return f"{self.q} {self.a} {self.z}\t" + "\t".join(self.head)


class CountedLexicon(Lexicon):
    """Real words at their real frequencies, less a discount that goes to made-up words.

    Absolute discounting: each real word gives up `discount` of its count, and the sum is the
    chance of a word never seen in the real sample (a made-up one, Zipf-Mandelbrot by rank). So a
    sample the size of the real one looks like it, and a large corpus keeps finding new words.
    """

    def __init__(
        self,
        counts: Counter[str],
        discount: float,
        tail_shape: tuple[float, float, int],
        tail: Callable[[int], str],
    ) -> None:
        ranked = counts.most_common()
        super().__init__([w for w, _ in ranked], *tail_shape, tail)
        self.cum = list(accumulate(c - discount for _, c in ranked))
        self.total = float(sum(counts.values()))

    def word(self, rng: random.Random) -> str:
        u = rng.random() * self.total
        if u < self.cum[-1]:
            return self.head[bisect(self.cum, u)]
        return self.tail(self.rank((u - self.cum[-1]) / (self.total - self.cum[-1])))

    def key(self) -> str:
        return super().key() + "\t" + " ".join(f"{c:g}" for c in self.cum)


def _capitalised(endings: Sequence[str], salt: int) -> Callable[[int], str]:
    memo: dict[int, str] = {}  # the first tail ranks come up again and again

    def tail(rank: int) -> str:
        word = memo.get(rank)
        if word is None:
            word = coin(rank, salt, endings).capitalize()
            if rank < 1 << 16:
                memo[rank] = word
        return word

    return tail


def _ranked(*pools: Sequence[str]) -> list[str]:
    """Pools merged in order (the most frequent first), each word once."""
    return list(dict.fromkeys(w for pool in pools for w in pool if w.strip()))


@dataclass(frozen=True, slots=True)
class Lexicons:
    firsts: Lexicon
    lasts: Lexicon
    singles: Lexicon
    words: Lexicon
    inner_words: Lexicon  # for any place but a title's last word: more "the", "of", "in"
    group_tails: tuple[str, ...]

    def fingerprint(self) -> str:
        """Changes when a word list does (names.py, the real data), so a stale cache is not read."""
        lists = (self.firsts, self.lasts, self.singles, self.words, self.inner_words)
        text = "\n".join([*(lex.key() for lex in lists), "\t".join(self.group_tails)])
        return hashlib.sha1(text.encode()).hexdigest()[:8]


def _surname(word: str) -> bool:
    """The real surname list also holds name endings and group words: keep surnames only."""
    return word[0].isupper() and word[1:].islower() and word not in NOT_SURNAMES


NOT_SURNAMES = frozenset(("Band", "Orchestra", "Group", "Trio", "Quartet", "Singers", "Boys"))


def title_word_counts() -> Counter[str]:
    """Words of the real song titles (genius-2017, Number Ones, Discogs tracks), as written."""
    counts = Counter(
        w for t in identity_names.real_titles() for w in t.split() if _TITLE_WORD.match(w)
    )
    counts.update(w.title() for w in name_pools.WORDS)
    return counts


_TITLE_WORD = re.compile(r"^[^\W_][\w'’.\-]*$")


@cache
def lexicons() -> Lexicons:
    real = identity_names.pools()
    singles = _ranked(real.singles, name_pools.STAGE)
    random.Random(5).shuffle(singles)  # real one-word names are sorted by name within a count
    shape = SHAPES
    counts = title_word_counts()
    # Titles do not end on "the" or "of" (see Maker.title): what those words lose at the end
    # they gain elsewhere, so their share of all title words stays the real one.
    inner = Counter(
        {w: c * STOP_BOOST if w.lower() in STOP_WORDS else c for w, c in counts.items()}
    )
    tail = _capitalised(_WORD_ENDINGS, 4)
    return Lexicons(
        firsts=Lexicon(
            [w for w in _ranked(real.firsts, name_pools.FIRST) if w not in ("DJ", "MC")],
            *shape["firsts"],
            _capitalised(("",), 1),
        ),
        lasts=Lexicon(
            [w for w in _ranked(name_pools.LAST, real.lasts) if _surname(w)],
            *shape["lasts"],
            _capitalised(_SURNAME_ENDINGS, 2),
        ),
        singles=Lexicon(singles, *shape["singles"], _capitalised(_WORD_ENDINGS, 3)),
        words=CountedLexicon(counts, WORD_DISCOUNT, shape["words"], tail),
        inner_words=CountedLexicon(inner, WORD_DISCOUNT, shape["words"], tail),
        group_tails=tuple(_ranked(name_pools.GROUP_WORDS, real.group_tails[:40])),
    )


# -- scripts, accents, capitals ----------------------------------------------------------------


def _script(letters: str) -> dict[int, int]:
    """Latin a-z (and A-Z) to another script's letters, one for one: made-up words stay made up."""
    table = str.maketrans(string.ascii_lowercase, letters)
    table.update(str.maketrans(string.ascii_uppercase, letters.upper()))
    return table


_CYRILLIC = _script("абцдефгхийклмнопкрстуввхыз")
_GREEK = _script("αβψδεφγηιξκλμνοπθρστυωωχυζ")
_ARABIC = _script("ابكدافغحيجكلمنوبقرستووكيزز")
_CJK = "愛の夢花光風月星雨雪心空海夜春秋東京人生世界青春時代歌恋天使君僕私明日未来新旧山川"
_KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん"
_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "n": "ñ", "c": "ç", "s": "ș"}


def accent(rng: random.Random, name: str) -> str:
    """One letter or two with a diacritic, as a name from another language has them."""
    spots = [i for i, c in enumerate(name) if c in _ACCENTS]
    for i in rng.sample(spots, min(len(spots), rng.choice((1, 1, 2)))):
        name = name[:i] + _ACCENTS[name[i]] + name[i + 1 :]
    return name


def east_asian(rng: random.Random) -> str:
    chars = _CJK if rng.random() < 0.6 else _KANA
    return "".join(rng.choice(chars) for _ in range(rng.choice((2, 2, 3, 4, 5, 6))))


def other_script(rng: random.Random, name: str, east_asian_share: float) -> str:
    """A name in another script: Cyrillic mostly, then Greek, Arabic, CJK or kana."""
    roll = rng.random()
    if roll < east_asian_share:
        return east_asian(rng)
    if roll < east_asian_share + 0.15:
        return name.translate(_GREEK)
    if roll < east_asian_share + 0.25:
        return name.translate(_ARABIC)
    return name.translate(_CYRILLIC)


def stylise(rng: random.Random, name: str) -> str:
    """Stylised capitals: "KAYTRANADA", "RedOne", "Mike WiLL", "benny blanco"."""
    roll = rng.random()
    if roll < 0.45:
        return name.upper()
    if roll < 0.65:
        return name.lower()
    if roll < 0.85:  # two words run together: "RedOne", "FrancisGotHeat"
        return name.replace(" ", "", 1) if " " in name else name + rng.choice(("One", "Beatz"))
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 0 and name[i - 1].islower()]
    if not letters:
        return name.upper()
    i = rng.choice(letters)
    return name[:i] + name[i : i + 2].upper() + name[i + 2 :]


def power(rng: random.Random, alpha: float, scale: float) -> int:
    """A Pareto-like count: P(x >= k) ~ (1 + k/scale)^-alpha, so most are 0-3, a few huge."""
    return int(scale * ((1.0 - rng.random()) ** (-1.0 / alpha) - 1.0))  # 1 - u is in (0, 1]


def year(rng: random.Random) -> int:
    return 2025 - int(70 * rng.random() ** 1.8)  # recent years more often


# -- artists -----------------------------------------------------------------------------------

PERSON_ROLES = (
    *("producer", "producer", "songwriter", "songwriter", "singer", "rapper", "engineer"),
    *("mixing engineer", "guitarist", "drummer", "composer", "pianist", "bassist", "DJ"),
)
STAGE_ROLES = ("rapper", "rapper", "producer", "producer", "DJ", "singer", "beatmaker")
GROUP_ROLES = ("band", "band", "group", "group", "ensemble", "collective")
INITIALS = "ABCDEFGHIJKLMNOPRSTVWXZ"


@dataclass(slots=True)
class Artist:
    name: str
    aliases: tuple[str, ...]
    role: str
    since: int
    importance: int


class Maker:
    """Builds one chunk's entries from the chunk's random source."""

    def __init__(self, rng: random.Random, lex: Lexicons) -> None:
        self.rng = rng
        self.lex = lex

    # names -----------------------------------------------------------------------------------

    def first(self) -> str:
        return self.lex.firsts.word(self.rng)

    def last(self) -> str:
        return self.lex.lasts.word(self.rng)

    def single(self) -> str:
        return self.lex.singles.word(self.rng)

    def person(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.06:  # a middle initial or name
            middle = f"{r.choice('ABCDEFGHJKLMNPRSTW')}." if r.random() < 0.6 else self.first()
            return f"{self.first()} {middle} {self.last()}"
        if roll < 0.08:
            return f"{self.first()} {self.last()} {r.choice(('Jr.', 'Sr.', 'II', 'III'))}"
        if roll < 0.09:
            return f"{self.first()} {self.last()}-{self.last()}"
        return f"{self.first()} {self.last()}"

    def stage(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.55:
            return self.single()
        if roll < 0.70:
            return f"{r.choice(name_pools.PREFIXES)} {self.single()}"
        if roll < 0.80:
            return f"{self.single()} {r.choice(name_pools.SUFFIXES)}"
        if roll < 0.85:
            return f"{r.choice(name_pools.NUMBERS)} {self.single()}"
        if roll < 0.93:  # initials: "K.A.B.", "A.D."
            return "".join(f"{r.choice(INITIALS)}." for _ in range(r.randint(2, 4)))
        return f"{self.single()} {self.single()}"

    def group(self) -> str:
        r = self.rng
        roll = r.random()
        tail = r.choice(self.lex.group_tails)
        if roll < 0.15:
            return f"The {self.single()} {tail}"
        if roll < 0.25:  # "The Persuader", "The Weeknd"
            return f"The {self.single()}"
        if roll < 0.75:
            return f"{self.single()} {tail}"
        if roll < 0.85:
            return f"{self.person()} & The {tail}"
        return f"{self.content_word()} {self.content_word()}"

    def artist(self) -> Artist:
        r = self.rng
        roll = r.random()
        if roll < 0.70:
            name, role, aliases = self.person(), r.choice(PERSON_ROLES), self.person_aliases
        elif roll < 0.86:
            name, role, aliases = self.stage(), r.choice(STAGE_ROLES), self.stage_aliases
            if r.random() < 0.12:
                name = stylise(r, name)
        elif roll < 0.982:
            name, role, aliases = self.group(), r.choice(GROUP_ROLES), self.group_aliases
        else:  # a combined page: "Hall & Oates", "21 Savage & Metro Boomin"
            joiner = r.choice((" & ", " & ", " & ", " and ", " x ", " + "))
            name, role, aliases = f"{self.stage()}{joiner}{self.person()}", "duo", self.no_aliases
        if r.random() < 0.025:
            name = other_script(r, name, 0.1)
        elif r.random() < 0.005:
            name = accent(r, name)
        importance = power(r, 1.3, 1.0)
        found = aliases(name)
        if importance >= 8:  # the busiest are credited in more ways: Discogs lists dozens
            found = (*found, *self.variations(name, min(importance.bit_length() - 3, 12)))
        return Artist(name, tuple(dict.fromkeys(found)), role, year(r), importance)

    def variations(self, name: str, count: int) -> list[str]:
        """Ways a credit may write a name: "J. Wink", "JOSH WINK", "Wink", "Josh Winx"."""
        r = self.rng
        words = name.split()
        out: list[str] = []
        for _ in range(count):
            roll = r.random()
            if roll < 0.4:
                out.append(name_pools.misspell(name, r))
            elif roll < 0.55 and len(words) > 1:
                out.append(f"{words[0][0]}. {' '.join(words[1:])}")
            elif roll < 0.7 and len(words) > 1:
                out.append(words[r.randrange(len(words))])
            elif roll < 0.8:
                out.append(name.upper())
            elif roll < 0.9:
                out.append(name.replace(" ", "", 1) if len(words) > 1 else f"DJ {name}")
            else:
                out.append(f"{name} {r.choice(('Project', 'Productions', 'Band', 'Music'))}")
        # Not a bare initial or prefix ("C.", "MC"): those name nobody.
        return [v for v in out if v != name and sum(map(str.isalpha, v)) >= 3]

    def no_aliases(self, name: str) -> tuple[str, ...]:
        return ()

    def person_aliases(self, name: str) -> tuple[str, ...]:
        """Other spellings, as Discogs lists them: "J. Wink", "Wink", no accents, a typo."""
        r = self.rng
        out: list[str] = []
        words = name.split()
        if r.random() < 0.15 and len(words) >= 2:
            out.append(f"{words[0][0]}. {' '.join(words[1:])}")
        if r.random() < 0.05:
            out.append(words[-1])
        if not name.isascii() and r.random() < 0.6:
            out.append(identity_names.drop_diacritics(name))
        if r.random() < 0.04:
            out.append(name_pools.misspell(name, r))
        return tuple(dict.fromkeys(a for a in out if a != name))

    def stage_aliases(self, name: str) -> tuple[str, ...]:
        """A legal name for most, and the ways the stage name is also written."""
        r = self.rng
        out: list[str] = []
        if r.random() < 0.45:
            out.append(self.person())
        if r.random() < 0.1:
            out.append(name.lower() if r.random() < 0.5 else name.upper())
        words = name.split(" ", 1)
        if len(words) == 2 and words[0] in name_pools.PREFIXES and r.random() < 0.3:
            out.append(words[1])  # "DJ Dozia" -> "Dozia"
        if r.random() < 0.05:
            out.append(name_pools.misspell(name, r))
        return tuple(dict.fromkeys(a for a in out if a != name))

    def group_aliases(self, name: str) -> tuple[str, ...]:
        r = self.rng
        if name.startswith("The ") and r.random() < 0.3:
            return (name[4:],)
        if r.random() < 0.05:
            return (name_pools.misspell(name, r),)
        return ()

    # titles ----------------------------------------------------------------------------------

    def phrase(self, count: int) -> str:
        """Title words, ending on one that can stand alone: "Hold On", not "Hold The"."""
        if count == 1:
            return self.content_word()
        r, word = self.rng, self.lex.inner_words.word
        words = [word(r)]
        for _ in range(count - 2):
            nxt = word(r)
            words.append(nxt if nxt.lower() != words[-1].lower() else word(r))  # not "The The"
        last = self.content_word()
        words.append(last if last.lower() != words[-1].lower() else self.content_word())
        return " ".join(words)

    def content_word(self) -> str:
        """A word that can stand alone ("Numb", not "The"): a few tries, then whatever came."""
        word = self.lex.words.word(self.rng)
        for _ in range(4):
            if word.lower() not in STOP_WORDS:
                break
            word = self.lex.words.word(self.rng)
        return word

    def title(self, style: TitleStyle) -> str:
        """Title words, now and then with numbers, punctuation, "&" or stylised capitals."""
        r = self.rng
        count = 1 + bisect(style.lengths, r.random() * style.lengths[-1])
        title = self.phrase(count)
        if title[0].islower():
            title = title[0].upper() + title[1:]
        roll = r.random()
        if roll < style.digits:
            number = r.choice(NUMERALS)
            return f"{title} {number}" if r.random() < 0.7 else f"{number} {title}"
        roll -= style.digits
        if roll < style.capitals:
            return stylise(r, title) + ("." if r.random() < 0.2 else "")
        roll -= style.capitals
        if roll < style.ampersand:
            return f"{title} & {self.content_word()}"
        roll -= style.ampersand
        if roll < 0.02:
            return title + r.choice(("?", "!", "...", "?", "!"))
        if roll < 0.06:
            return f"{title}, {self.phrase(r.choice((1, 1, 2)))}"
        return title


# Words a title does not end on or consist of: articles, prepositions, conjunctions, possessives.
STOP_WORDS = frozenset(
    (
        *("the", "a", "an", "of", "to", "and", "or", "for", "in", "at", "by", "with", "from"),
        *("into", "my", "your", "our", "their", "his", "her", "its", "de", "la", "le", "el"),
        *("les", "des", "du", "del", "und", "der", "die", "das", "den", "im", "of'", "o'", "&"),
        *("/", "-"),
    )
)
NUMERALS = (
    *("2", "3", "4", "7", "10", "21", "24", "99", "100", "1", "5", "8", "12", "23", "30"),
    *("1999", "2000", "2012", "2017", "1984", "1969", "II", "III", "IV", "No. 1", "No. 2"),
)


@dataclass(frozen=True, slots=True)
class TitleStyle:
    lengths: tuple[int, ...]  # cumulative weights of 1, 2, 3... words
    digits: float  # share with a number
    capitals: float  # share stylised
    ampersand: float  # share of "X & Y" titles


RECORDING_STYLE = TitleStyle(tuple(accumulate((23, 27, 20, 13, 7, 5, 3, 2))), 0.04, 0.01, 0.008)
RELEASE_STYLE = TitleStyle(tuple(accumulate((21, 24, 20, 13, 9, 5, 3, 2, 2))), 0.09, 0.045, 0.018)
COMMON_TITLES = (
    *("Untitled", "Intro", "Outro", "Interlude", "Home", "Love", "Untitled", "Intro"),
    *name_pools.COMMON_TITLES,
    *("Allegro", "Adagio", "Andante", "Yesterday", "Hallelujah", "Sorry", "Closer", "Numb"),
)
COMMON_RELEASES = (
    *("Greatest Hits", "Live", "The Remixes", "Untitled", "Singles", "Demo", "Split"),
    *("The Best Of", "Golden Collection", "Christmas", "Anthology", "Essentials", "Love Songs"),
)
RELEASE_KINDS = (
    *("album", "album", "album", "single", "single", "single", "EP", "EP"),
    *("compilation", "live album", "mixtape"),
)
VERSIONS = (
    *(" (Remix)", " (Original Mix)", " (Extended Mix)", " (Radio Edit)", " - Radio Edit"),
    *(" (Live)", " (Instrumental)", " (Acoustic)", " (Reprise)", " (Dub)", " (Club Mix)"),
    *(" (Demo)", " - Remastered", " (Interlude)", " (Edit)", " (Version)", " (Mono)"),
    *(" (Skit)", " (Intro)", ", Pt. 2", " Pt. 1", " (Live at Wembley)", " (Bonus Track)"),
)
RELEASE_SUFFIXES = (
    *(" EP", " EP", " (Deluxe Edition)", " (Remixes)", " (The Remixes)", " Vol. 1"),
    *(" Vol. 2", ", Vol. 3", " (Remastered)", " (Live)", " Part 1", " (Expanded Edition)"),
    *(" (Original Motion Picture Soundtrack)", " 2", " II"),
)


# -- chunks ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Release:
    title: str
    artist: str
    year: int


class Chunk:
    """The entries of one chunk: its artists, then its releases, then its recordings."""

    def __init__(self, seed: int, index: int, lex: Lexicons, stars: Sequence[Artist]) -> None:
        self.maker = Maker(random.Random(f"search-corpus:{seed}:{index}"), lex)
        self.rng = self.maker.rng
        self.stars = stars
        self.star_cum = list(accumulate(a.importance + 1 for a in stars))
        self.artists: list[Artist] = []
        self.artist_cum: list[int] = []
        self.releases: list[Release] = []
        self.titles: list[str] = []  # this chunk's recording titles, for versions and covers

    def make_artists(self, count: int) -> list[Artist]:
        self.artists = [self.maker.artist() for _ in range(count)]
        self.artist_cum = list(accumulate(a.importance + 1 for a in self.artists))
        return self.artists

    def pick_artist(self) -> str:
        """An artist of this chunk or a star, heavier ones more often."""
        r = self.rng
        pool: Sequence[Artist] = self.artists
        cum: Sequence[int] = self.artist_cum
        if not pool or (self.stars and r.random() < STAR_SHARE):
            pool, cum = self.stars, self.star_cum
        return pool[bisect(cum, r.random() * cum[-1])].name

    def release(self) -> tuple[str, tuple[str, ...], str, int]:
        r, m = self.rng, self.maker
        artist = self.pick_artist()
        roll = r.random()
        if roll < 0.02:  # self-titled
            title = artist
        elif roll < 0.03:
            title = r.choice(COMMON_RELEASES)
        elif roll < 0.10:  # a single with its B-side
            title = f"{m.title(RECORDING_STYLE)} / {m.phrase(r.randint(1, 4))}"
        else:
            title = m.title(RELEASE_STYLE)
            if r.random() < 0.1:
                title += r.choice(RELEASE_SUFFIXES)
        if r.random() < 0.02:
            title = other_script(r, title, 0.25)
        when = year(r)
        self.releases.append(Release(title, artist, when))
        kind = r.choice(RELEASE_KINDS)
        return title, (), f"{kind} by {artist} · {when}", power(r, 1.3, 0.8)

    def recording(self) -> tuple[str, tuple[str, ...], str, int]:
        r = self.rng
        on_release = self.releases and r.random() < 0.7
        if on_release:
            release = self.releases[r.randrange(len(self.releases))]
            artist, when = release.artist, release.year
        else:
            artist, when, release = self.pick_artist(), year(r), None
        title = self.recording_title(release)
        self.titles.append(title)
        if r.random() < 0.01:
            title += f" ({r.choice(FEATS)} {self.pick_artist()})"
        context = f"by {artist} · {when}" + (f" · {release.title}" if release else "")
        return title, (), context, power(r, 1.5, 0.5)

    def recording_title(self, release: Release | None) -> str:
        r, m = self.rng, self.maker
        roll = r.random()
        if roll < 0.025:
            return r.choice(COMMON_TITLES)
        if roll < 0.04 and release is not None:  # the title track
            return release.title
        if roll < 0.07 and self.titles:  # the same song again: a cover, a live take, a re-release
            return self.titles[r.randrange(len(self.titles))]
        if roll < 0.13 and self.titles:  # a version of a song
            base = self.titles[r.randrange(len(self.titles))].split(" (")[0]
            if r.random() < 0.4:
                return f"{base} ({self.pick_artist()} {r.choice(('Remix', 'Mix', 'Dub', 'Edit'))})"
            return base + r.choice(VERSIONS)
        title = m.title(RECORDING_STYLE)
        if r.random() < 0.045:
            title = other_script(r, title, 0.3)
        return title

    def rows(self, first_id: int, size: int) -> list[Row]:
        """The chunk as Entry fields (the cache writer needs no Entry objects)."""
        counts = kind_counts(size)
        out: list[Row] = [
            (first_id + i, "artist", a.name, a.aliases, f"{a.role}, {a.since}", a.importance)
            for i, a in enumerate(self.make_artists(counts["artist"]))
        ]
        for kind, make in (("release", self.release), ("recording", self.recording)):
            for _ in range(counts[kind]):
                out.append((first_id + len(out), kind, *make()))
        return out


FEATS = ("feat.", "feat.", "feat.", "ft.", "featuring", "with")


def kind_counts(size: int) -> dict[str, int]:
    artists = round(size * SHARES[0][1])
    releases = round(size * SHARES[1][1])
    return {"artist": artists, "release": releases, "recording": size - artists - releases}


@cache
def stars(seed: int, n: int) -> tuple[Artist, ...]:
    """The artists of chunk 0 (as many as the corpus holds): anyone's releases may name them."""
    size = min(CHUNK, n)
    chunk = Chunk(seed, 0, lexicons(), ())
    return tuple(chunk.make_artists(kind_counts(size)["artist"]))


def chunk_rows(seed: int, n: int, index: int) -> list[Row]:
    first = index * CHUNK
    size = min(CHUNK, n - first)
    return Chunk(seed, index, lexicons(), stars(seed, n)).rows(first + 1, size)


def generate(n: int, seed: int = 1) -> Iterator[Entry]:
    """The corpus of n entries, in id order; the same for the same (n, seed)."""
    for index in range(math.ceil(n / CHUNK)):
        for row in chunk_rows(seed, n, index):
            yield Entry(*row)


# -- the cache ---------------------------------------------------------------------------------


def cache_path(n: int, seed: int) -> Path:
    return CACHE / f"search-corpus-{n}-s{seed}-v{VERSION}-{lexicons().fingerprint()}.tsv.gz"


def to_line(row: Row) -> str:
    id_, kind, name, aliases, context, importance = row
    return f"{id_}\t{kind}\t{name}\t{ALIAS_SEP.join(aliases)}\t{context}\t{importance}\n"


def _compressed_chunk(job: tuple[int, int, int]) -> tuple[bytes, dict[str, int]]:
    """One chunk as a gzip member (members concatenate into one valid .gz file)."""
    seed, n, index = job
    rows = chunk_rows(seed, n, index)
    data = "".join(map(to_line, rows)).encode()
    counts = {kind: 0 for kind, _ in SHARES}
    for row in rows:
        counts[row[1]] += 1
    return gzip.compress(data, compresslevel=1, mtime=0), counts


def write_cache(n: int, seed: int = 1, workers: int | None = None) -> dict[str, object]:
    """Generate the corpus into its cache file (chunks made in parallel, written in order)."""
    path = cache_path(n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    started = time.perf_counter()
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    jobs = [(seed, n, i) for i in range(math.ceil(n / CHUNK))]
    counts = {kind: 0 for kind, _ in SHARES}
    try:
        with open(tmp, "wb") as out, mp.get_context("fork").Pool(workers, _warm) as pool:
            for data, chunk_counts in pool.imap(_compressed_chunk, jobs, chunksize=1):
                out.write(data)
                for kind, count in chunk_counts.items():
                    counts[kind] += count
        tmp.replace(path)  # whole or not at all: a reader never sees half a corpus
    finally:
        tmp.unlink(missing_ok=True)
    return {
        "path": str(path),
        "entries": sum(counts.values()),
        **counts,
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": path.stat().st_size,
        "workers": workers,
    }


def _warm() -> None:
    lexicons()  # once per worker, not once per chunk


def read_cache(path: Path) -> Iterator[Entry]:
    kinds = {kind: kind for kind, _ in SHARES}  # one string object per kind, not one per entry
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
        for line in f:
            id_, kind, name, aliases, context, importance = line[:-1].split("\t")
            yield Entry(
                int(id_),
                kinds[kind],
                name,
                tuple(aliases.split(ALIAS_SEP)) if aliases else (),
                context,
                int(importance),
            )


def iter_cached(n: int, seed: int = 1) -> Iterator[Entry]:
    """The corpus from its cache file, generated first if it is not there."""
    path = cache_path(n, seed)
    if not path.exists():
        write_cache(n, seed)
    return read_cache(path)


def load(n: int, seed: int = 1) -> list[Entry]:
    """The whole corpus in memory: fine at 1M; at 5M and more prefer iter_cached."""
    return list(iter_cached(n, seed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cache file")
    parser.add_argument("--realism", action="store_true", help="write the realism report")
    parser.add_argument("--read", action="store_true", help="also time reading the cache back")
    args = parser.parse_args(argv)
    if args.realism:
        import search_realism

        return search_realism.main(["--n", str(args.n), "--seed", str(args.seed)])
    path = cache_path(args.n, args.seed)
    if args.regenerate or not path.exists():
        info = write_cache(args.n, args.seed, args.workers)
        print(
            f"wrote {info['entries']:,} entries ({info['artist']:,} artists,"
            f" {info['release']:,} releases, {info['recording']:,} recordings)"
            f" in {info['seconds']} s with {info['workers']} workers:"
            f" {path} ({int(str(info['bytes'])) / 1e6:.1f} MB)"
        )
    else:
        print(f"cached: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.read:
        started = time.perf_counter()
        count = sum(1 for _ in read_cache(path))
        print(f"read {count:,} entries back in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
