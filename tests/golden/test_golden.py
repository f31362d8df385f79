"""Golden output of the minimal drop: every figure and sentence, compared byte for byte.

Do NOT update the expected files lightly. They are the proof that a refactor changed no
figure, no sentence and no page of the hand-checked minimal drop
(``tests/fixtures/drops/minimal``). When a change is *meant* to move them (a new sentence, a
corrected rounding, a new column), run ``pytest tests/golden --update-golden``, read the diff
of ``tests/golden/minimal/`` line by line, and say in the commit message why each figure or
sentence moved. See ``tests/golden/README.md``.

What is compared:

- ``attribute/``: the files ``revstory attribute --out`` writes (attribution.csv,
  influence.csv, summary.json, ledger.csv);
- ``site-<locale>/``: the Markdown of every page and every table's CSV download, as the site
  build renders them before MkDocs (assets are third-party files and are not compared).

The outputs are made byte-stable: the drop is copied into a temporary folder and read through
a relative path (no absolute path reaches a file), and the build date is the end of the
drop's latest quarter (``SOURCE_DATE_EPOCH``), never today.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.site import publish
from revstory.site.settings import site_settings

GOLDEN = Path(__file__).parent / "minimal"
DROP = Path(__file__).parents[1] / "fixtures" / "drops" / "minimal"
LOCALES = ("en", "fr", "pl")


def _copy_drop(root: Path) -> None:
    shutil.copytree(DROP, root / "content")


def attribute_outputs(root: Path) -> dict[str, bytes]:
    """``revstory attribute content --out out`` run inside ``root``."""
    result = CliRunner().invoke(
        main, ["attribute", "content", "--out", "out"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return {f"attribute/{p.name}": p.read_bytes() for p in sorted((root / "out").iterdir())}


def site_outputs(root: Path, locale: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The docs folder of a site build in ``locale`` (Markdown and CSV), assets left out."""
    monkeypatch.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    settings = site_settings({"data_dir": "content", "locale": locale, "write_snapshots": False})
    docs = root / f"docs-{locale}"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with publish.source_date_epoch(publish.quarter_end(root / "content")):
        # root "." (the working directory is ``root``): file paths on the data quality
        # page are then relative, as on any machine.
        publish.render_docs(settings, Path("."), docs)
    return {
        f"site-{locale}/{p.relative_to(docs).as_posix()}": p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("golden")
    _copy_drop(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        out = attribute_outputs(root)
        for locale in LOCALES:
            out.update(site_outputs(root, locale, mp))
    return out


def _expected() -> dict[str, bytes]:
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }


def test_golden_files(outputs: dict[str, bytes], request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in outputs.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        pytest.skip(f"rewrote {len(outputs)} golden files under {GOLDEN}; review the diff")
    expected = _expected()
    assert sorted(outputs) == sorted(expected), (
        "the set of output files changed (run pytest tests/golden --update-golden if meant)"
    )
    for rel in sorted(expected):
        if outputs[rel] != expected[rel]:
            diff = "".join(
                difflib.unified_diff(
                    expected[rel].decode("utf-8").splitlines(keepends=True),
                    outputs[rel].decode("utf-8").splitlines(keepends=True),
                    f"golden/{rel}",
                    f"now/{rel}",
                    n=1,
                )
            )
            pytest.fail(
                f"{rel} differs from its golden file (run pytest tests/golden "
                f"--update-golden only if the change is meant):\n{diff[:4000]}"
            )


def test_outputs_hold_no_absolute_path_or_personal_data(outputs: dict[str, bytes]) -> None:
    for rel, data in outputs.items():
        text = data.decode("utf-8").lower()
        for probe in (
            "/tmp/",  # noqa: S108 - a path we look for in outputs, not a temp file
            "/home/",
            "pytest-of-",
            str(DROP.parent).lower(),
            "alice",
            "bob.builder",
            "@acme.example",
            "@globex.example",
        ):
            assert probe not in text, (rel, probe)
