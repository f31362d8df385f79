"""What CRM adapters share: deal types, won/lost/open from stage labels, Salesforce ids."""

from __future__ import annotations

import re

from revstory.load.options import LoadOptions

#: Stage labels that mean won / lost in the CRMs' default pipelines and UI languages.
WON_STAGES = {"closed won", "closedwon", "won", "conclu gagné", "fermé gagné", "gagné",
              "zamknięte wygrane", "wygrana", "gewonnen", "abgeschlossen und gewonnen",
              "cerrado ganado", "ganado", "closed - won"}
LOST_STAGES = {"closed lost", "closedlost", "lost", "conclu perdu", "fermé perdu", "perdu",
               "zamknięte przegrane", "przegrana", "verloren", "abgeschlossen und verloren",
               "cerrado perdido", "perdido", "closed - lost"}
_SF_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SF_ID = re.compile(r"^[A-Za-z0-9]{15}$")


def sfid18(value: str | None) -> str | None:
    """A 15-character Salesforce id with its 3-character case checksum appended.

    Each checksum character encodes which of 5 id characters are upper case (bit i set when
    character i of the chunk is A–Z), so ``001A0000006Vm9r`` becomes ``001A0000006Vm9rIAC``.
    18-character ids and anything else pass through unchanged.
    """
    if value is None or not _SF_ID.match(value.strip()):
        return value
    v = value.strip()
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(v[chunk * 5:chunk * 5 + 5]) if "A" <= ch <= "Z")
        suffix += _SF_ALPHABET[bits]
    return v + suffix


def status_from(stage: str | None, is_won: str | None, is_closed: str | None,
                options: LoadOptions) -> str | None:
    """won/lost/open from the booleans when present, else from the stage label."""
    if is_won == "true":
        return "won"
    if is_won == "false" and is_closed == "true":
        return "lost"
    if is_closed == "false":
        return "open"
    label = " ".join((stage or "").split()).lower()
    if label in {s.lower() for s in options.deal_stages.won} or (
            label in WON_STAGES and is_won is None):
        return "won"
    if label in {s.lower() for s in options.deal_stages.lost} or label in LOST_STAGES:
        return "lost"
    if is_won == "false" and is_closed is None and label in WON_STAGES:
        return "lost"
    return "open" if stage or is_won is not None else None


def deal_type(label: str | None) -> str:
    """New Business / Existing Business / Renewal / Upsell … → new, renewal or expansion."""
    v = (label or "").lower()
    if "renew" in v or "renouvel" in v or "odnow" in v or "verläng" in v or "renova" in v:
        return "renewal"
    if any(k in v for k in ("existing", "upsell", "cross", "expan", "exist", "istniej",
                            "bestehend", "upgrade", "add-on")):
        return "expansion"
    return "new"
