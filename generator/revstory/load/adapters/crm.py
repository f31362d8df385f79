"""What CRM adapters share: deal types, won/lost/open from stage labels, Salesforce ids."""

from __future__ import annotations

import re
from collections import Counter

from revstory.load.options import LoadOptions, setting

#: Stage labels that mean won / lost in the CRMs' default pipelines and UI languages.
WON_STAGES = {
    "closed won",
    "closedwon",
    "won",
    "conclu gagné",
    "fermé gagné",
    "gagné",
    "zamknięte wygrane",
    "wygrana",
    "gewonnen",
    "abgeschlossen und gewonnen",
    "cerrado ganado",
    "ganado",
    "closed - won",
}
LOST_STAGES = {
    "closed lost",
    "closedlost",
    "lost",
    "conclu perdu",
    "fermé perdu",
    "perdu",
    "zamknięte przegrane",
    "przegrana",
    "verloren",
    "abgeschlossen und verloren",
    "cerrado perdido",
    "perdido",
    "closed - lost",
}
_SF_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SF_ID = re.compile(r"^[A-Za-z0-9]{15}$")


def sfid18(value: str | None) -> str | None:
    """Append the 3-character case checksum to a 15-character Salesforce id.

    Each checksum character encodes which of 5 id characters are upper case (bit i set when
    character i of the chunk is A–Z), so ``001A0000006Vm9r`` becomes ``001A0000006Vm9rIAC``.
    18-character ids and anything else pass through unchanged.
    """
    if value is None or not _SF_ID.match(value.strip()):
        return value
    v = value.strip()
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(v[chunk * 5 : chunk * 5 + 5]) if "A" <= ch <= "Z")
        suffix += _SF_ALPHABET[bits]
    return v + suffix


#: Words that make a custom stage label won or lost, in en/fr/pl/de/es (``Closed: won``,
#: ``#09 WON``, ``Gagné - signé``, ``Wygrana``, ``Gewonnen``, ``Ganado``).
_WON_WORD = re.compile(
    r"(?<![a-zà-ž])(won|win|gagn[ée]e?s?|wygran[aey]?|wygrane|gewonnen|"
    r"ganad[oa]s?)(?![a-zà-ž])"
)
_LOST_WORD = re.compile(
    r"(?<![a-zà-ž])(lost|loss|perdu[es]{0,2}|przegran[aey]?|przegrane|"
    r"verloren|perdid[oa]s?)(?![a-zà-ž])"
)


def stage_word(label: str) -> str | None:
    """``won``/``lost`` when a custom stage label says so in one of the five languages."""
    won, lost = bool(_WON_WORD.search(label)), bool(_LOST_WORD.search(label))
    return "won" if won and not lost else "lost" if lost and not won else None


def status_from(
    stage: str | None,
    is_won: str | None,
    is_closed: str | None,
    options: LoadOptions,
    inferred: Counter[tuple[str, str]] | None = None,
) -> str | None:
    """Read a deal's status: won, lost or open.

    A stage listed in ``deal_stages`` wins over every flag; then the booleans when present;
    then the stage label (default pipelines' labels, then a label that says won or lost in
    en/fr/pl/de/es, counted in ``inferred`` as (label, status)).
    """
    label = " ".join((stage or "").split()).lower()
    if label and label in {s.lower() for s in options.deal_stages.won}:
        return "won"
    if label and label in {s.lower() for s in options.deal_stages.lost}:
        return "lost"
    if is_won == "true":
        return "won"
    if is_won == "false" and is_closed == "true":
        return "lost"
    if is_closed == "false":
        return "open"
    if label in WON_STAGES and is_won is None:
        return "won"
    if label in LOST_STAGES:
        return "lost"
    if is_won == "false" and is_closed is None and label in WON_STAGES:
        return "lost"
    word = stage_word(label) if label else None
    if word and not (word == "won" and is_won == "false"):
        if inferred is not None:
            inferred[(" ".join((stage or "").split()), word)] += 1
        return word
    return "open" if stage or is_won is not None else None


def inferred_warning(inferred: Counter[tuple[str, str]]) -> str | None:
    """Say which stages were read from their labels, in one line (``None`` when none were)."""
    if not inferred:
        return None
    parts = [f"'{label}' as {word} ({n})" for (label, word), n in sorted(inferred.items())]
    return (
        f"custom deal stages read from their labels: {', '.join(parts)} — to read a stage "
        f"otherwise, list it under won or lost in {setting('deal_stages')}"
    )


def deal_type(label: str | None) -> str:
    """Map New Business / Existing Business / Renewal / Upsell … to new, renewal or expansion."""
    v = (label or "").lower()
    if "renew" in v or "renouvel" in v or "odnow" in v or "verläng" in v or "renova" in v:
        return "renewal"
    if any(
        k in v
        for k in (
            "existing",
            "upsell",
            "cross",
            "expan",
            "exist",
            "istniej",
            "bestehend",
            "upgrade",
            "add-on",
        )
    ):
        return "expansion"
    return "new"
