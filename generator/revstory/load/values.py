"""Cell values of real exports → the plain text the native contracts expect.

Numbers come back as ``1234.5`` (no thousands separators, dot decimal), dates and timestamps
as ISO 8601, booleans as ``true``/``false``. A value that cannot be read is returned as it was,
so validation reports it with its file, row and column instead of the adapter guessing.

Day-first vs month-first dates are decided per column: a value whose first part is above 12
proves day-first, one whose second part is above 12 proves month-first; dotted dates
(``31.03.2026``) are day-first everywhere. When a column proves neither, the ``date_order``
setting decides; without it the column is ambiguous and is left unread (an error), never
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

NULLS = {"", "(not set)", "--", "-", "n/a", "null", "none", "(none)"}

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|UTC)?)?$",
    re.I,
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC_RE = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([AaPp][Mm])?)?$"
)
_NAMED_RE = re.compile(
    r"^(?:[A-Za-z]{3},\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?|(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?)"
    r"\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*([+-]\d{4}|GMT|UTC)?$"
)


def is_null(value: str | None) -> bool:
    """Tell whether ``value`` is missing or one of the spellings of null in exports."""
    return value is None or value.strip().lower() in NULLS


def number(value: str | None, decimal_comma: bool = False) -> str | None:
    """Read a number as exports spell it: ``"3,047"`` → ``3047``.

    ``USD 10,000.00`` → ``10000.00``; ``1.234,5`` (decimal comma) → ``1234.5``; ``12.14%`` →
    ``0.1214``.
    """
    if value is None or is_null(value):
        return None
    s = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    s = re.sub(r"^[A-Z]{3}(?=[\d.,-])|[$€£¥zł]|(?<=[\d.,])[A-Z]{3}$", "", s)
    pct = s.endswith("%")
    s = s.rstrip("%")
    if "," in s and "." in s:
        # Both separators: the last one is the decimal mark, whatever the file's locale.
        s = (
            s.replace(".", "").replace(",", ".")
            if s.rfind(",") > s.rfind(".")
            else s.replace(",", "")
        )
    elif "," in s:
        if decimal_comma:
            s = s.replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(,\d{3})+", s):
            s = s.replace(",", "")
        # else: "12,5" in a comma-decimal-free file is left for validation to report
    elif decimal_comma and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", s):
        return value.strip()
    if pct:
        return repr(round(float(s) / 100, 12))
    return s


def boolean(value: str | None) -> str | None:
    """Read yes/no in the languages exports use as ``true``/``false``; others are kept."""
    if value is None or is_null(value):
        return None
    v = value.strip().lower()
    if v in ("true", "1", "yes", "y", "oui", "vrai", "tak", "ja", "sí", "si", "wahr"):
        return "true"
    if v in ("false", "0", "no", "n", "non", "faux", "nie", "nein", "falsch"):
        return "false"
    return value.strip()


def _clock(h: str | None, mi: str | None, s: str | None, ampm: str | None) -> str:
    if h is None:
        return ""
    hour = int(h)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    return f"T{hour:02d}:{mi}:{s or '00'}"


def _offset(tz: str | None) -> str:
    if not tz or tz.upper() in ("Z", "UTC", "GMT"):
        return "Z" if tz else ""
    return tz[:3] + ":" + tz[-2:] if ":" not in tz else tz


def numeric_order(values: Sequence[str | None]) -> str | None:
    """``dmy``/``mdy`` when the column's slash or dash dates prove one; ``None`` otherwise."""
    first_big = second_big = False
    for v in values:
        m = _NUMERIC_RE.match(v.strip()) if v else None
        if m and m[2] != ".":
            first_big |= int(m[1]) > 12
            second_big |= int(m[3]) > 12
    if first_big and not second_big:
        return "dmy"
    if second_big and not first_big:
        return "mdy"
    return None


def has_ambiguous(values: Sequence[str | None]) -> str | None:
    """Return the first slash/dash date whose day and month could be swapped, if any."""
    for v in values:
        m = _NUMERIC_RE.match(v.strip()) if v else None
        if m and m[2] != "." and int(m[1]) <= 12 and int(m[3]) <= 12 and m[1] != m[3]:
            return v.strip() if v else None
    return None


def timestamp(value: str | None, order: str | None) -> str | None:
    """Read any date/time spelling seen in exports as ISO 8601.

    ``2026-03-31`` or ``2026-03-31T14:05:00`` plus ``Z``/offset when the value had one.
    ``order`` is ``dmy``, ``mdy`` or ``None`` (slash dates then stay unread unless a part is
    above 12).
    """
    if value is None or is_null(value):
        return None
    v = value.strip()
    if m := _ISO_RE.match(v):
        out = f"{m[1]}-{m[2]}-{m[3]}"
        if m[4]:
            out += f"T{int(m[4]):02d}:{m[5]}:{m[6] or '00'}{m[7] or ''}{_offset(m[8])}"
        return out
    if m := _COMPACT_RE.match(v):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if re.fullmatch(r"\d{13}", v):  # epoch milliseconds (HubSpot API)
        return datetime.fromtimestamp(int(v) / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if m := _NUMERIC_RE.match(v):
        a, sep, b, year = int(m[1]), m[2], int(m[3]), m[4]
        if len(year) == 2:
            year = "20" + year
        if sep == ".":
            order = "dmy"
        elif a > 12:
            order = "dmy"
        elif b > 12:
            order = "mdy"
        elif a == b:
            order = order or "dmy"
        if order not in ("dmy", "mdy"):
            return v
        day, month = (a, b) if order == "dmy" else (b, a)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return v
        return f"{year}-{month:02d}-{day:02d}" + _clock(m[5], m[6], m[7], m[8])
    if m := _NAMED_RE.match(v):
        mon = (m[1] or m[4]).lower()
        day = int(m[2] or m[3])
        if mon not in _MONTHS:
            return v
        return (
            f"{m[5]}-{_MONTHS[mon]:02d}-{day:02d}"
            + _clock(m[6], m[7], m[8], m[9])
            + (_offset(m[10]) if m[6] else "")
        )
    return v


def date(value: str | None, order: str | None) -> str | None:
    """Like :func:`timestamp`, keeping the calendar day only."""
    ts = timestamp(value, order)
    return ts[:10] if ts and re.match(r"\d{4}-\d{2}-\d{2}", ts) else ts
