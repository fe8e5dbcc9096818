"""The time-budget rules of `HttpClient.within` views: how long a request may take, and when one
may not start or be retried, with the words that say so.

Pure functions over a `Deadline` (None: no budget, nothing is refused). Each refusal is returned
as the message of the `OutOfTime` that `http.py` raises, so the rules stay in one place and the
HTTP client keeps only the raising.
"""

from __future__ import annotations

from linernotes.sources.ratelimit import Deadline


def bounded(deadline: Deadline | None, timeout: float) -> float:
    """A request's timeout, cut to the time left: an answer after the deadline is no use."""
    return timeout if deadline is None else min(timeout, deadline.left())


def run_out(deadline: Deadline | None) -> str | None:
    """Why no request may start now, or None while there is time."""
    if deadline is None or not deadline.passed():
        return None
    return f"not asked: the {deadline.seconds:g} s budget has run out"


def slot_too_late(deadline: Deadline, wait: float, left: float) -> str:
    """The source's rate limit would hold the request past the deadline."""
    return (
        f"not asked: the next request could go in {wait:.1f} s, "
        f"{left:.1f} s are left of the {deadline.seconds:g} s budget"
    )


def ran_out_during(deadline: Deadline | None, attempt: int, what: str) -> str | None:
    """A failed attempt that ended past the deadline (a timeout cut to the time left, most
    likely) cannot be retried; None when there is still time."""
    if deadline is None or not deadline.passed():
        return None
    return f"the {deadline.seconds:g} s budget ran out during attempt {attempt} ({what})"


def pause_too_long(deadline: Deadline | None, delay: float, reason: str) -> str | None:
    """A Retry-After or backoff pause longer than the time left is not waited for: the call
    ends now rather than sleeping past the deadline. None when the pause fits."""
    if deadline is None:
        return None
    left = deadline.left()
    if delay <= left:
        return None
    pause = f"asked to wait {delay:g} s" if reason == "Retry-After" else f"would wait {delay:.1f} s"
    return (
        f"not retried: {pause} ({reason}), {left:.1f} s left of the {deadline.seconds:g} s budget"
    )
