"""revstory init: the files of a new report repository, the settings block, the sample."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel
from revstory import __version__
from revstory.cli import main
from revstory.scaffold import init_report, plan
from revstory.scaffold.settings_block import plugin_block
from revstory.site.settings import SiteSettings

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 3)


def _fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted name, indent) of every setting, nested ones too."""
    out = []
    for name, info in model.model_fields.items():
        out.append((prefix + name, "  " * prefix.count(".")))
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(_fields(ann, f"{prefix}{name}."))
    return out


def _uncomment_settings(block: str) -> str:
    """Remove one '# ' before every line that is a setting (not a description)."""
    names = {n.rsplit(".", 1)[-1] for n, _ in _fields(SiteSettings)}
    out = []
    for line in block.splitlines():
        m = re.match(r"^(\s*)# (\s*)([a-z_]+):( |$)", line)
        out.append(line.replace("# ", "", 1) if m and m[3] in names else line)
    return "\n".join(out)


def _plugin_options(mkdocs_yml: str) -> dict[str, Any]:
    raw = yaml.safe_load(mkdocs_yml)
    for entry in raw["plugins"]:
        if isinstance(entry, dict) and "revstory" in entry:
            return entry["revstory"] or {}
    raise AssertionError("no revstory plugin")


def test_the_plugin_block_lists_every_setting_with_its_default_and_description() -> None:
    block = plugin_block({"locale": "pl"})
    lines = block.splitlines()
    for dotted, depth in _fields(SiteSettings):
        name = dotted.rsplit(".", 1)[-1]
        hits = [
            i for i, line in enumerate(lines) if re.match(rf"^ {{6}}(# )?{depth}(# )?{name}:", line)
        ]
        assert hits, f"{dotted} is not in the plugin block"
        assert lines[hits[0] - 1].lstrip().startswith("#"), f"{dotted} has no description"
    assert "      locale: pl" in lines
    assert "      # lookback_days: 365" in lines
    assert "      # default_model: position_based" in lines
    assert "      #   date_order: auto" in lines
    assert "      #     won: []" in lines
    assert (
        "      # Language of numbers, dates, currency and the story's sentences. One of: en, "
        "fr, pl."
    ) in lines


def test_every_setting_line_uncommented_gives_the_defaults() -> None:
    block = plugin_block({"data_dir": "content", "locale": "fr"})
    assert yaml.safe_load("x:\n" + block) == {"x": {"data_dir": "content", "locale": "fr"}}
    opened = yaml.safe_load("x:\n" + _uncomment_settings(block))["x"]
    assert SiteSettings(**opened) == SiteSettings(locale="fr")
    assert set(opened) == set(SiteSettings.model_fields)


def test_a_new_repository_in_french(tmp_path: Path) -> None:
    written = init_report(tmp_path / "report", locale="fr", today=TODAY)
    got = sorted(p.relative_to(tmp_path / "report").as_posix() for p in written)
    assert got == [
        ".github/workflows/report.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        "README.md",
        "content/2026-Q4/README.md",
        "content/README.md",
        "mkdocs.yml",
    ]
    root = tmp_path / "report"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert _plugin_options(text) == {"data_dir": "content", "locale": "fr"}
    assert "  language: fr " in text
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[1:4] == [
        "site/",
        "out/",
        ".cache/",
    ]
    quarter = (root / "content" / "2026-Q4" / "README.md").read_text(encoding="utf-8")
    assert quarter.startswith("# 2026-Q4 data drop\n")
    assert f'pip install "revstory=={__version__}"' in (root / "README.md").read_text("utf-8")


def test_sample_is_the_repositorys_content_byte_for_byte() -> None:
    files = plan(sample=True, today=TODAY)
    sample = {
        rel[len("content/") :]: data for rel, data in files.items() if rel.startswith("content/")
    }
    shipped = {
        p.relative_to(REPO / "content").as_posix(): p.read_bytes()
        for p in sorted((REPO / "content").rglob("*"))
        if p.is_file() and ".revstory" not in p.parts
    }
    assert sorted(sample) == sorted(shipped)
    for rel, data in shipped.items():
        assert sample[rel] == data, f"content/{rel} differs from revstory sample's output"


def test_refuses_to_overwrite_then_force_replaces_only_its_files(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'mkdocs.yml'} already exist(s) — nothing "
        "was written; pass --force to overwrite them\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml", "notes.txt"]
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote 7 files to {tmp_path}\n")
    assert "revstory" in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_unknown_locale_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "r"), "--locale", "de"])
    assert result.exit_code == 2
    assert "Invalid value for '--locale': 'de' is not one of 'en', 'fr', 'pl'." in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("path", [".github/workflows/report.yml", ".gitlab-ci.yml"])
def test_workflows_are_yaml_and_publish_nothing_public_by_default(path: str) -> None:
    text = plan(today=TODAY)[path].decode("utf-8")
    data = yaml.safe_load(text)
    assert "CONFIDENTIAL" in text
    if path.startswith(".github"):
        on = data[True]  # YAML 1.1 reads the key `on` as true
        assert on == {"push": {"paths": ["content/**"]}, "workflow_dispatch": None}
        assert data["permissions"] == {"contents": "read"}
        assert data["jobs"]["publish"]["if"] == "vars.REPORT_PAGES == 'private'"
        assert data["jobs"]["publish"]["needs"] == "build"
        upload = [
            s
            for s in data["jobs"]["build"]["steps"]
            if s.get("uses", "").startswith("actions/upload-artifact")
        ]
        assert upload[0]["with"]["path"] == "site/"
    else:
        assert data["stages"] == ["validate", "build", "publish"]
        assert data["pages"]["rules"][0] == {
            "if": '$REPORT_PAGES != "access-control"',
            "when": "never",
        }
        assert data["build"]["artifacts"]["paths"] == ["site/"]
        assert {"if": '$CI_PIPELINE_SOURCE == "push"', "changes": ["content/**/*"]} in (
            data[".on-drop"]["rules"]
        )
