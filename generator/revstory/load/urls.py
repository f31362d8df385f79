"""URL keys: the Python twin of the ``norm_url`` / ``url_path`` SQL macros.

The macros are in generator/revstory/sql/macros.sql.

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

import hashlib
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
    kept = sorted(
        p for p in query.split("&") if p and not _TRACKING_RE.match(p.split("=", 1)[0].lower())
    )
    return "?" + "&".join(kept) if kept else ""


def norm_url(url: str | None) -> str | None:
    """``https://WWW.Example.com/blog/x/?utm_source=a&v=2`` → ``example.com/blog/x?v=2``."""
    if url is None or not url.strip():
        return None
    host, path, query = _split(url)
    return host + path + _query(query)


def url_path(url: str | None) -> str | None:
    """Return the path part of the key only: ``https://example.com/blog/x/?q=1`` → ``/blog/x``."""
    if url is None or not url.strip():
        return None
    return _split(url)[1]


#: An email inside an id or URL (the same pattern in Python and DuckDB's RE2): an id never
#: carries one, so slugs and pages added from analytics drop it.
EMAIL_SQL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
_EMAIL_RE = re.compile(EMAIL_SQL)

#: The id of a value that is nothing but an email address (a content_id column holding the
#: readers' emails): the redaction placeholder messages use, so a warning quotes what the user
#: wrote without the address; never a file name (validate refuses it in the inventory).
EMAIL_ID = "<email>"

#: Longest id kept as it is; longer ones are cut and get a 6-character hash of the whole.
MAX_ID = 120
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")


def slug(text: str) -> str:
    """Make a content_id from a path, title or id: ``/blog/New Post/`` → ``blog-new-post``.

    Letters and digits of any script stay (``/变身小说/`` → ``变身小说``, ``/café`` → ``café``),
    everything else becomes ``-``; ``..`` becomes ``.``; ``/`` (the home page) is ``home``,
    but a value that is only an email address is :data:`EMAIL_ID`, never ``home``; ids over
    :data:`MAX_ID` characters are cut and end in a hash of the whole, so two long ids never
    meet. The Python twin of the ``content_slug`` SQL macro (validate/checks.py).
    """
    if _SAFE_ID.fullmatch(text) and len(text) <= MAX_ID:
        return text
    decoded = unquote(text)
    s = re.sub(r"[^\w.-]+|_+", "-", _EMAIL_RE.sub("", decoded).lower()).strip("-._")
    s = re.sub(r"\.{2,}", ".", s) or (EMAIL_ID if _EMAIL_RE.search(decoded) else "home")
    if len(s) > MAX_ID:
        s = (
            s[: MAX_ID - 7].rstrip("-._")
            + "-"
            + hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:6]
        )
    return s


def type_slug(text: str) -> str:
    """Make a content type a file-name-safe key: ``Case Study`` → ``case_study``.

    ``e-book/guide`` → ``e_book_guide``, ``wébinar`` stays. Twin of the ``type_slug`` macro.
    """
    return re.sub(r"[\W_]+", "_", text.lower()).strip("_") or "other"
