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
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

from revstory.load.adapters.base import AdapterOutput, Frame, ReadContext, fix_dates
from revstory.load.sniff import SniffedFile, UnreadableFile
from revstory.load.urls import slug

NAME = "wordpress"
#: The wp: namespace, http or https (WordPress 6 writes https://wordpress.org/export/1.2/).
_WP_NS = re.compile(r"^https?://wordpress\.org/export/")
_TYPES = {"post": "article", "page": "page"}


def detect(head: SniffedFile) -> float:
    if head.kind != "xml":
        return 0.0
    text = "\n".join(head.lines)
    return 0.95 if "wordpress.org/export/" in text and "<rss" in text else 0.0


def _items(data: bytes) -> list[tuple[int, dict[str, object]]]:
    items: list[tuple[int, dict[str, object]]] = []
    stack: list[str] = []
    cur: dict[str, object] | None = None
    buf: list[str] = []
    attrs: dict[str, str] = {}
    parser = expat.ParserCreate(namespace_separator="|")

    def no_dtd(*_: object) -> None:
        raise UnreadableFile(
            "declares a DTD, which WordPress exports never do",
            "export the site again from Tools → Export",
        )

    def start(name: str, a: dict[str, str]) -> None:
        nonlocal cur, attrs
        stack.append(name)
        buf.clear()
        attrs = a
        if name == "item":
            cur = {"categories": [], "line": parser.CurrentLineNumber}

    def end(name: str) -> None:
        nonlocal cur
        stack.pop()
        text = "".join(buf).strip()
        buf.clear()
        if cur is None:
            return
        if name == "item":
            items.append((int(cur["line"]), cur))  # type: ignore[call-overload]
            cur = None
        elif name == "category":
            cur["categories"].append(text)  # type: ignore[attr-defined]
        elif len(stack) >= 1 and stack[-1] == "item":
            key = name.split("|")[-1]
            if _WP_NS.match(name):
                key = "wp:" + key
            cur.setdefault(key, text)

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
    out = AdapterOutput(frames=[])
    items = _items(path.read_bytes())
    if not items:
        raise UnreadableFile(
            "is a WordPress export without any <item>", "export 'All content' from Tools → Export"
        )
    frame = Frame(
        "content", ("content_id", "url", "title", "content_type", "published_at", "author", "tags")
    )
    frame.mapping = [
        ("wp:post_name", "content_id"),
        ("link", "url"),
        ("title", "title"),
        ("wp:post_type (post → article, page → page)", "content_type"),
        ("wp:post_date_gmt, else pubDate", "published_at"),
        ("dc:creator", "author"),
        ("category, post_tag", "tags"),
    ]
    taken: dict[str, str] = {}
    for line, it in items:
        ptype = str(it.get("wp:post_type", ""))
        if ptype not in _TYPES:
            out.skip(f"WordPress {ptype or 'item'} (not a content piece)")
            continue
        if it.get("wp:status") != "publish":
            out.skip(f"not published ({it.get('wp:status') or 'no status'})")
            continue
        gmt = str(it.get("wp:post_date_gmt") or "")
        when = gmt if gmt and not gmt.startswith("0000") else str(it.get("pubDate") or "")
        title = str(it.get("title") or "")
        # Slugs of non-ASCII titles are percent-encoded (%e5%8f%98…): read them as written.
        raw = unquote(str(it.get("wp:post_name") or ""))
        name = slug(raw) if raw else (slug(title) if title else f"post-{it.get('wp:post_id')}")
        if not title:
            out.warnings.append(
                f"line {line}: a published {ptype} has an empty title; it is "
                f"shown by its slug '{name}' — give it a title in WordPress"
            )
            title = name
        if name in taken:
            # A post and a page may share a slug: both are kept, told apart by type or id.
            first = taken[name]
            name = f"{name}-{ptype}" if first != ptype else f"{name}-{it.get('wp:post_id')}"
            out.warnings.append(
                f"line {line}: the slug is also the {first}'s above; this "
                f"{ptype} is read as '{name}'"
            )
        taken.setdefault(name, ptype)
        frame.add(
            line,
            content_id=name,
            url=str(it.get("link") or "") or None,
            title=title,
            content_type=_TYPES[ptype],
            published_at=when or None,
            author=str(it.get("creator") or "") or None,
            tags=";".join(dict.fromkeys(it["categories"])) or None,  # type: ignore[call-overload]
        )
    fix_dates(frame, {"published_at": "date"}, out, ctx, {"published_at": "wp:post_date_gmt"})
    out.frames.append(frame)
    return out
