"""The README's promises: its two quickstart commands exist, CI runs its test command, every
command is documented and its help ends with an example, and --help stays instant."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from revstory.cli import main

REPO = Path(__file__).parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def quickstart() -> list[str]:
    block = README.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [ln.split("#", 1)[0].strip() for ln in block.strip().splitlines()]


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    install_and_run, test = quickstart()
    assert install_and_run == "bash scripts/quickstart.sh"
    assert test == "bash scripts/test.sh"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # CI runs the README's test command (lint, types, the default run), then the slow set.
    assert ci[-2:] == [test, ".venv/bin/python -m pytest -q -m slow"]
    script = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    runs = [ln for ln in script.splitlines() if ln.startswith(".venv/bin/python -m pytest")]
    assert runs == ['.venv/bin/python -m pytest -q -n 2 "$@"'], (
        "the README's command is the fast run"
    )
    assert "revstory attribute content/" in (REPO / "scripts" / "quickstart.sh").read_text()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_with_an_example(name: str) -> None:
    command = main.commands[name]
    assert isinstance(command, click.Command)
    assert f"`revstory {name}" in README, f"README's command table lacks {name}"
    help_text = (command.help or "").rstrip()
    example = help_text.rsplit("Example:", 1)
    assert len(example) == 2, f"revstory {name} --help has no example"
    assert re.search(rf"^\s+revstory {name}\b", example[1], re.M), example[1]


def test_help_does_not_import_the_heavy_stack() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from revstory.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "print(sorted(m for m in ('pandas', 'duckdb', 'numpy', 'mkdocs', 'pyecharts') "
        "if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 - fixed argv: this Python and our snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
