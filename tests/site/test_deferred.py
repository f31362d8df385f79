"""Tables set aside before Markdown come back as the same bytes (revstory.site.deferred).

The plugin takes revstory's table blocks out of each page's Markdown so Python-Markdown and
Material's search do not parse them, and puts them back into the finished page. The site must
be the same bytes as when MkDocs parses them; a block MkDocs would not pass through verbatim
(in a code fence, after a paragraph line, holding a tab) stays in the Markdown.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from revstory.site import plugin as plugin_module
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.charts import bar_chart
from revstory.site.context import Link, table
from revstory.site.deferred import Deferred
from revstory.site.fmt import Formatter
from revstory.site.plugin import search_excluded, search_excluded_block
from revstory.site.render import make_env

TAB = "Tab\there"


def _block(title: str, csv: str = "t.csv") -> str:
    env = make_env([PACKAGED_TEMPLATES], "en", "EUR")
    t = table(
        [("piece", "Piece", "link"), ("views", "Views", "int")],
        [(Link(title, "articles/a.md"), 1200), (Link("B & C", "articles/b.md"), 7)],
        csv,
        caption="Two pieces",
    )
    # md_table's block, without the CSV link that follows it.
    return str(env.filters["md_table"](t)).split("\n\n")[0]


def _chart() -> str:
    chart = bar_chart(
        "views",
        Formatter("en", "EUR"),
        ["Q2 2026", "Q3 2026"],
        {"Views": [43, 52]},
        "count",
        name="Views per quarter",
        table_link=("The numbers", "#table-p"),
    )
    return str(chart.markup()).strip()


@pytest.mark.parametrize(
    "html",
    [
        _block("Guide"),
        _chart(),
        '<div data-search-exclude><div>a</div><table><tr><td><a href="x.csv">x</a></td></tr>'
        "</table></div>",  # a nested div: the walk repeats the mark
        "<div><table></table></div>",  # not excluded itself
        '<section data-search-exclude><p>a <a href="t.csv">CSV</a></p></section>',
    ],
)
def test_the_block_shortcut_marks_as_the_walk_does(html: str) -> None:
    assert search_excluded_block(html) == search_excluded(html)


def test_a_block_between_blank_lines_is_taken_and_put_back() -> None:
    block = _block("Guide")
    md = f"# Page\n\nIntro.\n\n{block}\n\n[CSV](t.csv)\n"
    d = Deferred(finish=lambda b: b.replace("<table>", "<table x>"))
    out = d.take("p.md", md)
    assert block not in out and out.count("<!--revstory-block-") == 1
    key = out.split("\n\n")[2]
    assert d.check("p.md", f"<h1>Page</h1>\n<p>Intro.</p>\n{key}\n<p>CSV</p>") is None
    assert d.anchors("p.md") == {"table-t", "table-t-caption"}
    html = d.restore("p.md", f"<main>{key}</main>")
    assert html == f"<main>{block.replace('<table>', '<table x>')}</main>"
    assert d.restore("p.md", "<main>x</main>") == "<main>x</main>"  # forgotten once restored


@pytest.mark.parametrize(
    "md",
    [
        "Text right above\n{b}\n\nafter\n",  # no blank line before: not a block on its own
        "    {b}\n",  # indented: code, or inside a list
        '<div markdown="1">\n\n{b}\n\n</div>\n',  # md_in_html parses inside raw HTML here
    ],
)
def test_a_block_markdown_would_not_pass_verbatim_stays(md: str) -> None:
    text = md.format(b=_block("Guide"))
    assert Deferred().take("p.md", text) == text


def test_a_block_holding_what_markdown_normalises_stays() -> None:
    text = "Intro.\n\n" + _block(TAB) + "\n\nafter\n"
    assert Deferred().take("p.md", text) == text


def test_a_lost_comment_gives_the_original_back() -> None:
    md = f"Intro.\n\n{_block('Guide')}\n\nafter\n"
    d = Deferred()
    d.take("p.md", md)
    assert d.check("p.md", "<p>Intro.</p>\n<pre>&lt;!--revstory-block--&gt;</pre>") == md
    assert d.restore("p.md", "<p>x</p>") == "<p>x</p>"  # the page is no longer deferred


def test_content_written_twice_is_an_error() -> None:
    d = Deferred()
    key = d.take("p.md", f"a\n\n{_block('Guide')}\n\nb\n").split("\n\n")[1]
    with pytest.raises(ValueError, match=r"p\.md: the theme wrote the page's content 2 times"):
        d.restore("p.md", key + key)


def _site(root: Path, docs: Path, defer: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setattr(
        plugin_module,
        "_TABLE_SAFE_PLUGINS",
        frozenset({"revstory", "material/search"}) if defer else frozenset(),
    )
    site = root / f"site-{defer}"
    cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    cfg.plugins["revstory"].use_prepared(docs, ["index.md", "other.md"])
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_mkdocs_builds_the_same_bytes_with_tables_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nuse_directory_urls: false\ntheme: {name: material}\n"
        "markdown_extensions: [tables, attr_list, md_in_html]\n"
        "plugins: [search, {revstory: {data_dir: content}}]\n",
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    fenced = f"```text\n\n{_block('In a fence', 'f.csv')}\n\n```"
    (docs / "index.md").write_text(
        f"# Home\n\nIntro.\n\n{_block('Guide <b>*x*</b>')}\n\nAfter.\n\n{fenced}\n\n"
        f"A line\n{_block('Glued', 'g.csv')}\n\nEnd.\n",
        encoding="utf-8",
    )
    (docs / "other.md").write_text(
        f"# Other\n\n## Figures\n\n{_block(TAB, 'tab.csv')}\n\n"
        f"{_block('Plain', 'p.csv')}\n\n{_chart()}\n\n"
        "See [the table](#table-p) and [home](index.md).\n",
        encoding="utf-8",
    )
    taken: list[str] = []
    lost: list[str] = []
    take, check = Deferred.take, Deferred.check

    def spy_take(self: Deferred, src: str, markdown: str) -> str:
        out = take(self, src, markdown)
        taken.extend([src] * out.count("<!--revstory-block-"))
        return out

    def spy_check(self: Deferred, src: str, content: str) -> str | None:
        original = check(self, src, content)
        if original is not None:
            lost.append(src)
        return original

    monkeypatch.setattr(Deferred, "take", spy_take)
    monkeypatch.setattr(Deferred, "check", spy_check)
    plain = _site(tmp_path, docs, False, monkeypatch)
    assert taken == [] and lost == []
    deferred = _site(tmp_path, docs, True, monkeypatch)
    # index.md: the top-level table and the fenced one (whose comment shows escaped, so the
    # page is converted again); other.md: the plain table and the chart, not the table
    # holding a tab.
    assert taken == ["index.md", "index.md", "other.md", "other.md"]
    assert lost == ["index.md"]
    assert len(plain) > 10 and deferred == plain
    other = (tmp_path / "site-True" / "other.html").read_text(encoding="utf-8")
    assert other.count('<table data-search-exclude><caption id="table-p-caption">') == 1
    assert other.count('<figure class="rs-chart" data-search-exclude>') == 1
    assert "revstory-block-" not in other
