"""What the web app needs to know, read once from settings (environment or settings file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from linernotes import settings
from linernotes.lookup.service import LookupSettings
from linernotes.sources.http import HttpClient

# Signs cookies in development only: `for_settings` refuses it in production.
DEV_SECRET = "linernotes-development-secret-not-for-production"
MIN_SECRET = 32  # characters: a key shorter than this can be guessed offline from one cookie


class ConfigError(ValueError):
    """A setting the web app cannot start with; the message names it."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What one kind of visitor may do: handle reveals a day, API requests a minute."""

    name: str
    reveals_per_day: int
    api_per_minute: int


@dataclass(frozen=True, slots=True)
class WebConfig:
    where: Path | str  # the catalog: a SQLite file or a PostgreSQL URL
    secret_key: str = DEV_SECRET
    production: bool = False
    plans: dict[str, Plan] = field(default_factory=dict)
    # Live look-ups: their settings (None: read from settings when the app starts) and the HTTP
    # client each source uses (None: one shared client; tests answer from recorded responses).
    lookups: LookupSettings | None = None
    http: Callable[[str], HttpClient] | None = field(default=None, compare=False)

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS in production (development serves plain HTTP on loopback)."""
        return self.production

    def plan(self, name: str) -> Plan:
        return self.plans[name]


def plans_from_settings() -> dict[str, Plan]:
    def plan(name: str, reveals: settings.Setting, rate: settings.Setting) -> Plan:
        return Plan(name, settings.positive_int(reveals), settings.positive_int(rate))

    return {
        "anonymous": plan("anonymous", settings.ANON_REVEALS, settings.ANON_API_RATE),
        "free": plan("free", settings.FREE_REVEALS, settings.FREE_API_RATE),
        "pro": plan("pro", settings.PRO_REVEALS, settings.PRO_API_RATE),
    }


def for_settings(where: Path | str) -> WebConfig:
    """The configuration from settings; raises ConfigError on a setting it cannot run with."""
    env = settings.ENVIRONMENT.value().strip().lower()
    if env not in {"development", "production"}:
        raise ConfigError(f"{settings.ENVIRONMENT.env} must be development or production: {env!r}")
    production = env == "production"
    secret = settings.SECRET_KEY.value()
    if production and (not secret or secret == DEV_SECRET):
        raise ConfigError(
            f"{settings.SECRET_KEY.env} must be set in production (the default key is public)"
        )
    if secret and len(secret) < MIN_SECRET:
        raise ConfigError(f"{settings.SECRET_KEY.env} must have at least {MIN_SECRET} characters")
    try:
        plans = plans_from_settings()
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return WebConfig(where, secret or DEV_SECRET, production, plans)
