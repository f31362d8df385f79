"""Load settings: how real exports are read.

Part of revstory's settings (the ``load`` block of the revstory plugin in mkdocs.yml); every
option is documented once, here.
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from revstory.contracts import TABLES_BY_NAME

NativeTable = Literal[
    "content", "performance", "touches", "deals", "deal_contacts", "fx_rates", "identities"
]


class ColumnMapping(BaseModel):
    """Read a file no adapter knows as a native table.

    When its header holds every column of ``match``, its columns are renamed by ``columns``
    and it is read as the native ``table``.

    Example (mkdocs.yml, under the revstory plugin's ``load`` block)::

        column_mappings:
          - match: [Post ID, Permalink, Post Title, Type]
            table: content
            columns: {Post ID: content_id, Permalink: url, Post Title: title,
                      Type: content_type}
          - match: [ts, visitor, asset, interaction]
            table: touches
            columns: {ts: occurred_at, visitor: person_id, asset: content_id,
                      interaction: touch_type}
            values: {interaction: {impression: view, conversion: form_submit}}
            constants: {channel: partner}
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    match: tuple[str, ...] = Field(
        min_length=1, description="Header columns that identify the file."
    )
    table: NativeTable = Field(description="The native table the file is read as.")
    columns: dict[str, str] = Field(description="Their column → native column.")
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Per column (theirs or the native name), their values → native values, "
        "any case: interaction: {impression: view, conversion: form_submit}. Values not "
        "listed stay as they are.",
    )
    constants: dict[str, str] = Field(
        default_factory=dict,
        description="Native columns the file lacks, with one value for every row: "
        "{currency: EUR, touch_type: view}.",
    )
    name: str = Field("column mapping", description="Source name shown by revstory validate.")

    @model_validator(mode="after")
    def _native_columns(self) -> ColumnMapping:
        names = TABLES_BY_NAME[self.table].names
        for ours in self.constants:
            if ours not in names:
                raise ValueError(
                    f"constant '{ours}' is not a column of {self.table}; use one "
                    f"of {', '.join(names)}"
                )
        for col in self.values:
            if col not in self.columns and col not in self.columns.values():
                raise ValueError(
                    f"values for '{col}': it is not one of the mapped columns "
                    f"({', '.join(self.columns)})"
                )
        for theirs, ours in self.columns.items():
            if ours not in names:
                close = difflib.get_close_matches(ours, names, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise ValueError(
                    f"'{ours}' (for '{theirs}') is not a column of {self.table}; "
                    f"use one of {', '.join(names)}.{hint}"
                )
        return self


class DealStages(BaseModel):
    """CRM stage labels (as exported, any case) that mean won or lost; others are open."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    won: tuple[str, ...] = Field((), description="Stage labels of won deals, e.g. '#09 WON'.")
    lost: tuple[str, ...] = Field((), description="Stage labels of lost deals.")


class LoadOptions(BaseModel):
    """How real exports are read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_order: Literal["auto", "dmy", "mdy"] = Field(
        "auto",
        description=(
            "Order of day and month in slash dates such as 03/04/2026 (the exporting user's "
            "locale). auto: decided per column when a day above 12 proves it; otherwise the "
            "column is reported as ambiguous, never guessed."
        ),
    )
    decimal_comma: bool | None = Field(
        None, description="Numbers use a decimal comma. Default: yes in ';'-separated files."
    )
    default_currency: str | None = Field(
        None,
        pattern=r"^[A-Z]{3}$",
        description="Currency of CRM exports that carry no currency column (ISO 4217).",
    )
    deal_stages: DealStages = Field(
        default_factory=DealStages,
        description="Extra won/lost stage labels, for custom pipelines without 'Is Closed Won'.",
    )
    asset_content: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Maps a webinar ID, YouTube video ID, Salesforce campaign ID or Marketo program to "
            "the content_id it stands for. Unmapped ones use the ID itself as content_id."
        ),
    )
    column_mappings: tuple[ColumnMapping, ...] = Field(
        (), description="Layouts for files no adapter recognises (see ColumnMapping)."
    )

    @property
    def order(self) -> str | None:
        """Return the declared date order (``dmy``/``mdy``), ``None`` for ``auto``."""
        return None if self.date_order == "auto" else self.date_order


#: Where every command reads its settings, as messages name it.
SETTINGS_PLACE = "the revstory block of mkdocs.yml (or --config-file)"


def setting(name: str) -> str:
    """How messages name a loading setting: ``load: date_order`` in the revstory block."""
    return f"load: {name} in {SETTINGS_PLACE}"
