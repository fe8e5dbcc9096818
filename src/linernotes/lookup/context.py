"""What a source's plan works with while a look-up runs: its HTTP client held to the deadline,
a way to hand records to the writer, a way to ask the catalog, and the goal shared by sources.

Each source runs in its own thread and never touches the catalog itself: records go to the one
writer thread through a queue, and a question for the catalog ("which of these people do we not
know yet?") is run by the writer on its connection, the answer coming back through a Future.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from linernotes.ingest import live
from linernotes.ingest.pipeline import Item
from linernotes.lookup.candidates import Candidate, Wanted
from linernotes.normalize.records import PayloadError, Problem, Ref, SourceRecord
from linernotes.sources.http import HttpClient, NotFound, OutOfTime, SourceError
from linernotes.store.db import Database

T = TypeVar("T")
# Sources that can say which record is meant, best first: the others search with what they say.
IDENTIFIERS = ("genius", "spotify")
MAX_PROBLEMS = 5  # per source, shown in the status


class Cut(Exception):
    """The time budget ran out for this source: what it fetched so far is kept."""


class NothingFound(Exception):
    """The source has no record that matches: a normal outcome, said in the status."""


@dataclass(slots=True)
class SourceStatus:
    """One source's part in a look-up, as the CLI, the API and the pages show it."""

    state: str = "waiting"  # waiting, searching, fetching, done, failed, skipped, cut, no match
    note: str = ""
    requests: int = 0
    records: int = 0
    found: str = ""  # what the source identified: "song 2872960: 24K Magic by Bruno Mars"
    problems: list[str] = field(default_factory=list)  # the first MAX_PROBLEMS
    unlisted: int = 0  # problems past those

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "note": self.note,
            "requests": self.requests,
            "records": self.records,
            "found": self.found,
            "problems": self.problems + ([f"and {self.unlisted} more"] if self.unlisted else []),
        }


@dataclass(frozen=True, slots=True)
class Records:
    """A message to the writer: records a source fetched. `main` marks the record the look-up
    is about (its entity becomes the answer as soon as it is written)."""

    source: str
    target: live.Target
    items: list[Item]
    main: Ref | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    question: Callable[[Database], Any]
    answer: Future[Any]


@dataclass(frozen=True, slots=True)
class Ended:
    source: str


Message = Records | Ask | Ended


class Goal:
    """What the look-up is after, shared by the sources' threads: the words or the known record,
    refined once an identifying source (Genius first, then Spotify) has picked the record."""

    def __init__(
        self, wanted: Wanted, ids: dict[str, str], what: str, identifiers: tuple[str, ...]
    ) -> None:
        self.wanted = wanted
        self.ids = ids  # namespace -> id, known before any search (a refresh)
        self.what = what  # "song" or "album"
        self._order = [s for s in IDENTIFIERS if s in identifiers]
        self._answers: dict[str, Candidate | None] = {}
        self._lock = threading.Lock()
        self._settled = threading.Event()
        if not self._order or (wanted.title and wanted.artist):
            self._settled.set()

    def offer(self, source: str, found: Candidate | None) -> None:
        """What an identifying source picked (None: nothing, or it failed). The best source's
        pick wins; a lesser one's only once every better one has answered without one."""
        with self._lock:
            if source in self._answers:
                return  # the first answer stands (a plan that ends answers None again)
            self._answers[source] = found
            if self._settled.is_set():
                return
            for name in self._order:
                if name not in self._answers:
                    return  # a better source may still answer
                picked = self._answers[name]
                if picked is not None:
                    self.wanted = Wanted(self.wanted.text, picked.title, _first(picked.artists))
                    break
            self._settled.set()

    def settled(self, timeout: float) -> Wanted:
        """The wanted record once identified (or as typed, when nobody could say in time)."""
        self._settled.wait(max(timeout, 0.0))
        with self._lock:
            return self.wanted


def _first(artists: tuple[str, ...]) -> str:
    return artists[0] if artists else ""


class SourceContext:
    """A source's handle on the look-up: requests held to the deadline, and the writer."""

    def __init__(
        self,
        source: str,
        http: HttpClient,
        outbox: queue.Queue[Message],
        status: SourceStatus,
        changed: Callable[[], None],
    ) -> None:
        self.source = source
        self.http = http
        self.status = status
        self._outbox = outbox
        self._changed = changed

    def left(self) -> float:
        deadline = self.http.deadline
        return deadline.left() if deadline is not None else float("inf")

    def say(self, state: str, note: str = "") -> None:
        self.status.state = state
        if note:
            self.status.note = note
        self._changed()

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """A request of this source's own (a search); a failure ends the source's part."""
        self.status.requests += 1
        try:
            return self.http.get_json(self.source, path, params)
        except OutOfTime as err:
            raise Cut(err.message) from None

    def fetch(self, target: live.Target, main: Ref | None = None) -> list[SourceRecord]:
        """Fetch a record and hand it to the writer; the records (empty when this one failed:
        a record missing or unreadable is a problem of the look-up, not its end)."""
        _, fetcher = live.SOURCES[target.source]
        self.status.requests += 1
        try:
            items: list[Item] = fetcher(self.http, target.kind, target.key)
        except OutOfTime as err:
            raise Cut(err.message) from None
        except NotFound:
            self.problem(f"{target.kind} {target.key}: not found")
            return []
        except SourceError as err:
            if self.status.records == 0:
                raise  # nothing fetched yet: the source failed
            self.problem(f"{target.kind} {target.key}: {err.message}")
            return []
        except (PayloadError, KeyError, TypeError, ValueError) as err:
            self.problem(f"{target.kind} {target.key}: answered garbage ({err})")
            items = [Problem(str(target), "bad_response", f"{target.source} answered garbage")]
        records = [i for i in items if isinstance(i, SourceRecord)]
        self.status.records += len(records)
        self._outbox.put(Records(self.source, target, items, main))
        self._changed()
        return records

    def ask(self, question: Callable[[Database], T]) -> T:
        """Run `question` on the writer's catalog connection and wait for its answer."""
        answer: Future[T] = Future()
        self._outbox.put(Ask(question, answer))
        return answer.result()

    def ended(self) -> None:
        """The plan is over (the writer counts these to know when every source is done)."""
        self._outbox.put(Ended(self.source))

    def problem(self, text: str) -> None:
        if len(self.status.problems) < MAX_PROBLEMS:
            self.status.problems.append(text)
        else:
            self.status.unlisted += 1
        self._changed()
