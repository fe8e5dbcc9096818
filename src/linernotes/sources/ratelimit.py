"""Time and pacing for outbound requests: a clock that tests can drive, per-source limiters and
deadlines.

Every wait in the HTTP layer goes through `Clock.sleep`, so tests run a `FakeClock` whose sleep
only moves time forward and records the wait: rate limits, backoff, Retry-After and time budgets
are checked on a timeline, never by sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for spacing requests)."""
        ...

    def time(self) -> float:
        """Wall-clock seconds since the epoch (for cache ages and Retry-After dates)."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass
class FakeClock:
    """A clock for tests: `sleep` advances both clocks at once and records the wait."""

    now: float = 0.0
    wall: float = 1_750_000_000.0  # 2025-06-15, so HTTP-dates in tests read naturally
    sleeps: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.advance(max(seconds, 0.0))

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.wall += seconds


@dataclass(frozen=True, slots=True)
class Deadline:
    """A moment on `clock`'s monotonic time by which work must be done: the end of a time budget
    of `seconds` (kept so messages can name the budget)."""

    clock: Clock
    at: float
    seconds: float

    @classmethod
    def after(cls, clock: Clock, seconds: float) -> Deadline:
        if not (seconds >= 0 and math.isfinite(seconds)):
            raise ValueError(f"a time budget needs a finite number of seconds >= 0, got {seconds}")
        return cls(clock, clock.monotonic() + seconds, seconds)

    def left(self) -> float:
        """Seconds until the deadline, never below 0."""
        return max(self.at - self.clock.monotonic(), 0.0)

    def passed(self) -> bool:
        return self.clock.monotonic() >= self.at


class WaitTooLong(Exception):
    """The next slot is further away than the caller can wait; nothing was reserved."""

    def __init__(self, wait: float) -> None:
        self.wait = wait
        super().__init__(f"the next slot is {wait:.1f} s away")


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `requests` in any window of `per_seconds`."""

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not self.per_seconds > 0:
            raise ValueError(f"a rate needs requests >= 1 and a period > 0, got {self}")

    def __str__(self) -> str:
        return f"{self.requests} per {self.per_seconds:g} s"


class RateLimiter:
    """A sliding-window limiter: no window of `rate.per_seconds` ever holds more than
    `rate.requests` grants. Sliding rather than a token bucket because the services count the same
    way (Discogs: a moving 60 s window; Spotify: a rolling 30 s window), and a full bucket refilled
    mid-window would let through twice the limit. With 1 per second it is plain spacing.

    Each caller reserves its slot under the lock, then sleeps outside it, so threads queue in
    order without holding the lock while they wait.
    """

    def __init__(self, rate: Rate, clock: Clock) -> None:
        self.rate = rate
        self._clock = clock
        self._grants: deque[float] = deque()
        self._not_before = 0.0
        self._lock = threading.Lock()

    def acquire(self, limit: float | None = None) -> float:
        """Wait for a slot; return the seconds waited. When the wait would be longer than
        `limit` seconds, reserve nothing and raise `WaitTooLong` at once instead."""
        with self._lock:
            now = self._clock.monotonic()
            slot = max(now, self._not_before)
            full = len(self._grants) >= self.rate.requests
            if full:
                slot = max(slot, self._grants[0] + self.rate.per_seconds)
            if limit is not None and slot - now > limit:
                raise WaitTooLong(slot - now)
            if full:
                self._grants.popleft()
            self._grants.append(slot)
        wait = slot - now
        if wait > 0:
            self._clock.sleep(wait)
        return max(wait, 0.0)

    def hold(self, seconds: float) -> None:
        """No grant for anyone before `seconds` from now (a Retry-After or a backoff pause
        applies to every request to the source, not only to the one that was refused)."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock.monotonic() + seconds)


class RateLimiters:
    """One limiter per (source, rate), shared by every client that uses this registry."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._limiters: dict[tuple[str, Rate], RateLimiter] = {}
        self._lock = threading.Lock()

    def get(self, source: str, rate: Rate) -> RateLimiter:
        with self._lock:
            limiter = self._limiters.get((source, rate))
            if limiter is None:
                limiter = self._limiters[(source, rate)] = RateLimiter(rate, self.clock)
            return limiter


SYSTEM_CLOCK = SystemClock()
# The process-wide registry: all real clients share it, so two clients for one source in one
# process still respect that source's limit together.
SHARED_LIMITERS = RateLimiters(SYSTEM_CLOCK)
