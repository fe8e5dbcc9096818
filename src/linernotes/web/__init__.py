"""The HTTP face: the API under /api/v1 (FastAPI)."""
