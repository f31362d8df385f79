"""The board pack inside the site (setting board_pack): the home page links it, each quarter
page its own quarter's, and a build that cannot print it stops before building, the previous
site left in place (the build that prints them is in tests/browser/test_board.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from revstory.errors import BuildError
from revstory.scaffold import init_report
from revstory.site import publish
from revstory.site.settings import site_settings

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"
LINK = "[Download the board pack (PDF, A4)](board-pack.pdf){ .revstory-summary-link }"


def _docs(root: Path, monkeypatch: pytest.MonkeyPatch, **values: object) -> Path:
    shutil.copytree(MINIMAL, root / "content")
    monkeypatch.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    settings = site_settings({"data_dir": "content", "write_snapshots": False, **values})
    publish.render_docs(settings, root, root / "docs")
    return root / "docs"


def test_the_home_page_offers_the_board_pack_beside_the_summary_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _docs(tmp_path, monkeypatch, board_pack=True)
    home = (docs / "index.md").read_text(encoding="utf-8")
    summary = home.index("(summary.csv){ .revstory-summary-link }")
    assert home.index(LINK) > summary
    # Each quarter page offers its own quarter's pack, beside it in quarters/.
    quarter = (docs / "quarters" / "2026-Q3.md").read_text(encoding="utf-8")
    own = LINK.replace("(board-pack.pdf)", "(board-pack-2026-Q3.pdf)")
    assert quarter.index(own) > quarter.index("(2026-Q3-summary.csv){ .revstory-summary-link }")
    assert "(board-pack.pdf)" not in quarter


def test_no_link_without_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(tmp_path, monkeypatch)
    assert "board-pack" not in (docs / "index.md").read_text(encoding="utf-8")
    assert "board-pack" not in (docs / "quarters" / "2026-Q3.md").read_text(encoding="utf-8")


def test_a_build_that_cannot_print_the_pack_stops_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_report(tmp_path)
    shutil.rmtree(tmp_path / "content")
    shutil.copytree(MINIMAL, tmp_path / "content")
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(\s+)# board_pack: false.*$", r"\1board_pack: true", text)
    assert n == 1, "the scaffold lists board_pack, commented out"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("previous", encoding="utf-8")
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("REVSTORY_CHROMIUM", str(missing))
    with pytest.raises(BuildError) as err:
        publish.build_site(config)
    assert str(err.value) == (
        f"Chromium not found at {missing} — install it (Debian/Ubuntu: apt-get install "
        "chromium) or set REVSTORY_CHROMIUM to its path"
    )
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]
    assert not (tmp_path / ".cache" / "revstory" / "docs").exists()
