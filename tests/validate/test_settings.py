"""`validate` and `attribute` read the same settings as `build`: the revstory block of
mkdocs.yml in the working folder, or --config-file; command-line options override it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main

from tests.conftest import EXPORTS

HUBSPOT = EXPORTS / "e2e" / "hubspot"


def _drop(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "2026-Q3"
    shutil.copytree(HUBSPOT, folder)
    return folder.parent


def _write(path: Path, block: str) -> Path:
    path.write_text("site_name: test\nplugins:\n  - revstory:\n" + block)
    return path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_reads_deal_stages_and_default_currency_from_config_file(tmp_path: Path):
    root = _drop(tmp_path)
    config = _write(
        tmp_path / "report.yml",
        "      load:\n        default_currency: EUR\n"
        "        deal_stages: {won: ['#09 WON'], lost: ['Closed: lost', "
        "'Proposal sent']}\n",
    )
    result = _run("validate", str(root), "--config-file", str(config))
    assert result.exit_code == 0, result.output
    # The stages listed are read as listed: no inferred-stage warning, one open stage left.
    assert "custom deal stages read from their labels" not in result.output
    assert "deal stages taken as open: 'Demo booked' (1) —" in result.output
    assert "default_currency (EUR) → currency" in result.output
    assert "have no currency" not in result.output


def test_mkdocs_yml_in_the_working_folder_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _drop(tmp_path)
    _write(tmp_path / "mkdocs.yml", "      reporting_currency: USD\n      strict: true\n")
    monkeypatch.chdir(tmp_path)
    result = _run("validate", str(root))
    # strict: true in the file makes the warnings fail the run; amounts are taken as USD.
    assert result.exit_code == 1
    assert "their amounts are taken as USD, the reporting currency" in result.output


def test_command_line_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _drop(tmp_path)
    _write(tmp_path / "mkdocs.yml", "      reporting_currency: USD\n")
    monkeypatch.chdir(tmp_path)
    result = _run("validate", str(root), "--currency", "PLN")
    assert result.exit_code == 0, result.output
    assert "their amounts are taken as PLN, the reporting currency" in result.output


def test_a_loading_setting_at_the_top_level_says_where_it_belongs(tmp_path: Path):
    root = _drop(tmp_path)
    config = _write(tmp_path / "mkdocs.yml", "      default_currency: USD\n      lokback_days: 3\n")
    result = _run(
        "attribute", str(root), "--out", str(tmp_path / "out"), "--config-file", str(config)
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: invalid settings in {config}, plugin 'revstory':\n"
        "  - 'default_currency' is a loading setting: put it under load: "
        "(load: {default_currency: …})\n"
        "  - unknown setting 'lokback_days'. Did you mean 'lookback_days'?\n"
    )
    assert not (tmp_path / "out").exists()


def test_missing_config_file_is_one_clear_error(tmp_path: Path):
    root = _drop(tmp_path)
    result = _run("validate", str(root), "--config-file", str(tmp_path / "nope.yml"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}/nope.yml not found — pass the mkdocs.yml that holds the revstory "
        "plugin block, or leave --config-file out to use defaults\n"
    )
