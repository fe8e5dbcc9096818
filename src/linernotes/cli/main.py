"""Entry point: the command group with every command module registered."""

from __future__ import annotations

import sys

from linernotes.cli import (  # noqa: F401  (register commands)
    commands_catalog,
    commands_db,
    commands_follow,
    commands_identity,
    commands_ingest,
    commands_lookup,
    commands_search,
    commands_serve,
    commands_users,
    commands_work,
)
from linernotes.cli.app import cli


def main() -> None:
    try:
        cli(prog_name="linernotes")
    except BrokenPipeError:  # `linernotes ... | head`
        sys.stderr.close()


__all__ = ["cli", "main"]
