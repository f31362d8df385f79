"""History: each quarter's computed results, saved next to its drop, so past quarters stay.

A snapshot is one folder per quarter, ``content/<quarter>/.revstory/snapshot/``: one Parquet
file per :class:`~revstory.attribute.stage.Results` frame (the quarter's rows only) and
``meta.json`` with the format version and the settings that produced it. It holds no person
identifier in clear (journeys number readers per deal) and, when account names are redacted,
no account name. With ``snapshot_touches`` (the default) it also keeps the touches loaded
from the quarter's own files, pseudonymised — ``touches.parquet`` (time, hashed person key,
account id in account mode, piece, type, channel) and ``identities.parquet`` (the hashed ids
of those readers) — so that when the exports are deleted, later quarters whose deals look
back into this one still count them (:class:`~revstory.journeys.CarriedTouches`).

``run_with_history`` is the pipeline as the site calls it: quarters whose folder still holds
raw exports are computed from them (and their snapshot rewritten); a quarter folder holding
only a snapshot — its exports deleted, as personal data should be — is read back from the
snapshot, so its pages stay at the same URLs. A snapshot computed under different attribution
settings is never mixed in silently: the build fails saying which settings differ, or, with
``snapshot_mismatch: label``, keeps the quarter with a notice on its pages.

Only this module and ``load`` read the data folder; only this module writes into it.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

import pandas as pd
import pyarrow as pa

from revstory.attribute.stage import Results
from revstory.config import Settings
from revstory.errors import BuildError, DropError
from revstory.files import write_if_changed
from revstory.journeys import CarriedTouches
from revstory.load.discover import (
    DATA_SUFFIXES,
    EXPORT_SUFFIXES,
    SNAPSHOT_DIR,
    empty_quarter,
    quarter_of_folder,
)
from revstory.pipeline import Progress, _quiet, run
from revstory.quarter import Quarter, quarter_folders

FORMAT_VERSION = 2
#: Formats this revstory reads: 1 had no carried touches (restoring it says what is lost).
READABLE_FORMATS = (1, 2)
#: Frames with a ``quarter`` column, saved per quarter.
QUARTER_FRAMES = (
    "attribution",
    "deal_credit",
    "influence",
    "summary",
    "deals",
    "journeys",
    "performance",
    "ledger",
)
#: Frames saved whole (the content inventory known when the quarter was built).
WHOLE_FRAMES = ("content",)
#: Pseudonymised touches of the quarter's own files and their readers' hashed ids (format 2,
#: ``snapshot_touches``): what later quarters' journeys need once the exports are gone.
CARRIED_FRAMES = ("touches", "identities")
#: Settings that change the computed figures: a snapshot made under other values is not
#: comparable. (Display settings — locale, default model, thresholds — are applied later.)
COMPUTE_SETTINGS = (
    "lookback_days",
    "half_life_days",
    "journey_mode",
    "reporting_currency",
    "markov_order",
    "load",
)
#: Deal columns never saved: the account id is an internal CRM key.
DROPPED_DEAL_COLUMNS = ("account_id",)


@dataclass(frozen=True)
class QuarterSource:
    """Where a quarter's figures came from in this build."""

    quarter: str
    restored: bool  # True: read from its snapshot (no raw exports left)
    #: Settings that differ from the snapshot's (name, snapshot value, current value).
    differences: tuple[tuple[str, str, str], ...] = ()


def _has_exports(folder: Path) -> bool:
    return any(
        f.is_file() and f.suffix.lower() in DATA_SUFFIXES + EXPORT_SUFFIXES
        for f in folder.iterdir()
    )


def settings_fingerprint(settings: Settings) -> dict[str, Any]:
    """Return the settings stored with a snapshot (JSON values)."""
    dumped = settings.model_dump(mode="json")
    keep = (*COMPUTE_SETTINGS, "models", "redact_accounts")
    return {k: dumped[k] for k in keep if k in dumped}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as strings so live and restored frames concatenate to the same dtypes."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str).astype("string")
    return out.reset_index(drop=True)


def snapshot_frames(results: Results, quarter: str, settings: Settings) -> dict[str, pd.DataFrame]:
    """Return the frames saved for ``quarter`` (privacy rules applied)."""
    frames: dict[str, pd.DataFrame] = {}
    for name in QUARTER_FRAMES:
        df = getattr(results, name)
        frames[name] = _plain(df[df["quarter"] == quarter])
    deals = frames["deals"].drop(
        columns=[c for c in DROPPED_DEAL_COLUMNS if c in frames["deals"].columns]
    )
    if settings.redact_accounts and "name" in deals.columns:
        deals["name"] = pd.Series(pd.NA, index=deals.index, dtype="string")
    frames["deals"] = deals
    ledger = frames["ledger"]
    if "file" in ledger.columns:
        ledger["file"] = pd.Series(
            [_from_quarter(str(f)) for f in ledger["file"]], index=ledger.index, dtype="string"
        )
    for name in WHOLE_FRAMES:
        frames[name] = _plain(getattr(results, name))
    return frames


def _from_quarter(path: str) -> str:
    """Name a ledger file from its quarter folder on (``2026-Q3/deals.csv``).

    A snapshot then holds no path of the machine that wrote it, and reads the same wherever
    it is restored.
    """
    parts = PurePath(path).parts
    for i in range(len(parts) - 2, -1, -1):
        if Quarter.of_folder(parts[i]) is not None:
            return PurePosixPath(*parts[i:]).as_posix()
    return PurePath(path).name


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow", compression="zstd")
    return buf.getvalue()


def folder_touches(con: Any, folder: Path) -> dict[str, pd.DataFrame]:
    """Return the kept touches loaded from ``folder``'s own files and their readers' hashed ids.

    ``con`` is the validated drop's connection (``touches_checked``, ``touch_files`` and
    ``identities`` of validation, and ``spark_touches`` when Spark checked the native touch
    files: :func:`revstory.engines.touches.keep_checked`); person keys are the run's hashes,
    never the ids.
    """
    root = folder.resolve()

    def inside(name: str) -> bool:
        return Path(name).resolve().is_relative_to(root)

    fids = [
        int(fid)
        for fid, name in con.execute("SELECT _fid, _file FROM touch_files").fetchall()
        if inside(name)
    ]
    # Person journeys store no account ids (validate.canonical._build_touches): NULL here.
    ((stored,),) = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'touches_checked' "
        "AND column_name = 'account_id'"
    ).fetchall()
    account = "account_id" if stored else "CAST(NULL AS VARCHAR) AS account_id"
    cols = (  # the piece and the touch type as text (the DuckDB run holds them as ENUMs)
        f"occurred_at, person_key, {account}, CAST(content_id AS VARCHAR) AS content_id, "
        "CAST(touch_type AS VARCHAR) AS touch_type, channel"
    )
    mine = (
        f"SELECT {cols} FROM touches_checked WHERE _reason IS NULL "  # noqa: S608 - our own columns
        "AND content_id IS NOT NULL AND list_contains(?, _fid)"
    )
    people = "SELECT person_key FROM touches_checked WHERE list_contains(?, _fid)"
    args: list[object] = [fids]
    spark = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'spark_touches'"
    ).fetchone()
    if spark and spark[0]:
        files = [
            name
            for (name,) in con.execute("SELECT DISTINCT _file FROM spark_touches").fetchall()
            if inside(name)
        ]
        mine += f" UNION ALL SELECT {cols} FROM spark_touches WHERE list_contains(?, _file)"  # noqa: S608 - our own columns
        people += " UNION ALL SELECT person_key FROM spark_touches WHERE list_contains(?, _file)"
        args.append(files)
    touches = con.execute(
        f"SELECT * FROM ({mine}) "  # noqa: S608 - built above from our own names
        "ORDER BY occurred_at, person_key, content_id, touch_type, channel, account_id",
        args,
    ).df()
    ids = con.execute(
        f"SELECT alias_key, person_key FROM identities WHERE person_key IN ({people}) "  # noqa: S608 - built above from our own names
        "ORDER BY person_key, alias_key",
        args,
    ).df()
    return {"touches": touches, "identities": ids}


def write_snapshot(
    results: Results,
    quarter: str,
    folder: Path,
    settings: Settings,
    carried: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Save ``quarter``'s results into ``folder/.revstory/snapshot/``; returns that folder.

    ``carried`` (from :func:`folder_touches`) is saved too when ``snapshot_touches`` is on;
    otherwise any carried frames left from an earlier build are removed.
    """
    target = folder / SNAPSHOT_DIR
    files: dict[str, dict[str, Any]] = {}
    frames = snapshot_frames(results, quarter, settings)
    if carried is not None and settings.snapshot_touches:
        frames.update(carried)
    else:
        for name in CARRIED_FRAMES:
            (target / f"{name}.parquet").unlink(missing_ok=True)
    for name, frame in frames.items():
        data = _parquet_bytes(frame)
        write_if_changed(target / f"{name}.parquet", data)
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(frame)}
    meta = {
        "format_version": FORMAT_VERSION,
        "quarter": quarter,
        "currency_digits": results.currency_digits,
        "settings": settings_fingerprint(settings),
        "files": files,
    }
    write_if_changed(
        target / "meta.json", (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8")
    )
    return target


@dataclass(frozen=True)
class Snapshot:
    """One quarter read back from its snapshot."""

    quarter: str
    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame]
    #: The pseudonymised touches later quarters need (None: none were kept).
    carried: CarriedTouches | None = None


#: Keys every meta.json holds (``files``, the fingerprints, since snapshots record them).
META_KEYS = ("format_version", "quarter", "currency_digits", "settings")
_REBUILD = "restore the quarter's exports into its folder so the build recomputes it"


def read_snapshot(folder: Path) -> Snapshot:
    """Read ``folder/.revstory/snapshot/``; raises :class:`BuildError` saying how to fix.

    Refused: an unreadable or incomplete ``meta.json``, a missing, truncated or unreadable
    Parquet file, a file whose bytes differ from the fingerprint recorded when the snapshot
    was written (changed, or copied from another snapshot), a quarter in ``meta.json`` other
    than the folder's, and rows of another quarter in a per-quarter frame.
    """
    target = folder / SNAPSHOT_DIR
    meta_path = target / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{meta_path}: cannot read the snapshot ({exc}) — {_REBUILD}") from None
    if not isinstance(meta, dict):
        raise BuildError(f"{meta_path}: is not a snapshot's meta.json — {_REBUILD}")
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        raise BuildError(
            f"{meta_path}: has no {', '.join(missing)} — the snapshot is damaged; {_REBUILD}"
        )
    version = meta.get("format_version")
    if version not in READABLE_FORMATS:
        raise BuildError(
            f"{meta_path}: snapshot format {version!r}, this revstory reads "
            f"formats {', '.join(map(str, READABLE_FORMATS))} — rebuild the quarter from its "
            "exports with the revstory version that wrote it, or restore the exports"
        )
    quarter = str(meta["quarter"])
    own = quarter_of_folder(folder)
    if own is not None and quarter != own:
        raise BuildError(
            f"{meta_path}: says quarter {quarter} but sits in {folder.name} "
            f"({own}) — it was copied from another quarter; {_REBUILD}"
        )
    files = meta.get("files")
    prints: dict[str, Any] = files if isinstance(files, dict) else {}
    frames = {}
    for name in (*QUARTER_FRAMES, *WHOLE_FRAMES):
        frames[name] = _read_frame(target / f"{name}.parquet", prints.get(name), meta_path)
        if name in QUARTER_FRAMES and "quarter" in frames[name].columns:
            others = sorted(set(frames[name]["quarter"].astype(str)) - {quarter})
            if others:
                raise BuildError(
                    f"{target / f'{name}.parquet'} holds rows of {', '.join(others)}"
                    f", not only {quarter} — it was copied from another snapshot; "
                    f"{_REBUILD}"
                )
    carried = None
    if all(name in prints for name in CARRIED_FRAMES):
        kept = {
            n: _read_frame(target / f"{n}.parquet", prints[n], meta_path) for n in CARRIED_FRAMES
        }
        carried = CarriedTouches(touches=kept["touches"], identities=kept["identities"])
    return Snapshot(quarter=quarter, meta=meta, frames=frames, carried=carried)


def _read_frame(path: Path, fingerprint: Any, meta_path: Path) -> pd.DataFrame:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{path} is missing — the snapshot is incomplete; {_REBUILD}") from None
    if (
        isinstance(fingerprint, dict)
        and fingerprint.get("sha256") != hashlib.sha256(data).hexdigest()
    ):
        raise BuildError(
            f"{path} does not match the fingerprint recorded in {meta_path.name} "
            f"when the snapshot was written (changed, truncated or copied from "
            f"another snapshot) — {_REBUILD}"
        )
    try:
        return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    except (OSError, ValueError, pa.ArrowException) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BuildError(
            f"{path} cannot be read ({first}) — the snapshot is damaged; {_REBUILD}"
        ) from None


def differences(snapshot: Snapshot, settings: Settings) -> tuple[tuple[str, str, str], ...]:
    """List how a snapshot differs from the current settings.

    Each difference is a setting whose value changed, or a model the site shows that the
    snapshot did not compute.
    """
    then = snapshot.meta.get("settings", {})
    now = settings_fingerprint(settings)
    out = []
    for key in COMPUTE_SETTINGS:
        if then.get(key) != now.get(key):
            out.append(
                (
                    key,
                    json.dumps(then.get(key), sort_keys=True),
                    json.dumps(now.get(key), sort_keys=True),
                )
            )
    missing = sorted(set(now["models"]) - set(then.get("models", [])))
    if missing:
        out.append(
            ("models", ", ".join(then.get("models", [])) or "none", "also " + ", ".join(missing))
        )
    return tuple(out)


def merge(live: Results | None, snapshots: list[Snapshot], settings: Settings) -> Results:
    """Live results plus restored quarters, as one :class:`Results` (quarters sorted)."""
    if not snapshots:
        assert live is not None  # noqa: S101 - callers pass live results or snapshots, or both
        return live
    parts: dict[str, list[pd.DataFrame]] = {n: [] for n in (*QUARTER_FRAMES, *WHOLE_FRAMES)}
    if live is not None:
        for n in parts:
            parts[n].append(_plain(getattr(live, n)))
    for s in snapshots:
        for n in parts:
            parts[n].append(s.frames[n])
    merged: dict[str, Any] = {}  # frames by Results field name (passed as keywords)
    sort_keys = {
        "attribution": ["quarter", "content_id", "model"],
        "deal_credit": ["quarter", "deal_id", "content_id", "model"],
        "influence": ["quarter", "content_id"],
        "summary": ["quarter"],
        "deals": ["quarter", "deal_id"],
        "performance": ["content_id", "period_start"],
        "ledger": ["file", "outcome", "reason"],
    }
    for n, frames in parts.items():
        frames = [f for f in frames if len(f)] or frames[:1]
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if n == "content":
            # The newest inventory wins for a piece known in several quarters.
            df = df.drop_duplicates("content_id", keep="first")
            df = df.sort_values("content_id", ignore_index=True)
        elif n == "journeys":
            df = df.sort_values(
                ["quarter", "deal_id", "occurred_at", "content_id", "touch_type", "reader"],
                ignore_index=True,
                kind="stable",
            )
        elif n == "summary":
            df = df[df["model"].isin(settings.models)]
            df = df.sort_values(["quarter"], ignore_index=True, kind="stable")
        else:
            df = df.sort_values(sort_keys[n], ignore_index=True, kind="stable")
        merged[n] = df
    quarters = tuple(sorted({*(live.quarters if live else ()), *(s.quarter for s in snapshots)}))
    digits = {int(s.meta["currency_digits"]) for s in snapshots}
    if live is None:
        return Results(
            quarters=quarters,
            config=settings.attribution(),
            currency_digits=digits.pop() if digits else 2,
            **merged,
        )
    return replace(live, quarters=quarters, **merged)


def _lost_lookback(
    snapshots: list[Snapshot], live: Results | None, settings: Settings
) -> list[str]:
    """Say when a restored quarter's deleted touches fall inside a live lookback window.

    The journeys of the live quarter's deals then miss them, and the live figures move.
    """
    import datetime as dt

    if live is None:
        return []
    out = []
    for snap in sorted(snapshots, key=lambda s: s.quarter):
        if snap.carried is not None:
            continue  # its touches still count (carried into the journeys)
        then = Quarter.parse(snap.quarter)
        later = [
            q
            for q in live.quarters
            if Quarter.parse(q) > then
            and Quarter.parse(q).start - dt.timedelta(days=settings.lookback_days) <= then.end
        ]
        ledger = snap.frames["ledger"]
        kept = ledger[(ledger["table_name"] == "touches") & (ledger["outcome"] == "kept")]
        touches = int(kept["rows"].sum())
        if later and touches:
            out.append(
                f"{snap.quarter} is restored from its snapshot (its exports were deleted): its "
                f"{touches:,} touches no longer count in the journeys of {', '.join(later)} "
                f"(lookback {settings.lookback_days} days), so those quarters' attributed and "
                f"influenced figures can be lower than with the exports — restore "
                f"{snap.quarter}'s exports to count them again (snapshots keep them, "
                "pseudonymised, when snapshot_touches is on and the quarter is rebuilt)"
            )
    return out


def run_with_history(
    settings: Settings,
    data_dir: Path,
    strict: bool = False,
    progress: Progress = _quiet,
    write: bool = True,
) -> tuple[Results, tuple[str, ...], tuple[QuarterSource, ...]]:
    """Live quarters from their exports, deleted ones from their snapshots.

    Returns ``(results, warnings, sources)``; writes each live quarter's snapshot when
    ``write`` (and the ``write_snapshots`` setting) allow it.
    """
    folders = list(quarter_folders(data_dir).values())
    live_folders = [p for p in folders if _has_exports(p)]
    restore = [p for p in folders if not _has_exports(p) and (p / SNAPSHOT_DIR).is_dir()]
    # Neither: left out with load's warning, as validate does (an error if nothing is left).
    empty = [p for p in folders if p not in live_folders and p not in restore]
    # Snapshots first: a mismatch fails before the long run, and their touches join it.
    snapshots = []
    problems = []
    for folder in restore:
        snap = read_snapshot(folder)
        diff = differences(snap, settings)
        missing_models = any(k == "models" for k, _, _ in diff)
        if diff and (settings.snapshot_mismatch == "fail" or missing_models):
            problems.append(
                f"{folder / SNAPSHOT_DIR / 'meta.json'}: computed with "
                + "; ".join(f"{k} = {a} (now {b})" for k, a, b in diff)
            )
            continue
        snapshots.append((folder, snap, diff))
    if problems:
        raise BuildError(
            "quarters restored from snapshots were computed with other settings, and mixing "
            "them would compare unlike figures:\n  " + "\n  ".join(problems) + "\nRestore "
            "those quarters' exports so they are recomputed, put the settings back, or set "
            "snapshot_mismatch: label in the revstory plugin block to keep them with a notice "
            "(models a snapshot lacks cannot be shown, whatever the setting)."
        )
    carried = _carried([snap for _, snap, _ in snapshots])
    live = None
    drop = None
    warnings: tuple[str, ...] = ()
    if live_folders:
        keep = write and settings.write_snapshots and settings.snapshot_touches
        live, drop = run(
            live_folders + empty,
            settings.attribution(),
            strict,
            progress,
            carried=carried,
            keep_touches=keep,
        )
        warnings = tuple(str(i) for i in drop.warnings)
    elif restore and empty:
        left_out = [empty_quarter(p, str(quarter_of_folder(p))) for p in empty]
        if strict:
            raise DropError(left_out)
        warnings = tuple(str(i) for i in left_out)
    elif not restore:
        # Nothing to restore either: let the pipeline report what is missing.
        live, drop = run([data_dir], settings.attribution(), strict, progress)
    sources = [QuarterSource(q, False) for q in (live.quarters if live else ())]
    for folder, snap, diff in snapshots:
        sources.append(QuarterSource(snap.quarter, True, diff))
        kept = (
            ""
            if snap.carried is None
            else (f"; its {len(snap.carried.touches):,} touches kept there count in later journeys")
        )
        progress(f"{snap.quarter}: restored from its snapshot (no exports in {folder}{kept})")
    restored = [snap for _, snap, _ in snapshots]
    results = merge(live, restored, settings)
    warnings = (*warnings, *_lost_lookback(restored, live, settings))
    if write and settings.write_snapshots and live is not None and drop is not None:
        by_quarter = {quarter_of_folder(p): p for p in live_folders}
        for q in live.quarters:
            if q in by_quarter:
                touches = folder_touches(drop.con, by_quarter[q])
                try:
                    write_snapshot(live, q, by_quarter[q], settings, touches)
                except OSError as exc:
                    # A read-only data folder must not stop the report: the snapshot only
                    # matters once the exports are deleted, so say so and go on.
                    progress(
                        f"warning: {q}: snapshot not saved ({exc.filename}: "
                        f"{exc.strerror or type(exc).__name__}) — the quarter will not stay on "
                        f"the site once its exports are deleted; make {by_quarter[q]} writable, "
                        "or set write_snapshots: false to stop saving snapshots"
                    )
    return results, warnings, tuple(sorted(sources, key=lambda s: s.quarter))


def _carried(snapshots: list[Snapshot]) -> CarriedTouches | None:
    """Gather the touches of every restored quarter that kept them, as one carried set."""
    kept = [s.carried for s in snapshots if s.carried is not None]
    if not kept:
        return None
    return CarriedTouches(
        touches=pd.concat([c.touches for c in kept], ignore_index=True),
        identities=pd.concat([c.identities for c in kept], ignore_index=True),
    )
