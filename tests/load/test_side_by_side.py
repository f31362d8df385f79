"""The small native CSVs are staged two at a time (load/discover.py ``_stage_all``).

What the load stage gives must not depend on it: the same files, problems (in the same
order, with their rows) and staged rows as staging the files one by one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revstory.load import discover
from revstory.load.discover import Staged, load_drops

from tests.conftest import NATIVE


def _drops(tmp_path: Path) -> Path:
    """Two quarters of the native sample, each with a stray quote in two small files.

    The second quarter's deal contacts give job titles (bucketed to a seniority on load).
    """
    root = tmp_path / "content"
    for quarter, row in (("2026-Q2", 3), ("2026-Q3", 2)):
        folder = root / quarter
        folder.mkdir(parents=True)
        for f in NATIVE.glob("*.csv"):
            shutil.copy(f, folder / f.name)
        for name, column in (("deals.csv", 2), ("content.csv", 2)):
            lines = (folder / name).read_text().splitlines(keepends=True)
            cells = lines[row - 1].split(",")
            cells[column] = '"' + cells[column]
            lines[row - 1] = ",".join(cells)
            (folder / name).write_text("".join(lines))
    contacts = root / "2026-Q3" / "deal_contacts.csv"
    lines = contacts.read_text().splitlines()
    titles = ("title", "Chief Financial Officer", "VP Marketing", "")
    contacts.write_text(
        "".join(
            f"{line},{titles[i % len(titles)] if i else titles[0]}\n"
            for i, line in enumerate(lines)
        )
    )
    return root


def _described(staged: Staged) -> tuple[object, ...]:
    rows = {
        f.stage: staged.con.execute(f"SELECT * FROM {f.stage} ORDER BY _row").fetchall()  # noqa: S608 - the stage names load_drops gave
        for f in staged.files
        if not f.deferred
    }
    return staged.files, staged.issues, staged.unrecognised, rows


def test_side_by_side_staging_gives_what_one_by_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _drops(tmp_path)
    together = load_drops([root])
    staged_alongside = [f for f in together.files if not f.deferred]
    assert {f.table for f in staged_alongside} >= {"deals", "content", "deal_contacts"}
    titled = [f for f in staged_alongside if "seniority" in f.columns]
    assert [Path(f.path).parent.name for f in titled] == ["2026-Q3"]
    levels = together.con.execute(f"SELECT DISTINCT seniority FROM {titled[0].stage}").fetchall()  # noqa: S608 - the stage name load_drops gave
    assert {v for (v,) in levels} == {"cfo", "vp"}
    warned = [(Path(i.file).parent.name, Path(i.file).name, i.row) for i in together.issues]
    assert warned == [
        ("2026-Q2", "content.csv", 3),
        ("2026-Q2", "deals.csv", 3),
        ("2026-Q3", "content.csv", 2),
        ("2026-Q3", "deals.csv", 2),
    ]
    monkeypatch.setattr(discover, "_alongside", lambda *a: None)
    alone = load_drops([root])
    assert _described(together) == _described(alone)


def test_the_sniffed_dialect_reads_what_detection_reads(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    cases = {
        "crlf.csv": b"deal_id,name,amount\r\nD1,Acme,5\r\nD2,Beta,6\r\n",
        "quoted.csv": b'deal_id,name,amount\nD1,"Acme, Inc.",5\nD2,"Say ""hi""",6\n',
        "stray.csv": b'deal_id,name,amount\nD1,"Acme Corp,5\nD2,Beta,6\n',
        "bom.csv": b"\xef\xbb\xbfdeal_id,name,amount\nD1,Acme,5\n",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        header, source = discover._sniff_native(con, path)
        detected = con.sql(
            f"SELECT * FROM read_csv('{path}', header = true, all_varchar = true)"  # noqa: S608 - a test path
        )
        assert header == ["deal_id", "name", "amount"], name
        assert detected.columns == header, name
        assert con.sql(f"SELECT * FROM {source}").fetchall() == detected.fetchall(), name  # noqa: S608 - DuckDB's own sniffed call


def test_native_touches_are_deferred_beside_the_small_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of the native drop is done on the cursors: none is left to the connection."""
    root = _drops(tmp_path)
    one_by_one: list[Path] = []
    real = discover._stage_one

    def stage_one(con: object, path: Path, *rest: object) -> object:
        one_by_one.append(path)
        return real(con, path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(discover, "_stage_one", stage_one)
    staged = load_drops([root])
    assert one_by_one == []
    touches = [f for f in staged.files if f.table == "touches"]
    assert [(Path(f.path).parent.name, f.deferred) for f in touches] == [
        ("2026-Q2", True),
        ("2026-Q3", True),
    ]
    # The view a cursor made is the connection's: the empty reading validation replaces.
    for f in touches:
        view = staged.con.execute(f"SELECT * FROM {f.stage}")  # noqa: S608 - the stage names load_drops gave
        assert [d[0] for d in view.description][-3:] == ["_file", "_row", "_quarter"]
        assert view.fetchall() == []


def test_a_touches_file_that_cannot_be_deferred_is_left_to_the_connection(
    tmp_path: Path,
) -> None:
    import duckdb
    from revstory.load.options import LoadOptions

    path = tmp_path / "2026-Q3" / "touches.csv"
    path.parent.mkdir()
    path.write_text((NATIVE / "touches.csv").read_text().splitlines()[0] + "\n")
    con = duckdb.connect()
    assert discover._alongside(con, path, "2026-Q3", "stage_1", LoadOptions()) is None
    assert not con.execute("SELECT * FROM duckdb_views() WHERE NOT internal").fetchall()


def test_one_thread_each_puts_the_setting_back() -> None:
    # The small files' statements run on one DuckDB thread each; the touches after them,
    # read on the connection, get every thread back, error or not.
    con = discover.connect()
    con.execute("SET threads = 2")

    def threads() -> int:
        return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])

    with discover.one_thread_each(con, small=True):
        assert threads() == 1
    assert threads() == 2
    with pytest.raises(RuntimeError), discover.one_thread_each(con, small=True):
        raise RuntimeError("a check failed")
    assert threads() == 2
    with discover.one_thread_each(con, small=False):  # a file too big for one core
        assert threads() == 2
