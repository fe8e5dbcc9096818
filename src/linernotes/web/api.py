"""The HTTP API under /api/v1: one router gathering every resource's module.

- api_search: /search (names, typos, identifiers and links)
- api_catalog: /artists/{id}, /releases/{id}/credits, /recordings/{id}/credits
- api_roles: /roles, /roles/{code} (the vocabulary and its guides)
- api_people: /artists/{id}/producers, /people/{id}, /handles
- api_export: /artists/{id}/producers/export (CSV, JSON)

Shared: api_http (parameters, ETag and cache headers, documented errors), api_models (the
OpenAPI shapes), api_shapes (the catalog's answers as JSON), web/errors.py (one error body).
"""

from __future__ import annotations

from fastapi import APIRouter

from linernotes.web import api_catalog, api_export, api_people, api_roles, api_search
from linernotes.web.api_http import COMMON_ERRORS, MAX_TEXT

MAX_QUERY = MAX_TEXT  # characters of a search or name: longer is a pasted document
MAX_LIMIT = api_search.MAX_SEARCH_LIMIT  # search hits in one page

router = APIRouter(prefix="/api/v1", responses=COMMON_ERRORS)
router.include_router(api_search.router, tags=["search"])
router.include_router(api_catalog.router, tags=["catalog"])
router.include_router(api_roles.router, tags=["roles"])
router.include_router(api_people.router, tags=["people"])
router.include_router(api_export.router, tags=["exports"])
