"""Schemathesis against our own OpenAPI description: requests made from the schema (valid and
not) never get a server error, and every answer matches what the schema documents (status,
content type, headers, body shape)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from api_support import GENEROUS, demo_copy
from backends import Backend
from linernotes.web.app import create_app
from linernotes.web.config import WebConfig

# The description is the app's own; making it opens no catalog (that happens at startup).
schema = schemathesis.openapi.from_dict(
    create_app(WebConfig("unused.sqlite3", plans=GENEROUS)).openapi()
).include(path_regex="^/api/v1/")


@pytest.fixture(scope="module")
def app(backend: Backend, demo_path: Path | str) -> Iterator[FastAPI]:
    made = create_app(WebConfig(demo_copy(backend, demo_path, "api_schema"), plans=GENEROUS))
    yield made
    asgi.shutdown_lifespans()  # schemathesis started the app (its catalog connections) once


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, app: FastAPI) -> None:
    case.call_and_validate(app=app)
