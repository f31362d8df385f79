"""A won deal's buying group in words: each reader by their role, their touches newest first.

Input: the :class:`~revstory.story.records.Reader` records of one anecdote (already ordered:
the person who read last before the signature first). Output:
:class:`~revstory.site.context.AnecdoteReader` records in the site's language. No person is
named: a reader is their seniority (a level chosen at load from their job title: "CFO",
"Director") and their role on the deal as the CRM gives it (a standard CRM role translated,
any other as written), "CFO · Economic Buyer", or either alone, or "a buyer with no role in
the CRM"; "reader 2" numbering alone is never shown, nor a job title.
"""

from __future__ import annotations

from collections.abc import Sequence

from revstory.site.context import AnecdoteReader, Link
from revstory.site.i18n import CONTEXT_LABELS, N_, Translator
from revstory.story.index import Indexed
from revstory.story.records import Reader, Step

#: What a reader did, per touch type (the piece's link follows).
ACTIONS = {
    "view": N_("read"),
    "download": N_("downloaded"),
    "form_submit": N_("filled in a form on"),
    "email_click": N_("clicked through from an email to"),
    "webinar_attended": N_("attended"),
    "video_view": N_("watched"),
    "sales_share": N_("received from sales"),
}
OTHER_ACTION = N_("engaged with")


def _when(days: int, t: Translator) -> str:
    if days == 0:
        return t("on the day of signing")
    return t.n("%(num)s day before signing", "%(num)s days before signing", days)


def _step(ix: Indexed, s: Step, t: Translator, prefix: str) -> tuple[str, Link, str]:
    link = Link(ix.titles.get(s.content_id, s.content_id), f"{prefix}articles/{s.content_id}.md")
    return t(ACTIONS.get(s.touch_type, OTHER_ACTION)), link, _when(s.days_before_close, t)


def _who(p: Reader, t: Translator) -> str | None:
    """Word a reader's seniority and role ("CFO · Economic Buyer"), or None without either."""
    level = CONTEXT_LABELS["seniority"].get(p.seniority or "")
    seniority = t.p("seniority", level) if level else None
    role = t.label("contact role", p.role) if p.role is not None else None
    if seniority and role:
        return t("%(seniority)s · %(role)s", seniority=seniority, role=role)
    return seniority or role


def reader_labels(people: Sequence[Reader], t: Translator) -> list[str]:
    """Label each reader by their seniority and role (translated when standard).

    '(2)' follows a label already given to another reader of the deal; readers with neither
    are 'a buyer with no role in the CRM', then 'another buyer …'.
    """
    seen: dict[str, int] = {}
    labels = []
    unknown = 0
    for p in people:
        who = _who(p, t)
        if who is None:
            labels.append(
                t("A buyer with no role in the CRM")
                if not unknown
                else t("Another buyer with no role in the CRM")
            )
            unknown += 1
            continue
        n = seen.get(who.casefold(), 0) + 1
        seen[who.casefold()] = n
        labels.append(who if n == 1 else t("%(role)s (%(n)s)", role=who, n=n))
    return labels


def buying_group(
    ix: Indexed, people: Sequence[Reader], t: Translator, prefix: str, budget: int
) -> tuple[tuple[AnecdoteReader, ...], int]:
    """Word the readers with at most ``budget`` touches in all.

    The touches are shared out in rounds (each reader's latest touch, then each one's next,
    …) so the whole buying group appears before anyone's older reads; returns the readers and
    the number of touches shown.
    """
    counts = [0] * len(people)
    left = budget
    while left > 0 and any(n < len(p.steps) for n, p in zip(counts, people, strict=True)):
        for i, p in enumerate(people):
            if left and counts[i] < len(p.steps):
                counts[i] += 1
                left -= 1
    out = tuple(
        AnecdoteReader(label, tuple(_step(ix, s, t, prefix) for s in p.steps[:n]))
        for p, label, n in zip(people, reader_labels(people, t), counts, strict=True)
        if n
    )
    return out, sum(counts)
