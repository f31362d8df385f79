"""History: a quarter whose exports were deleted stays on the site from its snapshot, at the
same URLs with the same figures; a snapshot made under other settings is never mixed in
silently."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from revstory.errors import BuildError
from revstory.history import FORMAT_VERSION, SNAPSHOT_DIR
from revstory.site.publish import build_site

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _root(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns(".revstory"))
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {REPO / 'site_templates'}")
    text = text.replace(
        "site_templates: site_templates", f"site_templates: {REPO / 'site_templates'}"
    )
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def _figures(html: str) -> str:
    """The headline figures table of a story page."""
    start = html.index('id="headline-figures"')
    return html[start : html.index("</table>", start)]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Build with every export, then delete 2026-Q2's exports and rebuild."""
    root = tmp_path_factory.mktemp("history")
    config = _root(root)
    build_site(config)
    site = root / "site"
    before = {
        p: (site / p).read_text(encoding="utf-8")
        for p in ("quarters/2026-Q2.html", "articles/how-to-fix-lead-scoring.html")
    }
    q2 = root / "content" / "2026-Q2"
    meta = json.loads((q2 / SNAPSHOT_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION and meta["quarter"] == "2026-Q2"
    assert meta["settings"]["lookback_days"] == 365
    for f in q2.iterdir():
        if f.is_file() and f.suffix == ".csv":
            f.unlink()
    build_site(config)
    return root, before


def test_deleted_quarter_stays_with_same_figures(history: tuple[Path, dict[str, str]]) -> None:
    root, before = history
    site = root / "site"
    after = (site / "quarters" / "2026-Q2.html").read_text(encoding="utf-8")
    assert _figures(after) == _figures(before["quarters/2026-Q2.html"])
    assert "is shown from its saved snapshot" in after
    article = (site / "articles" / "how-to-fix-lead-scoring.html").read_text(encoding="utf-8")
    assert "Q2 2026" in article and 'data-option-id="trend"' in article
    methodology = (site / "methodology.html").read_text(encoding="utf-8")
    assert "Restored from snapshots: Q2 2026." in methodology
    # The home page still compares with the restored quarter.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Change vs Q2 2026" in home


def test_rebuild_from_snapshot_is_byte_identical(history: tuple[Path, dict[str, str]]) -> None:
    root, _ = history
    site = root / "site"
    first = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    build_site(root / "mkdocs.yml")
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == first


def test_changed_settings_fail_then_label(history: tuple[Path, dict[str, str]]) -> None:
    root, _ = history
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    changed = root / "changed.yml"
    changed.write_text(text.replace("lookback_days: 365", "lookback_days: 180"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_site(changed)
    message = str(err.value)
    assert "lookback_days = 365 (now 180)" in message
    assert "snapshot_mismatch: label" in message and "left untouched" in message
    changed.write_text(
        text.replace("lookback_days: 365", "lookback_days: 180\n      snapshot_mismatch: label"),
        encoding="utf-8",
    )
    build_site(changed)
    q2 = html.unescape((root / "site" / "quarters" / "2026-Q2.html").read_text("utf-8"))
    assert re.search(r"Q2 2026 was computed with other settings \(lookback_days 365 → 180\)", q2)
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Change vs" not in home  # no quarter-over-quarter change across settings
    build_site(config)  # back to the original settings for the other tests


def test_unknown_snapshot_format_says_how_to_fix(history: tuple[Path, dict[str, str]]) -> None:
    root, _ = history
    meta_path = root / "content" / "2026-Q2" / SNAPSHOT_DIR / "meta.json"
    original = meta_path.read_text(encoding="utf-8")
    meta = json.loads(original)
    meta["format_version"] = 99
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    try:
        with pytest.raises(
            BuildError, match="snapshot format 99, this revstory reads formats 1, 2"
        ):
            build_site(root / "mkdocs.yml")
    finally:
        meta_path.write_text(original, encoding="utf-8")
