"""End-to-end builds of the sample site: pages, determinism, atomicity, safety.

The shared sample site (tests/conftest.py: the sample drop with one title replaced by an XSS
probe, built once per session) is checked, then rebuilt to prove the bytes do not change.
Paths come from this file's location, never the working directory.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from revstory.errors import BuildError
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.publish import build_site

if TYPE_CHECKING:
    from conftest import SampleSite

REPO = Path(__file__).resolve().parents[2]
XSS = "<script>alert(1)</script> *bold* | pipe"  # the title the sample site gives PROBE
PROBE = "how-to-fix-lead-scoring"


def _hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(sample_site: SampleSite) -> tuple[Path, dict[str, str]]:
    """The shared sample site (tests/conftest.py) and the hashes of its files."""
    assert sample_site.probe == PROBE
    return sample_site.project, _hashes(sample_site.root)


def test_pages_exist(built: tuple[Path, dict[str, str]]) -> None:
    root, hashes = built
    for page in (
        "index.html",
        f"articles/{PROBE}.html",
        "methodology.html",
        "data-quality.html",
        "quarters/2026-Q3.html",
        "types/index.html",
        "search/search_index.json",
    ):
        assert page in hashes, page
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Headline figures" in home and 'class="echart" data-option-id="models"' in home


def test_every_csv_link_resolves(built: tuple[Path, dict[str, str]]) -> None:
    site = built[0] / "site"
    for page in (site / "index.html", site / "articles" / f"{PROBE}.html"):
        links = re.findall(r'href="([^"#]+\.csv)"', page.read_text(encoding="utf-8"))
        assert links
        for href in links:
            assert (page.parent / href).is_file(), href


def test_rebuild_is_byte_identical(built: tuple[Path, dict[str, str]]) -> None:
    root, first = built
    build_site(root / "mkdocs.yml")
    assert _hashes(root / "site") == first


def test_failed_build_leaves_site_untouched(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, first = built
    templates = tmp_path / "templates"
    # An override of one shipped template: the rest still comes from the package.
    article = templates / "pages" / "article.md.j2"
    article.parent.mkdir(parents=True)
    shipped = PACKAGED_TEMPLATES / "pages" / "article.md.j2"
    article.write_text(
        shipped.read_text(encoding="utf-8") + "{{ no_such_field }}\n", encoding="utf-8"
    )
    broken = root / "broken.yml"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"site_templates: .*", f"site_templates: {templates}", text)
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_site(broken)
    assert "article.md.j2" in str(err.value) and "no_such_field" in str(err.value)
    assert "left untouched" in str(err.value)
    assert _hashes(root / "site") == first
    assert not any((root / ".cache" / "revstory").glob("build-*"))


def test_xss_title_is_text(built: tuple[Path, dict[str, str]]) -> None:
    site = built[0] / "site"
    for page in sorted(site.rglob("*.html")):
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page
    article = (site / "articles" / f"{PROBE}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* | pipe" in article
    assert "<em>bold</em>" not in article


def test_no_person_identifier_in_site(built: tuple[Path, dict[str, str]]) -> None:
    people: set[str] = set()
    for name in ("touches.csv", "deal_contacts.csv"):
        for f in sorted((REPO / "content").glob(f"*/{name}")):
            with f.open(newline="", encoding="utf-8") as fh:
                people.update(row["person_id"] for row in csv.DictReader(fh))
    assert len(people) > 100 and all("@" in p for p in people)
    email = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    locals_ = {p.split("@")[0].encode() for p in people}
    for f in sorted((built[0] / "site").rglob("*")):
        if f.is_file():
            data = f.read_bytes()
            found = {m.decode() for m in email.findall(data)}
            assert not found & people, (f, sorted(found & people)[:3])
            if f.suffix in (".html", ".csv", ".json"):
                hits = [loc for loc in locals_ if b"." in loc and loc in data]
                assert not hits, (f, hits[:3])


def test_config_error_says_did_you_mean(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "revstory" in plugin:
            plugin["revstory"]["lookbak_days"] = 30
    bad = tmp_path / "mkdocs.yml"
    bad.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(Exception, match="Did you mean 'lookback_days'"):
        build_site(bad)
