"""The follow and notify API's shapes as OpenAPI documents them (pydantic models).

As in api_models: answers are plain dicts serialised with orjson; these models are the contract
the docs and the schema test check them against. Request bodies are validated with them, so a
bad field is a 422 whose `where` names it (`body.kind`, `body.digest_hour`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from linernotes.web.api_http import MAX_ID, MAX_TEXT

FollowKind = Literal["artist", "person", "release", "trending"]
MAX_URL = 2000  # characters of a webhook address
MAX_IDS = 1000  # notifications marked read in one request
TOP_MAX = 200  # the longest chart the sources publish


class Strict(BaseModel):
    """A request body: an unknown field is a mistake to report, not to ignore."""

    model_config = ConfigDict(extra="forbid")


# -- follows ------------------------------------------------------------------------------------


class FollowIn(Strict):
    kind: FollowKind = Field(description="What to follow")
    target_id: int = Field(
        0, ge=0, le=MAX_ID, description="The artist's, person's or release's id (not trending)"
    )
    chart: str = Field("", max_length=MAX_TEXT, description="Trending only: the chart's name")
    top_n: int = Field(
        0, ge=0, le=TOP_MAX, description="Trending only: the top N (0: the default, 10)"
    )


class Follow(BaseModel):
    id: int
    kind: FollowKind
    target_id: int = Field(description="0 for trending")
    target_name: str = Field(description="The name or title followed, or the chart")
    chart: str
    top_n: int
    created_at: str
    page: str | None = Field(description="The followed entity's page (none for trending)")
    url: str | None = Field(description="The followed entity's API resource")


class Follows(BaseModel):
    follows: list[Follow]


# -- notifications ------------------------------------------------------------------------------


class PersonRef(BaseModel):
    id: int
    name: str
    path: str


class EventChange(BaseModel):
    """A credit added, removed or corrected, or a handle added or removed (its text is not
    given: seeing a handle is a reveal)."""

    model_config = ConfigDict(extra="allow")
    change: Literal["added", "removed", "corrected"]
    person: PersonRef
    role: str | None = Field(None, description="Credits: the role code")
    role_label: str | None = None
    family: str | None = None
    detail: str | None = None
    previous_role: str | None = Field(None, description="Corrected credits: the role before")
    platform: str | None = Field(None, description="Handles: instagram, twitter, ...")


class EventSubject(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: Literal["recording", "release", "artist"]
    id: int
    title: str
    artists: list[str]
    path: str = Field(description="The page: /song/ID, /album/ID or /person/ID")


class Event(BaseModel):
    """What changed on one subject (a song, an album, a person's handles)."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(description="evt_N: stable, the same in webhooks, emails and the feed")
    type: Literal["credits.changed", "handles.changed"]
    created_at: str
    changed_at: str
    subject: EventSubject
    new_subject: bool = Field(description="A new song or album for the artist")
    changes: list[EventChange]


class Notification(BaseModel):
    id: int
    event: Event
    reasons: list[dict[str, Any]] = Field(
        description="The follows that matched: follow_id, kind, target {id, name}; trending:"
        " chart, top_n, position"
    )
    created_at: str
    read_at: str | None
    read: bool
    page: str = Field(description="Where to see the change")


class Notifications(BaseModel):
    notifications: list[Notification] = Field(description="Newest first")
    unread: int = Field(description="Unread notifications in all")
    next: str | None = Field(description="The next (older) page, if any")


class MarkRead(Strict):
    ids: list[int] | None = Field(
        None, max_length=MAX_IDS, description="The notifications to mark read (none: all)"
    )


class Marked(BaseModel):
    marked: int = Field(description="Notifications that were unread and now are read")
    unread: int


# -- settings -----------------------------------------------------------------------------------


class NotifySettings(BaseModel):
    mode: Literal["instant", "daily"]
    digest_hour: int = Field(description="The daily digest's hour, UTC")
    email: bool
    feed_url: str = Field(description="Your Atom feed's secret address")


class NotifySettingsIn(Strict):
    mode: Literal["instant", "daily"] | None = None
    digest_hour: int | None = Field(None, ge=0, le=23)
    email: bool | None = None


# -- webhooks -----------------------------------------------------------------------------------


class Webhook(BaseModel):
    id: int
    url: str
    created_at: str
    disabled_at: str | None
    active: bool


class NewWebhook(Webhook):
    secret: str = Field(description="The signing secret, shown this once")


class Webhooks(BaseModel):
    webhooks: list[Webhook]


class WebhookIn(Strict):
    url: str = Field(min_length=1, max_length=MAX_URL, description="http(s) address to POST to")


class Attempt(BaseModel):
    model_config = ConfigDict(extra="allow")
    delivery_id: int
    event_id: str = Field(description="evt_N: the event delivered")
    attempt: int
    started_at: str
    duration_ms: int
    outcome: str = Field(description="delivered, rejected, refused, timeout, error")
    status_code: int | None
    error: str
    state: str = Field(description="The delivery's state now: pending, sending, delivered, failed")


class Attempts(BaseModel):
    attempts: list[Attempt] = Field(description="Newest first")


# -- trending -----------------------------------------------------------------------------------


class TrendingRecordOut(BaseModel):
    position: int
    recording_id: int | None = Field(description="None: no recording in the catalog matches yet")
    title: str
    artist: str
    streams: int | None
    page: str | None
    url: str | None = Field(description="The recording's credits in the API")


class Trending(BaseModel):
    chart: str
    date: str | None = Field(description="The chart's latest date held")
    top_n: int
    records: list[TrendingRecordOut]
