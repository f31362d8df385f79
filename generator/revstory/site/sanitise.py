"""The editors' ``story.md`` is untrusted Markdown, rendered apart and cut to an allowlist.

It is rendered here, apart from the site's own pages, and its HTML is cut down to an
allowlist before it reaches a page.

Rendered with Python-Markdown's ``tables`` and ``admonition`` only: no ``attr_list`` (``{:
onclick=… }`` would put attributes on elements) and no ``md_in_html``. The HTML is then
cleaned by nh3 (the Ammonia sanitiser): a fixed set of tags and attributes, links only to
http(s), mailto or relative addresses (no ``javascript:``, ``data:`` or ``vbscript:``), classes
only those of admonitions, ``<script>``/``<style>`` dropped with their content. The result is
one ``<div>`` block that the page's Markdown passes through untouched.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

#: Material's admonition types (``!!! note "Title"``); other class names are dropped.
ADMONITIONS = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "div",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"style"},
    "th": {"style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _render(text: str) -> str:
    # A fresh instance per note: Markdown objects keep state between conversions.
    md = markdown.Markdown(extensions=["tables", "admonition"], output_format="html")
    return md.convert(text)


def clean_html(html: str) -> str:
    """``html`` with only allowlisted tags, attributes, classes and link schemes left."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        allowed_classes={"div": {"admonition", *ADMONITIONS}, "p": {"admonition-title"}},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def editor_html(text: str) -> Markup:
    """Render the editor's Markdown note as sanitised HTML, wrapped for the page's Markdown."""
    body = clean_html(_render(text))
    # Blank lines around the block: Python-Markdown passes a raw HTML block through whole.
    return Markup(f'\n<div class="revstory-editor">\n{body}\n</div>\n')  # noqa: S704 - body is nh3-cleaned
