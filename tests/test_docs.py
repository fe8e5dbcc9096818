"""The README documents every setting and every command; a new one without docs fails here."""

from __future__ import annotations

from pathlib import Path

import click

from linernotes import settings
from linernotes.cli.main import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names: list[str] = []
    for name, command in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


def test_every_setting_is_in_the_readme_table() -> None:
    for setting in settings.ALL:
        assert f"| `{setting.env}` |" in README, setting.env


def test_every_command_is_in_the_readme() -> None:
    for name in _commands(cli):
        assert f"`{name}" in README, name


def test_readme_starts_with_the_two_commands() -> None:
    top = README[:1500]
    assert "make run" in top and "make test" in top
