"""Editors' notes and the build date follow the quarter folder whatever form its name takes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from revstory.site.publish import editor_notes, quarter_end


def test_story_of_an_underscore_folder_is_kept(tmp_path: Path) -> None:
    (tmp_path / "2026_Q3").mkdir()
    (tmp_path / "2026_Q3" / "story.md").write_text("A *good* quarter <b>!</b>\n", encoding="utf-8")
    (tmp_path / "2026q2").mkdir()
    (tmp_path / "2026q2" / "story.md").write_text("Slow start.", encoding="utf-8")
    (tmp_path / "2026-Q1").mkdir()  # no note
    notes, warnings = editor_notes(tmp_path, ("2026-Q1", "2026-Q2", "2026-Q3"))
    wrap = '\n<div class="revstory-editor">\n{}\n</div>\n'
    assert notes == {
        "2026-Q2": wrap.format("<p>Slow start.</p>"),
        "2026-Q3": wrap.format("<p>A <em>good</em> quarter <b>!</b></p>"),
    }
    assert warnings == []


def test_build_date_is_the_end_of_the_latest_quarter_in_any_form(tmp_path: Path) -> None:
    for name in ("2026-Q2", "2026_Q4", "notes", "2027-Q1"):
        (tmp_path / name).mkdir()
    for name in ("2026-Q2", "2026_Q4", "notes"):
        (tmp_path / name / "deals.csv").write_text("deal_id\n", encoding="utf-8")
    # 2027-Q1 holds no data (made ahead of its exports): it is not reported, so it dates nothing.
    assert quarter_end(tmp_path) == dt.date(2026, 12, 31)
    assert quarter_end(tmp_path / "missing") is None


def test_an_underscore_quarter_loads_and_its_story_reaches_the_home_page(
    tmp_path: Path, fixtures: Path
) -> None:
    import shutil

    from revstory.site.publish import render_docs
    from revstory.site.settings import SiteSettings

    folder = tmp_path / "content" / "2026_Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", folder)
    (folder / "story.md").write_text("The webinar series carried the quarter.", encoding="utf-8")
    settings = SiteSettings(write_snapshots=False, min_deals=1)
    render_docs(settings, tmp_path, tmp_path / "docs")
    home = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")
    assert "The webinar series carried the quarter." in home
    assert (tmp_path / "docs" / "quarters" / "2026-Q3.md").is_file()
