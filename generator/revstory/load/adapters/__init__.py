"""Source adapters: one module per export family, each with ``NAME``, ``detect`` and ``read``.

See :mod:`revstory.load.adapters.base`. :func:`choose` asks every adapter to score a sniffed
file and picks the best one above :data:`THRESHOLD`.
"""

from __future__ import annotations

from types import ModuleType

from revstory.load.adapters import (
    bizible,
    ga4_bigquery,
    ga4_ui,
    hubspot,
    marketo,
    native,
    salesforce,
    wordpress,
    youtube,
    zoom,
)
from revstory.load.sniff import SniffedFile

ADAPTERS: tuple[ModuleType, ...] = (
    ga4_ui,
    ga4_bigquery,
    hubspot,
    salesforce,
    marketo,
    bizible,
    youtube,
    zoom,
    wordpress,
    native,
)
THRESHOLD = 0.5

#: What each adapter reads, for the "closest known layouts" message.
LAYOUTS = {
    "ga4_ui": "GA4 pages/landing-page report (Page path and screen class, Views, Active users, …)",
    "ga4_bigquery": "GA4 BigQuery events (event_timestamp, event_name, user_id, page_location)",
    "hubspot": "HubSpot deals or contacts export (Record ID, Deal Stage, Amount, … or Record "
    "ID, Email, …)",
    "salesforce": "Salesforce opportunity report or API export (Opportunity ID, Stage, Amount, "
    "Close Date, …), OpportunityContactRole, CampaignMember, contacts or leads (Id, "
    "Email)",
    "marketo": "Marketo activities (marketoGUID, leadId, activityDate, activityTypeId, …) or "
    "leads (id, email, createdAt, sfdcContactId, …)",
    "bizible": "Bizible touchpoints (bizible2__Touchpoint_Date__c, …)",
    "youtube": "YouTube Studio table data (Content, Video title, Views, Watch time (hours))",
    "zoom": "Zoom webinar attendee report (Attendee Report, …)",
    "wordpress": "WordPress WXR export (XML)",
}


def scores(head: SniffedFile) -> list[tuple[float, ModuleType]]:
    """Every adapter's score for ``head``, best first."""
    ranked = [(float(a.detect(head)), a) for a in ADAPTERS]
    return sorted(ranked, key=lambda s: -s[0])


def choose(head: SniffedFile) -> ModuleType | None:
    """Pick the adapter that scores ``head`` best, if its score reaches :data:`THRESHOLD`."""
    ranked = scores(head)
    return ranked[0][1] if ranked and ranked[0][0] >= THRESHOLD else None
