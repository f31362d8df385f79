"""Sniffing a file before any adapter reads it: kind, encoding, delimiter, preamble, header.

Encodings are tried in this order: a UTF-8 BOM, a UTF-16 BOM (``FF FE``: Teams, Google Ads,
Matomo), UTF-16 without a BOM (NUL bytes between ASCII letters), strict UTF-8, then, with a
warning, the legacy code page that reads the file as words: cp1252 (Western Europe:
Salesforce's "ISO-8859-1" option, old Excel) or cp1250 (Central Europe: a Polish Excel or
CRM), see :func:`legacy_encoding`.
The delimiter is the one of ``,`` ``;`` tab that splits the header into most columns; a ``;``
file is taken to use decimal commas (European Excel, localized GSC) unless the load settings
say otherwise.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from revstory.errors import RevstoryError

HEAD_LINES = 60
DELIMITERS = (",", ";", "\t")


class UnreadableFile(RevstoryError):
    """The file cannot be read as a table at all (binary, empty, truncated)."""

    def __init__(self, message: str, fix: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.row = row


@dataclass(frozen=True)
class SniffedFile:
    """What a file looks like, from its first lines. Adapters score on this, never the name.

    ``kind`` is ``text`` (delimited), ``xml``, ``ndjson`` or ``parquet``. For text, ``lines`` holds
    the first lines (decoded, without line ends), ``preamble`` the leading comment/title lines
    and ``header`` the first header row after them (``header_line`` is its 1-based line).
    """

    path: Path
    kind: str
    encoding: str = "utf-8"
    delimiter: str = ","
    decimal_comma: bool = False
    lines: tuple[str, ...] = ()
    preamble: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    header_line: int = 1
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def header_lower(self) -> tuple[str, ...]:
        """Return the header's names with blanks collapsed, lower-cased."""
        return tuple(" ".join(h.split()).lower() for h in self.header)

    def text(self) -> str:
        """Read the whole file, decoded."""
        return decode(self.path.read_bytes(), self.encoding)


def decode(data: bytes, encoding: str) -> str:
    """Decode bytes to text, without NUL characters.

    NUL characters (Salesforce Data Export writes them inside rich-text fields) are removed:
    they are never data, and never reach any output.
    """
    text = data.decode(encoding, errors="replace" if encoding in LEGACY else "strict")
    return text.lstrip("\ufeff").replace("\x00", "")


#: Code pages of files that are not UTF-8, as a warning names them; the first wins a tie.
LEGACY = {"cp1252": "Windows-1252", "cp1250": "Windows-1250 (Central European)"}


def legacy_encoding(data: bytes) -> str:
    """Choose the code page of :data:`LEGACY` that reads ``data`` as words.

    The two share ASCII and most accented letters, and differ where Polish, Czech or
    Hungarian letters are: cp1250's ``ł ą ż`` are cp1252's ``³ ¹ ¿``, symbols no word holds,
    while French, German or Spanish text read as cp1250 still gives letters (``à`` → ``ŕ``).
    So the code page chosen is the one whose reading puts the fewest symbols against a
    letter (right after one, or right before one unless it opens a quote or a question:
    ``¿Qué``); bytes it leaves undefined count as such symbols; cp1252 on a tie.
    """

    def odd(text: str) -> int:
        return sum(
            c == "\ufffd"
            or (
                c > "\x7f"
                and not c.isalpha()
                and (prev.isalpha() or (after.isalpha() and c not in "¿¡«»‹›„“‘"))
            )
            for prev, c, after in zip(" " + text[:-1], text, text[1:] + " ", strict=True)
        )

    scores = {enc: odd(data.decode(enc, errors="replace")) for enc in LEGACY}
    return min(LEGACY, key=lambda enc: scores[enc])


def _binary(head: bytes) -> bool:
    """Tell whether a file starting with ``head`` is binary.

    A file is binary when its first bytes hold control characters other than NUL, tab and
    line ends, or when NULs are more than stray bytes inside text (over 10 % of the bytes).
    """
    sample = head[:4096]
    controls = sum(b < 9 or 13 < b < 32 for b in sample if b != 0)
    return controls > 2 or sample.count(0) * 10 > max(len(sample), 1)


def nul_warning(count: int) -> str:
    """Word the warning for ``count`` NUL bytes removed from a file's values."""
    return (
        f"holds {count} NUL byte(s) inside its values (Salesforce Data Export writes them "
        "in rich-text fields); they were removed"
    )


def _utf16_without_bom(head: bytes) -> str | None:
    """Detect UTF-16 text saved without a BOM: ``utf-16-le``, ``utf-16-be`` or ``None``.

    Such text is mostly ASCII, so one byte of most pairs is NUL (always the same one) and
    the other almost never is.
    """
    sample = head[: min(len(head), 4096) // 2 * 2]
    if len(sample) < 4:
        return None
    first, second = sample[0::2], sample[1::2]
    for nul, text, encoding in ((second, first, "utf-16-le"), (first, second, "utf-16-be")):
        if nul.count(0) * 2 > len(nul) and text.count(0) * 20 < len(text):
            try:  # incremental: a pair cut at the sample's end is no error
                codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _encoding(head: bytes, path: Path) -> tuple[str, list[str]]:
    return detect_encoding(head, path.read_bytes)


def detect_encoding(head: bytes, whole: Callable[[], bytes] | None = None) -> tuple[str, list[str]]:
    """Find the encoding of a file starting with ``head``, and warnings about it.

    ``whole`` reads all of it when the head is not the whole file; see the module docstring.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", []
    bomless = _utf16_without_bom(head)
    if bomless:
        return bomless, []
    if b"\x00" in head and _binary(head):
        raise UnreadableFile(
            "is a binary file, not a table",
            "export it again as CSV (UTF-8, comma-separated) or Parquet",
        )
    data = whole() if whole is not None else head
    nuls = data.count(b"\x00")
    warnings = [nul_warning(nuls)] if nuls else []
    data = data.replace(b"\x00", b"") if nuls else data
    try:
        data.decode("utf-8")
        return "utf-8", warnings
    except UnicodeDecodeError as exc:
        if sum(b < 9 or 13 < b < 32 for b in head[:4096]) > 8:
            raise UnreadableFile(
                "is a binary file, not a table",
                "export it again as CSV (UTF-8, comma-separated) or Parquet",
            ) from None
        line = data[: exc.start].count(b"\n") + 1
        encoding = legacy_encoding(data)
        return encoding, [
            *warnings,
            f"is not UTF-8 (first odd byte on line {line}); it was "
            f"read as {LEGACY[encoding]} — check accented names, or export it again as "
            "UTF-8",
        ]


def is_comment(line: str) -> bool:
    """Tell whether ``line`` is a ``#`` comment line (a BOM before it is ignored)."""
    return line.lstrip("\ufeff").startswith("#")


def split_line(line: str, delimiter: str) -> list[str]:
    """Split one CSV line into its fields; the whole line when it does not parse."""
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return [line]


def choose_delimiter(line: str) -> str:
    """Choose the delimiter that splits a header line into most fields (ties: list order)."""
    return max(DELIMITERS, key=lambda d: (len(split_line(line, d)), -DELIMITERS.index(d)))


def sniff(path: Path, decimal_comma: bool | None = None) -> SniffedFile:
    """Sniff ``path``; raises :class:`UnreadableFile` for binary or empty files."""
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"PAR1") or suffix == ".parquet":
        return SniffedFile(path=path, kind="parquet")
    if not head.strip():
        raise UnreadableFile("is empty", "export it again; the file has no header and no rows")
    encoding, warnings = _encoding(head, path)
    text = (
        decode(head if len(head) < 65536 else path.read_bytes()[:262144], encoding)
        if encoding != "utf-16"
        else decode(path.read_bytes(), encoding)
    )
    lines = tuple(text.splitlines()[:HEAD_LINES])
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip().startswith("<"):
        return SniffedFile(
            path=path, kind="xml", encoding=encoding, lines=lines, warnings=tuple(warnings)
        )
    if first.lstrip().startswith("{"):
        try:
            keys = tuple(json.loads(first))
        except ValueError:
            keys = ()
        return SniffedFile(
            path=path,
            kind="ndjson",
            encoding=encoding,
            lines=lines,
            header=keys,
            warnings=tuple(warnings),
        )
    # Preamble: '#' comment blocks and blank lines (GA4), or short title lines (Zoom, UA).
    i = 0
    while i < len(lines) and (is_comment(lines[i]) or not lines[i].strip()):
        i += 1
    header_text = lines[i] if i < len(lines) else ""
    delimiter = choose_delimiter(header_text)
    header = tuple(h.strip() for h in split_line(header_text, delimiter))
    seen: set[str] = set()
    for h in header:
        key = " ".join(h.split()).lower()
        if key and key in seen:
            warnings.append(
                f"has the column '{h}' twice; the first one is read, the other is "
                "ignored — remove or rename the duplicate in the export"
            )
        seen.add(key)
    return SniffedFile(
        path=path,
        kind="text",
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=(delimiter == ";") if decimal_comma is None else decimal_comma,
        lines=lines,
        preamble=lines[:i],
        header=header,
        header_line=i + 1,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class Record:
    """One parsed line of a delimited file; ``line`` is where it starts (1-based)."""

    line: int
    fields: list[str]

    @property
    def blank(self) -> bool:
        """Tell whether every field of the record is empty or blanks."""
        return all(not f.strip() for f in self.fields)


def records(sniffed: SniffedFile, text: str | None = None) -> list[Record]:
    """Every record of a delimited file with its starting line number.

    Raises :class:`UnreadableFile` when the file ends inside a quoted value (truncated).
    """
    text = sniffed.text() if text is None else text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniffed.delimiter, strict=True)
    out: list[Record] = []
    prev = 0
    try:
        for fields in reader:
            out.append(Record(prev + 1, fields))
            prev = reader.line_num
    except csv.Error as exc:
        raise UnreadableFile(
            f"cannot be parsed after line {prev} ({exc}); the file looks truncated or a quoted "
            "value is not closed",
            "export the file again, or close the quote on that line",
            prev + 1,
        ) from None
    return out
