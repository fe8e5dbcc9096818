"""How close the search corpus is to real catalogs: the same figures on real and generated names.

Real names come from the genius-2017 snapshot (people, songs, their albums) and the Discogs dump
extracts (artists, artists credited on 800 releases, release, master and track titles). Every
figure is computed per kind on the real names and on as many generated names of that kind, drawn
at random from a generated corpus, because most of them (top-k shares, Zipf slope, vocabulary,
collisions) depend on the sample size. Names are folded by the product's own `fold`.

    .venv/bin/python bench/search_realism.py              # 1M corpus (generated if not cached)
    .venv/bin/python bench/search_realism.py --n 200000   # a smaller corpus
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from lxml import etree  # type: ignore[import-untyped]

from linernotes.normalize.fold import fold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus as corpus  # a sibling script, as the other bench modules import theirs

DATA = Path(__file__).resolve().parent.parent / "src/linernotes/demo/data"
OUT = Path(__file__).resolve().parent / "results/search-realism.json"
KINDS = ("artist", "release", "recording")
TOP_K = (10, 100, 1000)
ZIPF_RANKS = 1000

_DISCOGS_NUMBER = re.compile(r"\s*\((\d+)\)$")  # "G (22)": Discogs tells namesakes apart so
_FEAT = re.compile(r"\b(?:feat|ft)\b\.?|\bfeaturing\b", re.IGNORECASE)
_ALL_CAPS = re.compile(r"[^\W\d_]{3,}")


# -- real names --------------------------------------------------------------------------------


def _jsonl(name: str) -> list[dict[str, Any]]:
    with gzip.open(DATA / name, "rb") as f:
        return [orjson.loads(line) for line in f]


def _xml(name: str) -> Any:
    with gzip.open(DATA / "discogs/dump" / name, "rb") as f:
        return etree.parse(f).getroot()


def _discogs_name(name: str) -> str:
    return _DISCOGS_NUMBER.sub("", name)


def real_names() -> dict[str, dict[str, list[str]]]:
    """kind -> source -> names as written (Discogs "(2)" numbers dropped: not part of a name)."""
    found = _real_names()
    return {
        kind: {source: [s for s in names if s.strip()] for source, names in sources.items()}
        for kind, sources in found.items()
    }


def _real_names() -> dict[str, dict[str, list[str]]]:
    songs = _jsonl("genius-2017-songs.jsonl.gz")
    releases = _xml("discogs_20200806_releases.sample800.xml.gz")
    artists = _xml("discogs_20200806_artists.xml.gz")
    masters = _xml("discogs_20200806_masters.xml.gz")
    credited: dict[str, str] = {}  # Discogs id -> name, every artist credited on a release
    for artist in releases.iter("artist"):
        credited.setdefault(artist.findtext("id") or "", artist.findtext("name") or "")
    return {
        "artist": {
            "genius-2017 people": [str(a["name"]) for a in _jsonl("genius-2017-artists.jsonl.gz")],
            "discogs artists": [_discogs_name(a.findtext("name")) for a in artists.iter("artist")],
            "discogs credited artists": [_discogs_name(n) for n in credited.values()],
        },
        "release": {
            "genius-2017 albums": sorted({str(s["album"]) for s in songs if s["album"]}),
            "discogs releases": [r.findtext("title") for r in releases.iter("release")],
            "discogs masters": [m.findtext("title") for m in masters.iter("master")],
        },
        "recording": {
            "genius-2017 songs": [str(s["title"]) for s in songs],
            "discogs tracks": [t.findtext("title") or "" for t in releases.iter("track")],
        },
    }


def discogs_numbered_share() -> dict[str, Any]:
    """Share of credited Discogs artists whose name carries a "(N)" number.

    Discogs numbers every artist after the first that bears a name, across its whole catalog
    (about 7.5M artists in 2020): so this is a floor for the share of artists sharing a name at
    full scale, which the small samples cannot show.
    """
    releases = _xml("discogs_20200806_releases.sample800.xml.gz")
    credited = {a.findtext("id"): a.findtext("name") or "" for a in releases.iter("artist")}
    numbered = sum(1 for n in credited.values() if _DISCOGS_NUMBER.search(n))
    return {"artists": len(credited), "numbered": numbered, "share": numbered / len(credited)}


def real_aliases() -> dict[str, float]:
    """Alias shape of the 1,000 Discogs dump artists (name variations, real name)."""
    artists = list(_xml("discogs_20200806_artists.xml.gz").iter("artist"))
    variations = [len(a.findall("namevariations/name")) for a in artists]
    return {
        "artists": len(artists),
        "with_alias": sum(1 for v in variations if v) / len(artists),
        "aliases_per_artist": sum(variations) / len(artists),
        "with_realname": sum(1 for a in artists if a.findtext("realname")) / len(artists),
    }


# -- figures -----------------------------------------------------------------------------------


def has_diacritics(name: str) -> bool:
    return any(c.isalpha() and not c.isascii() for c in name)


def has_stylised_capitals(name: str) -> bool:
    """An internal capital after a lower-case letter ("WiLL"), or an all-caps word of 3+ letters."""
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(name)):
        return True
    return any(w.isupper() for w in _ALL_CAPS.findall(name))


def shares(names: Sequence[str]) -> dict[str, float]:
    n = len(names) or 1
    return {
        "diacritics": sum(map(has_diacritics, names)) / n,
        "stylised_capitals": sum(map(has_stylised_capitals, names)) / n,
        "digits": sum(1 for s in names if any(c.isdigit() for c in s)) / n,
        "feat": sum(1 for s in names if _FEAT.search(s)) / n,
        "ampersand": sum(1 for s in names if "&" in s) / n,
    }


def zipf_slope(counts: Sequence[int]) -> float:
    """Least-squares slope of log(frequency) on log(rank), ranks 1..1000, as a positive figure."""
    points = [(math.log(r), math.log(c)) for r, c in enumerate(counts[:ZIPF_RANKS], 1)]
    if len(points) < 2:
        return 0.0
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    return -sxy / sxx


def token_curve(names: Sequence[str]) -> dict[str, float]:
    tokens = Counter(t for s in names for t in fold(s).split())
    counts = sorted(tokens.values(), reverse=True)
    total = sum(counts) or 1
    curve = {f"top{k}_share": sum(counts[:k]) / total for k in TOP_K}
    curve["zipf_slope"] = zipf_slope(counts)
    curve["vocabulary_per_1000"] = 1000 * len(counts) / (len(names) or 1)
    curve["tokens_per_name"] = total / (len(names) or 1)
    return curve


def fold_collision_rate(names: Iterable[str]) -> float:
    """Share of entries whose folded name another entry of the sample also folds to."""
    folded = Counter(fold(s) for s in names)
    entries = sum(folded.values()) or 1
    return sum(c for c in folded.values() if c > 1) / entries


def figures(names: Sequence[str]) -> dict[str, float]:
    return {
        "entries": len(names),
        **token_curve(names),
        **shares(names),
        "fold_collision": fold_collision_rate(names),
    }


# -- the report --------------------------------------------------------------------------------


def generated_names(n: int, seed: int) -> dict[str, list[str]]:
    """Names of the generated corpus, by kind."""
    names: dict[str, list[str]] = {k: [] for k in KINDS}
    for entry in corpus.iter_cached(n, seed):
        names[entry.kind].append(entry.name)
    return names


def scale_figures(n: int, seed: int) -> dict[str, Any]:
    """Figures of a whole corpus, streamed: how collisions and vocabulary grow with size.

    Folded names and tokens are kept as hashes (64 bits: a false match is negligible), so 15M
    entries fit in memory.
    """
    names: dict[str, Counter[int]] = {k: Counter() for k in KINDS}
    vocabulary: dict[str, set[int]] = {k: set() for k in KINDS}
    importance: dict[str, Counter[int]] = {k: Counter() for k in KINDS}
    with_alias = aliases = 0
    for e in corpus.iter_cached(n, seed):
        folded = fold(e.name)
        names[e.kind][hash(folded)] += 1
        vocabulary[e.kind].update(map(hash, folded.split()))
        importance[e.kind][e.importance] += 1
        with_alias += bool(e.aliases)
        aliases += len(e.aliases)
    out: dict[str, Any] = {}
    for kind in KINDS:
        counts = names[kind]
        entries = sum(counts.values()) or 1
        out[kind] = {
            "entries": entries,
            "fold_collision": sum(c for c in counts.values() if c > 1) / entries,
            "later_namesake": (entries - len(counts)) / entries,
            "vocabulary": len(vocabulary[kind]),
            "vocabulary_per_1000": 1000 * len(vocabulary[kind]) / entries,
            "importance_0": importance[kind][0] / entries,
            "importance_0_3": sum(importance[kind][i] for i in range(4)) / entries,
            "importance_max": max(importance[kind]),
        }
    artists = out["artist"]["entries"]
    out["artist"]["with_alias"] = with_alias / artists
    out["artist"]["aliases_per_artist"] = aliases / artists
    return out


def compare(kind: str, real: dict[str, list[str]], generated: list[str]) -> dict[str, Any]:
    """One kind's figures: real names beside as many generated ones, drawn at random.

    The fold-collision rate is taken within each real source (the sources overlap: the same
    person is in genius-2017 and in Discogs) against a generated sample of that source's size,
    then averaged weighted by size.
    """
    rng = random.Random(f"realism:{kind}")
    real_all = [s for names in real.values() for s in names]
    result: dict[str, Any] = {
        "real": figures(real_all),
        "generated": figures(rng.sample(generated, min(len(real_all), len(generated)))),
        "sources": {},
    }
    for source, names in real.items():
        sample = rng.sample(generated, min(len(names), len(generated)))
        result["sources"][source] = {
            "real": figures(names),
            "generated_fold_collision": fold_collision_rate(sample),
        }
    for side, key in (("real", "real"), ("generated", "generated_fold_collision")):
        rates = [
            (len(real[src]), v[key]["fold_collision"] if side == "real" else v[key])
            for src, v in result["sources"].items()
        ]
        result[side]["fold_collision"] = sum(n * r for n, r in rates) / sum(n for n, _ in rates)
    return result


def report(n: int, seed: int, scales: Sequence[int]) -> dict[str, Any]:
    real = real_names()
    generated = generated_names(n, seed)
    return {
        "corpus": {"n": n, "seed": seed, "version": corpus.VERSION},
        "kinds": {kind: compare(kind, real[kind], generated[kind]) for kind in KINDS},
        "discogs_numbered_artists": discogs_numbered_share(),
        "real_discogs_aliases": real_aliases(),
        "scale": {str(size): scale_figures(size, seed) for size in sorted({n, *scales})},
    }


ROWS = (
    ("top10_share", "top-10 token share", "{:.3f}"),
    ("top100_share", "top-100 token share", "{:.3f}"),
    ("top1000_share", "top-1000 token share", "{:.3f}"),
    ("zipf_slope", "Zipf slope (ranks 1-1000)", "{:.2f}"),
    ("vocabulary_per_1000", "vocabulary per 1000 names", "{:.0f}"),
    ("tokens_per_name", "tokens per name", "{:.2f}"),
    ("diacritics", "diacritics", "{:.1%}"),
    ("stylised_capitals", "stylised capitals", "{:.1%}"),
    ("digits", "digits", "{:.1%}"),
    ("feat", "feat./ft./featuring", "{:.1%}"),
    ("ampersand", "&", "{:.1%}"),
    ("fold_collision", "fold collision", "{:.1%}"),
)


def table(result: dict[str, Any]) -> str:
    kinds = result["kinds"]
    head = "| figure | " + " | ".join(f"{k} real | {k} gen" for k in KINDS) + " |"
    lines = [head, "|---|" + "---:|" * (2 * len(KINDS))]
    sizes = " | ".join(
        f"{kinds[k]['real']['entries']:,} | {kinds[k]['generated']['entries']:,}" for k in KINDS
    )
    lines.append(f"| names | {sizes} |")
    for key, label, fmt in ROWS:
        cells = " | ".join(
            f"{fmt.format(kinds[k]['real'][key])} | {fmt.format(kinds[k]['generated'][key])}"
            for k in KINDS
        )
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


def scale_table(result: dict[str, Any]) -> str:
    head = "| corpus | kind | entries | fold collision | later namesakes | vocabulary | per 1000 |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    for size, kinds in result["scale"].items():
        for kind in KINDS:
            f = kinds[kind]
            lines.append(
                f"| {int(size):,} | {kind} | {f['entries']:,} | {f['fold_collision']:.1%}"
                f" | {f['later_namesake']:.1%} | {f['vocabulary']:,}"
                f" | {f['vocabulary_per_1000']:.0f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="generated corpus to sample")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scale", default="", help="more corpus sizes for the growth figures, e.g. 5000000"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scales = [int(s) for s in args.scale.split(",") if s]
    result = report(args.n, args.seed, scales)
    args.out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    print(table(result))
    print()
    print(scale_table(result))
    numbered = result["discogs_numbered_artists"]
    aliases = result["real_discogs_aliases"]
    generated = result["scale"][str(args.n)]["artist"]
    print(
        f"\nDiscogs artists credited on the 800 releases with a '(N)' namesake number:"
        f" {numbered['share']:.1%} of {numbered['artists']:,}"
        f"\naliases: Discogs dump artists {aliases['with_alias']:.1%} with any,"
        f" {aliases['aliases_per_artist']:.2f} per artist; generated {generated['with_alias']:.1%},"
        f" {generated['aliases_per_artist']:.2f}"
        f"\nwrote {args.out} in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
