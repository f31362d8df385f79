"""The editor's story.md is untrusted: its HTML keeps no handler, no script and no link
other than http(s), mailto or relative; admonitions still work; odd encodings still read."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest
from revstory.site.publish import editor_notes
from revstory.site.sanitise import clean_html, editor_html
from story_vectors import GOOD, VECTORS


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html_text: str) -> list[tuple[str, dict[str, str | None]]]:
    p = _Tags()
    p.feed(html_text)
    return p.tags


def _assert_inert(html_text: str) -> None:
    for tag, attrs in _tags(html_text):
        assert tag not in {
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "form",
            "input",
            "svg",
            "math",
            "meta",
            "base",
            "body",
            "details",
        }, html_text
        for name, value in attrs.items():
            assert not name.startswith("on"), html_text
            assert name in {"href", "src", "alt", "title", "class", "rel", "style"}, html_text
            if name in ("href", "src"):
                assert value is not None
                assert value.startswith(("https://", "http://", "mailto:")) or (
                    ":" not in value.split("/")[0]
                ), html_text
            if name == "style":
                assert value is not None and value.startswith("text-align:"), html_text


@pytest.mark.parametrize("vector", VECTORS)
def test_each_vector_renders_inert(vector: str) -> None:
    _assert_inert(str(editor_html(vector)))


def test_the_vectors_render_exactly_so() -> None:
    shown = {
        v: str(editor_html(v))
        .strip()
        .removeprefix('<div class="revstory-editor">\n')
        .removesuffix("\n</div>")
        for v in VECTORS[:3] + VECTORS[19:21]
    }
    assert shown == {
        VECTORS[0]: '<p><a rel="noopener noreferrer">md link</a></p>',
        VECTORS[1]: '<p><a rel="noopener noreferrer">upper</a></p>',
        VECTORS[2]: '<p><a rel="noopener noreferrer">tab entity</a></p>',
        VECTORS[19]: '<p>attr click\n{: onclick="alert(1)" }</p>',
        VECTORS[20]: '<p>attr overlay\n{: onmouseover="alert(1)" style="position:fixed;top:0;'
        'left:0;width:100vw;height:100vh;z-index:9999" }</p>',
    }


def test_admonitions_and_allowed_links_are_kept() -> None:
    assert str(editor_html(GOOD)) == (
        '\n<div class="revstory-editor">\n'
        '<div class="admonition note">\n'
        '<p class="admonition-title">Why webinars won</p>\n'
        "<p>They reached <strong>buyers</strong> early.</p>\n"
        "</div>\n"
        '<p><a href="https://example.com/a?b=1" rel="noopener noreferrer">docs</a> · '
        '<a href="mailto:editor@example.com" rel="noopener noreferrer">mail</a> · '
        '<a href="articles/index.html" rel="noopener noreferrer">page</a></p>\n'
        "</div>\n"
    )


def test_classes_other_than_admonitions_are_dropped() -> None:
    assert (
        clean_html('<div class="admonition danger md-overlay">x</div><p class="md-header">y</p>')
        == '<div class="admonition danger">x</div><p class="">y</p>'
    )


def test_the_built_home_page_carries_no_vector(probe_site: Path) -> None:
    home = (probe_site / "index.html").read_text(encoding="utf-8")
    start = home.index('<div class="revstory-editor">')
    end = home.index('<h2 class="rs-page2"', start)
    note = home[start:end]
    _assert_inert(note)
    assert '<p class="admonition-title">Why webinars won</p>' in note
    assert "alert(1)</script>" not in home
    assert home.count("javascript:") == 0


POLISH = "Świetny kwartał: łączna sprzedaż wzrosła o 12 € — każdy zespół pomógł."


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("utf-16", False), ("utf-16-le", False), ("utf-8-sig", False), ("cp1250", True)],
)
def test_story_md_in_other_encodings_reads_with_a_warning(
    tmp_path: Path, encoding: str, warned: bool
) -> None:
    """Read as the data files are (load.sniff): a BOM, UTF-8, UTF-16 without a BOM (NUL
    bytes between ASCII letters), else a legacy code page, named in a warning. Polish text
    saved by a Polish Windows in cp1250 keeps its ł, ś and ż (it used to be read as
    Windows-1252: "Œwietny kwarta³")."""
    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    (folder / "story.md").write_bytes(f"{POLISH}\n".encode(encoding))
    notes, warnings = editor_notes(tmp_path, ("2026-Q3",))
    assert str(notes["2026-Q3"]) == f'\n<div class="revstory-editor">\n<p>{POLISH}</p>\n</div>\n'
    assert warnings == (
        [
            "2026-Q3/story.md: is not UTF-8 (first odd byte on line 1); it was read as "
            "Windows-1250 (Central European) — check accented names, or export it again as "
            "UTF-8"
        ]
        if warned
        else []
    )


def test_a_binary_story_md_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    (folder / "story.md").write_bytes(b"\x00\x01\x02binary" * 20)
    assert editor_notes(tmp_path, ("2026-Q3",)) == (
        {},
        [
            "2026-Q3/story.md: is a binary file, not text; the editor's note is left out — "
            "save it as UTF-8 text"
        ],
    )
