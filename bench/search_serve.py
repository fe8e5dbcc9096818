"""Serve our search API over one index folder, for the benchmark's HTTP figures.

    .venv/bin/python bench/search_serve.py --index DIR --port 8123

The API's own search route (`linernotes.web.api`), alone in an app with only the index (the bench
has no catalog), under uvicorn, one process, access log off.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from linernotes.search.engine import NameIndex
from linernotes.web import api, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--port", required=True, type=int)
    args = parser.parse_args()
    app = FastAPI()
    app.state.index = NameIndex(args.index)
    errors.install(app)
    app.include_router(api.router)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
