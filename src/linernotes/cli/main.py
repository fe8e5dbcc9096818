"""Entry point: the command group with every command module registered."""

from __future__ import annotations

import sys

from linernotes.cli import commands_catalog, commands_ingest  # noqa: F401  (register commands)
from linernotes.cli.app import cli


def main() -> None:
    try:
        cli(prog_name="linernotes")
    except BrokenPipeError:  # `linernotes ... | head`
        sys.stderr.close()


__all__ = ["cli", "main"]
