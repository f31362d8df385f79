"""URL keys: the Python twin of the ``norm_url`` / ``url_path`` SQL macros
(generator/revstory/sql/macros.sql).

A key is what makes two spellings of one page equal, so analytics rows and touches land on the
piece the inventory lists:

- the scheme, a leading ``www.``, the fragment, a trailing ``/`` and a final ``index.html`` (or
  ``index.htm``/``index.php``) do not matter; repeated slashes count as one;
- host and path are compared lower-case and percent-decoded (GA4 shows ``/café``, WordPress
  ``/caf%C3%A9``);
- tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mkt_tok``, ``hsa_*``, … see
  :data:`TRACKING`) are removed;
- **other query parameters are kept**, sorted, because they can name the piece itself
  (``/watch?v=abc``, WordPress ``/?p=123``). When a path-only analytics row (GA4 reports give
  paths, not URLs) or a row with leftover query noise (``?q=``) does not match a key exactly,
  validation falls back to the path alone — see ``url_path``.

A value starting with ``/`` is a path without host (GA4's ``//checkout/`` is a path too).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: Query parameter names (lower-case, full match) dropped from URL keys.
TRACKING = (
    r"utm_.*|fbclid|gclid|gclsrc|gbraid|wbraid|dclid|msclkid|mkt_tok|hsa_.*|_hsenc|_hsmi"
    r"|hsctatracking|mc_cid|mc_eid|_ga|_gl|igshid|yclid|twclid|li_fat_id|ttclid"
)
_TRACKING_RE = re.compile(f"^({TRACKING})$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_INDEX_RE = re.compile(r"/index\.(html?|php)$")


def _split(url: str) -> tuple[str, str, str]:
    """``(host, path, query)`` of a trimmed URL without its fragment."""
    u = url.strip().split("#", 1)[0]
    u = _SCHEME_RE.sub("", u)
    rest, _, query = u.partition("?")
    if rest.startswith("/"):
        host, path = "", rest
    else:
        host, slash, path = rest.partition("/")
        path = slash + path
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    path = unquote(path).lower()
    path = re.sub(r"/+", "/", path)
    path = _INDEX_RE.sub("", path).rstrip("/") or "/"
    return host, path, query


def _query(query: str) -> str:
    kept = sorted(p for p in query.split("&")
                  if p and not _TRACKING_RE.match(p.split("=", 1)[0].lower()))
    return "?" + "&".join(kept) if kept else ""


def norm_url(url: str | None) -> str | None:
    """``https://WWW.Example.com/blog/x/?utm_source=a&v=2`` → ``example.com/blog/x?v=2``."""
    if url is None or not url.strip():
        return None
    host, path, query = _split(url)
    return host + path + _query(query)


def url_path(url: str | None) -> str | None:
    """The path part of the key only: ``https://example.com/blog/x/?q=1`` → ``/blog/x``."""
    if url is None or not url.strip():
        return None
    return _split(url)[1]


def has_host(url: str | None) -> bool:
    return bool(url and url.strip() and _split(url)[0])


def slug(text: str) -> str:
    """A content_id from a path or title: ``/blog/New Post/`` → ``blog-new-post``."""
    s = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return s or "home"
