"""Tables and charts set aside before Python-Markdown and put back into the finished page.

revstory writes its tables and charts as finished HTML blocks (``md_table`` of
:func:`revstory.site.render.make_env`, :meth:`revstory.site.charts.Chart.markup`), and
Python-Markdown passes a raw HTML block at the top level of a page
through verbatim. Yet it parses every such block twice on the way (MkDocs' anchor finder,
then the HTML block processor, both pure-Python HTML parsers), and Material's search parses
it a third time only to skip it (the block is ``data-search-exclude``). On a 2,000-article
site the tables are two thirds of the Markdown and most of MkDocs' time, the charts' figures
another sixth of it.

So the plugin takes each such block out of a page's Markdown (:meth:`Deferred.take`), leaving
an HTML comment in its place, and puts the block back into the page's final HTML
(:meth:`Deferred.restore`): the same bytes, without the parsing. Only a block MkDocs would
pass through verbatim is taken: one at the start of a line after a blank line (not indented,
so in no list, quote or admonition) and followed by one, on a page without ``markdown=``
attributes (md_in_html would parse Markdown inside raw HTML there), and holding nothing
Python-Markdown normalises in its source first (tabs, carriage returns, its two marker
characters, lines of spaces only). After Markdown, every
comment must stand in the page exactly once, else the page is converted again from its
original Markdown (:meth:`Deferred.check`), so a block inside a code fence, say, stays as
Python-Markdown shows it.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

#: A table block as ``md_table`` writes it, or a chart's figure (one line, see
#: :mod:`revstory.site.charts`), on its own between blank lines. Cells hold escaped text
#: only, so ``</table>`` first appears where the table ends.
_BLOCK = re.compile(
    r"(?:\A|(?<=\n\n))"
    r'(?:<div class="rs-table"[^\n]*>\n<table>.*?\n</table>\n</div>'
    r'|<figure class="rs-chart"(?:(?!<figure)[^\n])*</figure>)'
    r"(?=\n\n|\n?\Z)",
    re.S,
)
#: Anchors a block holds, as MkDocs collects them from raw HTML (for its link validation).
_IDS = re.compile(r'<[A-Za-z][^>]*?\sid="([^"]*)"')
_NAMES = re.compile(r'<a\s[^>]*?\bname="([^"]*)"')
#: What Python-Markdown's preprocessing rewrites inside a block (markdown/core.py, convert).
_NORMALISED = re.compile(r"[\t\r\x02\x03]|\n +\n")


@dataclass
class _Page:
    original: str
    blocks: dict[str, str]


@dataclass
class Deferred:
    """The blocks taken out of each page of one build, by page source path."""

    #: Applied to each block before it goes back (the plugin's search marks).
    finish: Callable[[str], str] = field(default=lambda block: block)
    _pages: dict[str, _Page] = field(default_factory=dict)
    _tag: str = field(default_factory=lambda: secrets.token_hex(6))

    def take(self, src: str, markdown: str) -> str:
        """Return ``markdown`` with its table blocks replaced by comments, kept for later."""
        if "markdown=" in markdown.lower():
            return markdown
        blocks: dict[str, str] = {}

        def park(m: re.Match[str]) -> str:
            if _NORMALISED.search(m.group(0)):
                return m.group(0)
            key = f"<!--revstory-block-{self._tag}-{len(blocks)}-->"
            blocks[key] = m.group(0)
            return key

        out = _BLOCK.sub(park, markdown)
        if blocks:
            self._pages[src] = _Page(markdown, blocks)
        return out

    def check(self, src: str, content: str) -> str | None:
        """Return the page's original Markdown when its HTML lost a comment, else None.

        Each comment must be in ``content`` exactly once. When one is not, the page is
        dropped from the deferred ones and the caller converts the original Markdown again.
        """
        page = self._pages.get(src)
        if page is None or all(content.count(k) == 1 for k in page.blocks):
            return None
        del self._pages[src]
        return page.original

    def anchors(self, src: str) -> set[str]:
        """Return the ids (and ``<a name>``) of the page's blocks, as MkDocs would collect."""
        page = self._pages.get(src)
        found: set[str] = set()
        for block in page.blocks.values() if page else ():
            found.update(html.unescape(v) for v in _IDS.findall(block))
            found.update(html.unescape(v) for v in _NAMES.findall(block))
        return found

    def restore(self, src: str, output: str) -> str:
        """Return the page's final HTML with its blocks back in place of their comments."""
        page = self._pages.pop(src, None)
        if page is None:
            return output
        for key, block in page.blocks.items():
            if output.count(key) != 1:
                raise ValueError(
                    f"{src}: the theme wrote the page's content {output.count(key)} times, "
                    "not once; revstory cannot put its tables back — report this with the "
                    "theme's name"
                )
            output = output.replace(key, self.finish(block))
        return output

    def clear(self) -> None:
        """Forget every page (a new build starts)."""
        self._pages.clear()
