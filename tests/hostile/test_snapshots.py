"""Damaged or mismatched snapshots are refused with the file and how to rebuild it: truncated
or empty Parquet, wrong columns, meta.json missing a key, a file copied from another quarter
(caught by the fingerprint recorded when the snapshot was written), a meta.json whose quarter
is not its folder's."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from revstory.errors import BuildError
from revstory.history import SNAPSHOT_DIR, read_snapshot
from story_vectors import TESTS

REBUILD = "restore the quarter's exports into its folder so the build recomputes it"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal drop's 2026-Q3 snapshot, as a build writes it."""
    from revstory.site.publish import render_docs
    from revstory.site.settings import SiteSettings

    root = tmp_path_factory.mktemp("snap")
    shutil.copytree(TESTS / "fixtures" / "drops" / "minimal", root / "content")
    render_docs(SiteSettings(min_deals=1), root, root / "docs")
    return root / "content" / "2026-Q3" / SNAPSHOT_DIR


def _quarter(written: Path, tmp: Path, name: str = "2026-Q3") -> tuple[Path, Path]:
    folder = tmp / name
    shutil.copytree(written, folder / SNAPSHOT_DIR)
    return folder, folder / SNAPSHOT_DIR


def test_the_snapshot_records_a_fingerprint_per_file(written: Path, tmp_path: Path) -> None:
    meta = json.loads((written / "meta.json").read_text(encoding="utf-8"))
    assert sorted(meta["files"]) == [
        "attribution",
        "content",
        "deal_credit",
        "deals",
        "identities",
        "influence",
        "journeys",
        "ledger",
        "performance",
        "summary",
        "touches",
    ]
    for name, fp in meta["files"].items():
        data = (written / f"{name}.parquet").read_bytes()
        assert fp["sha256"] == hashlib.sha256(data).hexdigest()
        assert fp["rows"] == len(pd.read_parquet(written / f"{name}.parquet"))
    folder, _ = _quarter(written, tmp_path)
    assert read_snapshot(folder).quarter == "2026-Q3"


def test_a_truncated_parquet_is_refused(written: Path, tmp_path: Path) -> None:
    folder, snap = _quarter(written, tmp_path)
    data = (snap / "summary.parquet").read_bytes()
    (snap / "summary.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    assert str(err.value) == (
        f"{snap / 'summary.parquet'} does not match the fingerprint recorded in meta.json when "
        "the snapshot was written (changed, truncated or copied from another snapshot) — " + REBUILD
    )


@pytest.mark.parametrize("content", [b"", b"PAR1 not really"])
def test_an_unreadable_parquet_without_fingerprint_is_refused(
    written: Path, tmp_path: Path, content: bytes
) -> None:
    folder, snap = _quarter(written, tmp_path)
    meta = json.loads((snap / "meta.json").read_text(encoding="utf-8"))
    del meta["files"]  # a snapshot written before fingerprints
    (snap / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (snap / "deals.parquet").write_bytes(content)
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    message = str(err.value)
    assert message.startswith(f"{snap / 'deals.parquet'} cannot be read (")
    assert message.endswith(") — the snapshot is damaged; " + REBUILD)


def test_wrong_columns_are_caught_by_the_fingerprint(written: Path, tmp_path: Path) -> None:
    folder, snap = _quarter(written, tmp_path)
    frame = pd.read_parquet(snap / "attribution.parquet").rename(columns={"model": "modele"})
    frame.to_parquet(snap / "attribution.parquet", index=False)
    with pytest.raises(BuildError, match=r"attribution\.parquet does not match the fingerprint"):
        read_snapshot(folder)


@pytest.mark.parametrize("key", ["quarter", "currency_digits", "settings", "format_version"])
def test_meta_missing_a_key(written: Path, tmp_path: Path, key: str) -> None:
    folder, snap = _quarter(written, tmp_path)
    meta = json.loads((snap / "meta.json").read_text(encoding="utf-8"))
    del meta[key]
    (snap / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    assert str(err.value) == (
        f"{snap / 'meta.json'}: has no {key} — the snapshot is damaged; " + REBUILD
    )


def test_a_snapshot_in_another_quarters_folder_is_refused(written: Path, tmp_path: Path) -> None:
    folder, snap = _quarter(written, tmp_path, "2026-Q4")
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    assert str(err.value) == (
        f"{snap / 'meta.json'}: says quarter 2026-Q3 but sits in 2026-Q4 "
        "(2026-Q4) — it was copied from another quarter; " + REBUILD
    )


def test_a_frame_of_another_quarter_is_refused(written: Path, tmp_path: Path) -> None:
    """A summary.parquet copied from another quarter (fingerprints gone, as in an older
    snapshot) would double a quarter's revenue: its rows name their quarter."""
    folder, snap = _quarter(written, tmp_path)
    meta = json.loads((snap / "meta.json").read_text(encoding="utf-8"))
    del meta["files"]
    (snap / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    frame = pd.read_parquet(snap / "summary.parquet")
    frame["quarter"] = "2026-Q2"
    frame.to_parquet(snap / "summary.parquet", index=False)
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    assert str(err.value) == (
        f"{snap / 'summary.parquet'} holds rows of 2026-Q2, not only "
        "2026-Q3 — it was copied from another snapshot; " + REBUILD
    )


def test_meta_that_is_not_an_object(written: Path, tmp_path: Path) -> None:
    folder, snap = _quarter(written, tmp_path)
    (snap / "meta.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        read_snapshot(folder)
    assert str(err.value) == f"{snap / 'meta.json'}: is not a snapshot's meta.json — " + REBUILD


def test_the_ledger_names_files_from_their_quarter_folder(written: Path) -> None:
    """No path of the machine that wrote the snapshot: files named from the quarter on."""
    files = sorted(set(pd.read_parquet(written / "ledger.parquet")["file"]))
    assert files == [
        "2026-Q3/content.csv",
        "2026-Q3/deal_contacts.csv",
        "2026-Q3/deals.csv",
        "2026-Q3/fx_rates.csv",
        "2026-Q3/performance.csv",
        "2026-Q3/touches.csv",
    ]


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A two-quarter sample (lookback 365 days reaches from 2026-Q3 into 2026-Q2) built once,
    so each quarter has its snapshot; returns the data folder and Q2's touch rows."""
    from click.testing import CliRunner
    from revstory.cli import main
    from revstory.site.publish import render_docs
    from revstory.site.settings import SiteSettings

    root = tmp_path_factory.mktemp("lookback")
    content = root / "content"
    result = CliRunner().invoke(
        main, ["sample", "--out", str(content), "--scale", "0.1"], catch_exceptions=False
    )
    assert result.exit_code == 0
    render_docs(SiteSettings(min_deals=1), root, root / "docs")
    q2 = content / "2026-Q2" / "touches.csv"
    return content, len(q2.read_text(encoding="utf-8").splitlines()) - 1


def _live_q3(results) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    out = {}
    for name in ("attribution", "deal_credit", "influence", "summary", "journeys"):
        df = getattr(results, name)
        df = df[df["quarter"] == "2026-Q3"].astype(
            {c: "string" for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)}
        )
        out[name] = df.sort_values(list(df.columns), ignore_index=True)
    return out


def test_deleted_exports_inside_a_live_lookback_do_not_move_the_live_quarter(
    sampled: tuple[Path, int], tmp_path: Path
) -> None:
    """Q2's exports deleted: Q2 comes back from its snapshot, and the touches its snapshot
    kept (pseudonymised) still count in the journeys of Q3's deals: every Q3 figure of every
    model is the same as with the exports, and nothing is announced as lost."""
    from revstory.history import run_with_history
    from revstory.site.settings import SiteSettings

    content = tmp_path / "content"
    shutil.copytree(sampled[0], content)
    settings = SiteSettings(min_deals=1)
    before, none, _ = run_with_history(settings, content, write=False)
    assert none == ()
    for f in (content / "2026-Q2").glob("*.csv"):
        f.unlink()
    lines: list[str] = []
    after, warnings, sources = run_with_history(
        settings, content, progress=lines.append, write=False
    )
    assert [s.restored for s in sources] == [True, False]
    assert warnings == ()
    carried = [line for line in lines if line.startswith("2026-Q2: restored")]
    assert carried == [
        f"2026-Q2: restored from its snapshot (no exports in {content / '2026-Q2'}; its "
        f"{sampled[1]:,} touches kept there count in later journeys)"
    ]
    assert float(before.summary.query("quarter == '2026-Q3'")["attributed_minor"].sum()) > 0
    for name, frame in _live_q3(before).items():
        pd.testing.assert_frame_equal(_live_q3(after)[name], frame, obj=name)


def test_the_kept_touches_hold_no_id_in_clear(sampled: tuple[Path, int]) -> None:
    """What a snapshot keeps of the touches: hashed person keys, never an email or a name."""
    snap = sampled[0] / "2026-Q2" / SNAPSHOT_DIR
    touches = pd.read_parquet(snap / "touches.parquet")
    ids = pd.read_parquet(snap / "identities.parquet")
    assert list(touches.columns) == [
        "occurred_at",
        "person_key",
        "account_id",
        "content_id",
        "touch_type",
        "channel",
    ]
    assert list(ids.columns) == ["alias_key", "person_key"]
    assert len(touches) == sampled[1]
    assert str(touches["person_key"].dtype) == "uint64"
    cells = {str(v) for c in touches.columns for v in touches[c].dropna().unique()}
    assert not [v for v in cells if "@" in v]
    emails = (sampled[0] / "2026-Q2" / "touches.csv").read_text(encoding="utf-8")
    assert "@" in emails  # the export did name readers by email


def test_without_kept_touches_the_loss_is_announced(
    sampled: tuple[Path, int], tmp_path: Path
) -> None:
    """snapshot_touches: false keeps no touch: restoring Q2 then says how many of its touches
    no longer count in Q3's journeys, and how to count them again."""
    from revstory.history import run_with_history
    from revstory.site.settings import SiteSettings

    content = tmp_path / "content"
    shutil.copytree(sampled[0], content)
    settings = SiteSettings(min_deals=1, snapshot_touches=False)
    run_with_history(settings, content)  # rewrites the snapshots without touches
    assert not (content / "2026-Q2" / SNAPSHOT_DIR / "touches.parquet").exists()
    for f in (content / "2026-Q2").glob("*.csv"):
        f.unlink()
    _, warnings, _ = run_with_history(settings, content, write=False)
    assert warnings == (
        f"2026-Q2 is restored from its snapshot (its exports were deleted): its "
        f"{sampled[1]:,} touches no longer count in the journeys of 2026-Q3 (lookback 365 "
        "days), so those quarters' attributed and influenced figures can be lower than with "
        "the exports — restore 2026-Q2's exports to count them again (snapshots keep them, "
        "pseudonymised, when snapshot_touches is on and the quarter is rebuilt)",
    )
