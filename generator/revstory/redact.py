"""Redaction of values quoted in messages, so that no message carries personal data.

Every warning or error can reach the terminal, the data-quality page, its CSV and the search
index, so what it quotes from a cell must not carry personal data.

- emails become ``<email>``, phone numbers ``<phone>`` (international ``+…``, ``(0xx) …`` or
  national numbers starting with 0 in groups), URLs lose their query string (``?utm=…&e=…``);
- messages about a person column (:data:`PERSON_COLUMNS`) quote no value at all: the row
  number and column say where the problem is.
"""

from __future__ import annotations

import re

#: Columns that hold a person's identifier in any table (before pseudonymisation).
PERSON_COLUMNS = frozenset({"person_id", "alias", "email"})

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w+-])(?:"
    r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}"
    r"|\(\d{2,5}\)[\s.-]?\d{2,4}(?:[\s.-]?\d{2,4}){1,3}"
    r"|0\d{1,4}(?:[\s.-]\d{2,4}){2,4}"
    r")(?![\w-])"
)
QUERY = re.compile(r"(\b(?:https?://|www\.)[^\s?#\"'<>]*)\?[^\s#\"'<>]*")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def redact(text: str) -> str:
    """``text`` with emails, phone numbers and URL query strings taken out."""
    text = QUERY.sub(r"\1", text)
    text = EMAIL.sub("<email>", text)
    return PHONE.sub("<phone>", text)


def redact_person_values(text: str) -> str:
    """``text`` with every quoted value replaced, for messages about a person column."""
    return QUOTED.sub("the value", text)
