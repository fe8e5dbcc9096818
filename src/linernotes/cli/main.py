"""Entry point: the command group with every command module registered."""

from __future__ import annotations

import sys

from linernotes.cli import commands_catalog  # noqa: F401  (registers roles, export, import, ...)
from linernotes.cli.app import cli


def main() -> None:
    try:
        cli(prog_name="linernotes")
    except BrokenPipeError:  # `linernotes ... | head`
        sys.stderr.close()


__all__ = ["cli", "main"]
