"""The README and docs keep up with the CLI: every command is documented and has help."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from narrate.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_is_in_the_readme_and_has_help() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in _commands(cli):
        assert f"narrate {name}" in readme, f"`narrate {name}` is not in the README"
        assert command.help, f"{name} has no help"
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output


def test_readme_quick_start_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("episodes", "test", "bench"):
        assert f"make {target}" in readme
        assert f"\n{target}:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_linked_from_the_readme_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in readme, f"docs/{doc.name} is not linked from the README"
