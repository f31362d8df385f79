"""Published pages name input files from the data folder on (as mkdocs.yml and revstory
validate name them), never by the build machine's absolute paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from revstory.site.publish import data_name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/home/ana/report/content/2026-Q3/deals.csv", "content/2026-Q3/deals.csv"),
        (
            "/builds/acme/report/drops/2026_Q3/hubspot/deals.csv",
            "content/2026_Q3/hubspot/deals.csv",
        ),
        ("content/2026-Q2/touches.parquet", "content/2026-Q2/touches.parquet"),
        # A quarter-like name further up (a checkout under /srv/2025-Q1) does not win.
        ("/srv/2025-Q1/report/content/2026-Q3/deals.csv", "content/2026-Q3/deals.csv"),
        ("/somewhere/deals.csv", "content/deals.csv"),
    ],
)
def test_data_name(path: str, name: str) -> None:
    assert data_name(path) == name


def test_warnings_lose_the_data_folders_path(tmp_path: Path) -> None:
    import pandas as pd
    from revstory.attribute.stage import Results
    from revstory.config import AttributionConfig
    from revstory.site.publish import relative_names

    data = tmp_path / "content"
    ledger = pd.DataFrame({"file": [str(data / "2026-Q3" / "deals.csv")], "rows": [3]})
    frames = {
        name: pd.DataFrame()
        for name in Results.__dataclass_fields__
        if name not in ("quarters", "config", "currency_digits", "ledger")
    }
    results = Results(
        quarters=("2026-Q3",),
        config=AttributionConfig(),
        currency_digits=2,
        ledger=ledger,
        **frames,
    )  # type: ignore[arg-type]
    out, warnings = relative_names(
        results, (f"{data / '2026-Q3' / 'deals.csv'}, row 4: amount is empty",), data, "content"
    )
    assert out.ledger["file"].tolist() == ["content/2026-Q3/deals.csv"]
    assert warnings == ("content/2026-Q3/deals.csv, row 4: amount is empty",)
