"""WordPress WXR (Tools → Export, XML) → ``content``.

One piece per published post or page: content_id is the post slug (``wp:post_name``), url the
permalink (``link``), published_at ``wp:post_date_gmt`` (else ``pubDate``), author
``dc:creator``, tags the item's categories and tags. Drafts, attachments, menu items and
other internal post types are dropped with that reason. ``_row`` is the line of the
``<item>`` element. The XML is parsed with expat and any DTD is refused, so entity
expansion tricks cannot run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

from revstory.load.adapters.base import AdapterOutput, Frame, Notes, ReadContext, Row, fix_dates
from revstory.load.sniff import SniffedFile, UnreadableFile
from revstory.load.urls import slug

NAME = "wordpress"
#: The wp: namespace, http or https (WordPress 6 writes https://wordpress.org/export/1.2/).
_WP_NS = re.compile(r"^https?://wordpress\.org/export/")
_TYPES = {"post": "article", "page": "page"}


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a WordPress WXR export (an RSS document in the wp: namespace)."""
    if head.kind != "xml":
        return 0.0
    text = "\n".join(head.lines)
    return 0.95 if "wordpress.org/export/" in text and "<rss" in text else 0.0


@dataclass
class _Item:
    """One ``<item>`` while it is parsed: its line, categories and first text per element."""

    line: int
    categories: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        return self.fields.get(key)


def _items(data: bytes) -> list[_Item]:
    items: list[_Item] = []
    stack: list[str] = []
    cur: _Item | None = None
    buf: list[str] = []
    parser = expat.ParserCreate(namespace_separator="|")

    def no_dtd(*_: object) -> None:
        raise UnreadableFile(
            "declares a DTD, which WordPress exports never do",
            "export the site again from Tools → Export",
        )

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal cur
        stack.append(name)
        buf.clear()
        if name == "item":
            cur = _Item(parser.CurrentLineNumber)

    def end(name: str) -> None:
        nonlocal cur
        stack.pop()
        text = "".join(buf).strip()
        buf.clear()
        if cur is None:
            return
        if name == "item":
            items.append(cur)
            cur = None
        elif name == "category":
            cur.categories.append(text)
        elif len(stack) >= 1 and stack[-1] == "item":
            key = name.split("|")[-1]
            if _WP_NS.match(name):
                key = "wp:" + key
            cur.fields.setdefault(key, text)

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = buf.append
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnreadableFile(
            f"is not well-formed XML ({exc}); the export looks truncated or edited",
            "export the site again from Tools → Export",
            exc.lineno,
        ) from None
    return items


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read published posts and pages into ``content``; other items are dropped."""
    items = _items(path.read_bytes())
    if not items:
        raise UnreadableFile(
            "is a WordPress export without any <item>", "export 'All content' from Tools → Export"
        )
    dropped: Counter[str] = Counter()
    warnings: list[str] = []
    read_rows: list[tuple[int, Row]] = []
    taken: dict[str, str] = {}
    for it in items:
        line = it.line
        ptype = it.get("wp:post_type") or ""
        if ptype not in _TYPES:
            dropped[f"WordPress {ptype or 'item'} (not a content piece)"] += 1
            continue
        if it.get("wp:status") != "publish":
            dropped[f"not published ({it.get('wp:status') or 'no status'})"] += 1
            continue
        gmt = it.get("wp:post_date_gmt") or ""
        when = gmt if gmt and not gmt.startswith("0000") else it.get("pubDate") or ""
        title = it.get("title") or ""
        # Slugs of non-ASCII titles are percent-encoded (%e5%8f%98…): read them as written.
        raw = unquote(it.get("wp:post_name") or "")
        name = slug(raw) if raw else (slug(title) if title else f"post-{it.get('wp:post_id')}")
        if not title:
            warnings.append(
                f"line {line}: a published {ptype} has an empty title; it is "
                f"shown by its slug '{name}' — give it a title in WordPress"
            )
            title = name
        if name in taken:
            # A post and a page may share a slug: both are kept, told apart by type or id.
            first = taken[name]
            name = f"{name}-{ptype}" if first != ptype else f"{name}-{it.get('wp:post_id')}"
            warnings.append(
                f"line {line}: the slug is also the {first}'s above; this "
                f"{ptype} is read as '{name}'"
            )
        taken.setdefault(name, ptype)
        read_rows.append(
            (
                line,
                {
                    "content_id": name,
                    "url": it.get("link") or None,
                    "title": title,
                    "content_type": _TYPES[ptype],
                    "published_at": when or None,
                    "author": it.get("creator") or None,
                    "tags": ";".join(dict.fromkeys(it.categories)) or None,
                },
            )
        )
    frame = Frame.of(
        "content",
        ("content_id", "url", "title", "content_type", "published_at", "author", "tags"),
        read_rows,
        [
            ("wp:post_name", "content_id"),
            ("link", "url"),
            ("title", "title"),
            ("wp:post_type (post → article, page → page)", "content_type"),
            ("wp:post_date_gmt, else pubDate", "published_at"),
            ("dc:creator", "author"),
            ("category, post_tag", "tags"),
        ],
    )
    frame, dates = fix_dates(
        frame, {"published_at": "date"}, ctx, {"published_at": "wp:post_date_gmt"}
    )
    return AdapterOutput.build([frame], Notes.of(dropped, warnings=warnings), dates)
