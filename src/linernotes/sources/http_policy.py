"""What each source allows: base URL, rate, retries, cache lifetime, authentication.

The limits come from each service's own documentation (cited by each policy). Where a service
publishes no number we choose a polite one and say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

import httpx

from linernotes import __version__, settings
from linernotes.settings import Secret
from linernotes.sources.ratelimit import Rate

DAY = 86_400.0


class Auth(Enum):
    NONE = "none"
    BEARER = "bearer"  # Authorization: Bearer <token>
    DISCOGS = "discogs"  # Authorization: Discogs token=<token>
    SPOTIFY = "spotify"  # client id + secret -> a bearer token from the accounts service


# How a static token goes into the Authorization header, by auth style.
AUTH_HEADER_FORMATS: Mapping[Auth, str] = {
    Auth.BEARER: "Bearer {}",
    Auth.DISCOGS: "Discogs token={}",
}


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    name: str
    base_url: str  # paths given to the client are relative to this
    rate: Rate
    anonymous_rate: Rate | None = None  # the rate when no credential is configured
    auth: Auth = Auth.NONE
    credential_envs: tuple[str, ...] = ()  # settings holding the credentials, named in errors
    auth_required: bool = False  # every endpoint refuses anonymous requests
    timeout: float | None = None  # None: the LINERNOTES_HTTP_TIMEOUT setting
    max_retries: int = 4  # retries after the first attempt
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After fails at once instead of waiting
    cache_ttl: float = DAY  # 0 turns the response cache off for the source
    json_params: tuple[tuple[str, str], ...] = ()  # query parameters that ask for JSON
    token_url: str = ""  # Spotify's accounts service

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def rate_for(self, has_credential: bool) -> Rate:
        if has_credential or self.anonymous_rate is None:
            return self.rate
        return self.anonymous_rate

    def url(self, path_or_url: str) -> str:
        """An absolute URL on this source's host. Refuses other hosts: the source's token must
        never be sent anywhere else."""
        if "://" not in path_or_url:
            return self.base_url.rstrip("/") + "/" + path_or_url.lstrip("/")
        host = urlsplit(path_or_url).netloc
        if host != self.host:
            raise ValueError(f"{self.name}: {path_or_url!r} is not on {self.host}")
        return path_or_url


POLICIES: Mapping[str, SourcePolicy] = {
    policy.name: policy
    for policy in (
        # https://musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting: "never make more than ONE
        # call per second" per IP, over it every request gets 503; a User-Agent naming the
        # application, its version and a contact is required (generic ones are blocked).
        SourcePolicy(
            name="musicbrainz",
            base_url="https://musicbrainz.org/ws/2/",
            rate=Rate(1, 1.0),
            json_params=(("fmt", "json"),),
        ),
        # https://www.discogs.com/developers#page:home,header:home-rate-limiting: 60 requests a
        # minute per IP with a token, 25 without, counted over a moving 60 s window; 429 beyond.
        # Authentication: "Authorization: Discogs token=<personal access token>".
        SourcePolicy(
            name="discogs",
            base_url="https://api.discogs.com/",
            rate=Rate(60, 60.0),
            anonymous_rate=Rate(25, 60.0),
            auth=Auth.DISCOGS,
            credential_envs=(settings.DISCOGS_TOKEN.env,),
        ),
        # https://docs.genius.com/: "All API requests must be authenticated", with
        # "Authorization: Bearer <access_token>". Genius publishes no rate limit: we keep to an
        # average of one request a second, with bursts of up to 10.
        SourcePolicy(
            name="genius",
            base_url="https://api.genius.com/",
            rate=Rate(10, 10.0),
            auth=Auth.BEARER,
            credential_envs=(settings.GENIUS_TOKEN.env,),
            auth_required=True,
        ),
        # https://developer.spotify.com/documentation/web-api/concepts/rate-limits: the limit is
        # counted "in a rolling 30 second window" and its size is not published (development mode
        # is lower); 429 carries Retry-After. We stay at 30 per 30 s. Every request needs a token:
        # https://developer.spotify.com/documentation/web-api/tutorials/client-credentials-flow
        SourcePolicy(
            name="spotify",
            base_url="https://api.spotify.com/v1/",
            rate=Rate(30, 30.0),
            auth=Auth.SPOTIFY,
            credential_envs=(settings.SPOTIFY_CLIENT_ID.env, settings.SPOTIFY_CLIENT_SECRET.env),
            auth_required=True,
            token_url="https://accounts.spotify.com/api/token",
        ),
        # https://www.mediawiki.org/wiki/API:Etiquette and the Wikimedia User-Agent policy: no
        # hard number for reads, but requests in series, a User-Agent with a contact, and backoff
        # on 429/503. One a second on average, bursts of 5.
        SourcePolicy(
            name="wikidata",
            base_url="https://www.wikidata.org/",
            rate=Rate(5, 5.0),
        ),
    )
}


@dataclass(frozen=True)
class Credentials:
    """Secrets by setting name (GENIUS_TOKEN, ...)."""

    secrets: Mapping[str, Secret]

    @classmethod
    def from_settings(cls) -> Credentials:
        found = {s.env: settings.secret(s) for s in CREDENTIAL_SETTINGS}
        return cls({env: value for env, value in found.items() if value is not None})

    def get(self, env: str) -> Secret | None:
        return self.secrets.get(env)

    def has_all(self, envs: tuple[str, ...]) -> bool:
        return bool(envs) and all(env in self.secrets for env in envs)

    def revealed(self) -> list[str]:
        """The secrets' text, for scrubbing it out of messages."""
        return [secret.reveal() for secret in self.secrets.values()]


CREDENTIAL_SETTINGS = (
    settings.GENIUS_TOKEN,
    settings.DISCOGS_TOKEN,
    settings.SPOTIFY_CLIENT_ID,
    settings.SPOTIFY_CLIENT_SECRET,
)


def user_agent(contact: str | None = None) -> str:
    """Product, version, contact, library: the shape MusicBrainz and Wikimedia ask for
    ("<client>/<version> (<contact>) <library>/<version>")."""
    contact = (settings.CONTACT.value() if contact is None else contact).strip()
    reach = f" ( {contact} )" if contact else ""
    return f"linernotes/{__version__}{reach} python-httpx/{httpx.__version__}"


# Query parameters that carry credentials in some APIs (Discogs accepts ?token=, others ?key=).
_SENSITIVE_PARAMS = re.compile(
    r"(?i)^(token|key|secret|api_key|apikey|access_token|client_secret)$"
)


def redact_url(url: str | httpx.URL) -> str:
    """The URL with credential-bearing query values replaced by ***."""
    parsed = httpx.URL(str(url))
    params = [
        (name, "***" if _SENSITIVE_PARAMS.match(name) else value)
        for name, value in parsed.params.multi_items()
    ]
    return str(parsed.copy_with(params=params) if params else parsed)


def scrub(text: str, secrets: list[str]) -> str:
    """Text with every known secret value replaced by ***, whatever echoed it."""
    for value in secrets:
        text = text.replace(value, "***")
    return text
