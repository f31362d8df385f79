"""Site generators: the derived config, the canary, the switch, and a real build of the
minimal drop with each generator that is installed (skipped cleanly otherwise)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.errors import BuildError
from revstory.site import generators
from revstory.site.generators import (
    ASSETS,
    GENERATORS,
    check_site,
    derived_config,
    expected,
    require,
)

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "fixtures" / "drops" / "minimal"


def test_derived_config_does_the_plugins_work_and_drops_its_block() -> None:
    raw = {
        "site_name": "R",
        "docs_dir": "site_templates",
        "theme": {"name": "material"},
        "hooks": ["hooks.py"],
        "plugins": ["search", {"offline": {}}, {"revstory": {"data_dir": "content"}}],
    }
    nav = [{"Home": "index.md"}]
    cfg = derived_config(raw, Path("docs"), Path("site"), nav, "fr")
    assert cfg == {
        "site_name": "R",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "fr"},
        "plugins": ["search", {"offline": {}}],
        "nav": nav,
    }
    assert raw["plugins"][-1] == {"revstory": {"data_dir": "content"}}  # input untouched
    as_map = derived_config(
        {"plugins": {"search": {}, "revstory": {}}}, Path("d"), Path("s"), nav, "en"
    )
    assert as_map["plugins"] == {"search": {}}
    assert as_map["theme"] == {"name": "material", "language": "en"}


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for rel in (*ASSETS, "search/search_index.json", "methodology.html", "articles/a.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    (site / "index.html").write_text(
        '<script src="assets/javascripts/echarts.min.js">'
        '<script src="assets/javascripts/charts.js">',
        encoding="utf-8",
    )
    return site


def test_canary_passes_a_complete_site(tmp_path: Path) -> None:
    check_site(
        _site(tmp_path), ["index.md", "methodology.md", "articles/a.md", "a.csv"], "zensical"
    )


def test_canary_fails_on_a_skipped_page_asset_or_script(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "articles" / "a.html").unlink()
    (site / "assets" / "javascripts" / "charts.js").unlink()
    with pytest.raises(BuildError) as err:
        check_site(site, ["index.md", "articles/a.md"], "zensical")
    assert str(err.value) == (
        "zensical built the site without assets/javascripts/charts.js, articles/a.html — a "
        "build step was skipped silently; nothing was published"
    )
    (site / "index.html").write_text("<p>no scripts</p>", encoding="utf-8")
    shutil.rmtree(site / "search")
    with pytest.raises(BuildError) as err:
        check_site(site, [], "properdocs")
    assert str(err.value) == (
        "properdocs built the site without assets/javascripts/charts.js, the echarts.min.js "
        "script tag in index.html, the charts.js script tag in index.html, a search index "
        "(search/search_index.json or search.json) — a build step was skipped silently; "
        "nothing was published"
    )


def test_canary_asks_only_for_what_mkdocs_yml_configures(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "index.html").write_text("<p>no scripts</p>", encoding="utf-8")
    shutil.rmtree(site / "search")
    bare = {"plugins": ["offline", {"revstory": {}}]}
    assert expected(bare) == ((), False)
    check_site(site, ["index.md"], "mkdocs", *expected(bare))  # nothing asked, nothing due
    full = {
        "extra_javascript": ["assets/javascripts/echarts.min.js", {"path": "assets/x/charts.js"}],
        "plugins": {"search": {}, "revstory": {}},
    }
    assert expected(full) == (("echarts.min.js", "charts.js"), True)
    with pytest.raises(BuildError) as err:
        check_site(site, ["index.md"], "mkdocs", *expected(full))
    assert str(err.value) == (
        "mkdocs built the site without the echarts.min.js script tag in index.html, the "
        "charts.js script tag in index.html, a search index (search/search_index.json or "
        "search.json) — a build step was skipped silently; nothing was published"
    )


def test_unknown_or_missing_generator_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        BuildError, match="unknown site generator 'hugo' — use one of mkdocs, properdocs, zensical"
    ):
        require("hugo")
    monkeypatch.setattr(generators, "available", lambda name: name == "mkdocs")
    with pytest.raises(BuildError) as err:
        require("zensical")
    assert str(err.value) == (
        "site generator 'zensical' is not installed — pip install 'revstory[zensical]'"
    )
    assert require("mkdocs") == "mkdocs"


def _project(root: Path, generator_line: str = "") -> Path:
    shutil.copytree(MINIMAL, root / "content")
    templates = (REPO / "site_templates").as_posix()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace(
        "site_templates: site_templates", f"site_templates: {templates}" + generator_line
    )
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.mark.slow
@pytest.mark.parametrize("name", GENERATORS)
def test_each_installed_generator_builds_the_minimal_drop(tmp_path: Path, name: str) -> None:
    if not generators.available(name):
        pytest.skip(f"{name} is not installed (pip install 'revstory[{name}]')")
    config = _project(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "-f", str(config), "--generator", name], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    label = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}[name]
    assert f"({label} " in result.output
    site = tmp_path / "site"
    html = (site / "articles" / "a.html").read_text(encoding="utf-8")
    assert "Piece A" in html and "charts.js" in html


@pytest.mark.slow
def test_generator_setting_in_the_plugin_block(tmp_path: Path) -> None:
    name = next((g for g in ("zensical", "properdocs") if generators.available(g)), None)
    if name is None:
        pytest.skip("neither zensical nor properdocs is installed")
    config = _project(tmp_path, f"\n      generator: {name}")
    result = CliRunner().invoke(main, ["build", "-f", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert {"zensical": "(Zensical ", "properdocs": "(ProperDocs "}[name] in result.output


def test_a_python_tag_in_mkdocs_yml_stops_a_successor_build(tmp_path: Path) -> None:
    if not generators.available("properdocs"):
        pytest.skip("properdocs is not installed (pip install 'revstory[properdocs]')")
    config = _project(tmp_path)
    with config.open("a", encoding="utf-8") as fh:
        fh.write("emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "-f", str(config), "--generator", "properdocs"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: properdocs cannot read a mkdocs.yml holding !!python/ tags (an emoji index, "
        "for instance) — remove them, or build with --generator mkdocs\n"
    )
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
