"""Serve our search API over one index folder, for the benchmark's HTTP figures.

    .venv/bin/python bench/search_serve.py --index DIR --port 8123

The same FastAPI app as `linernotes.web.api`, under uvicorn, one process, access log off.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from linernotes.search.engine import NameIndex
from linernotes.web.api import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--port", required=True, type=int)
    args = parser.parse_args()
    app = create_app(NameIndex(args.index))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
