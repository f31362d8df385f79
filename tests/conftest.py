"""Shared fixtures; paths are relative to this file, never the working directory."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from revstory.load.adapters.base import AdapterOutput, ReadContext
from revstory.load.options import LoadOptions
from revstory.load.sniff import sniff

TESTS = Path(__file__).parent
REPO = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/golden/ from the current output (read "
                          "tests/golden/README.md first; say why in the commit).")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return TESTS / "fixtures"


EXPORTS = TESTS / "fixtures" / "exports"
NATIVE = EXPORTS / "native"  # a small native drop the exports are mixed into


def read_export(adapter, path: Path, **options) -> AdapterOutput:  # type: ignore[no-untyped-def]
    head = sniff(path)
    return adapter.read(path, head, ReadContext("2026-Q3", LoadOptions(**options)))


@pytest.fixture
def drop(tmp_path: Path) -> Callable[..., Path]:
    """``drop("ga4_ui/data-export.csv", native=True)`` → a 2026-Q3 folder holding those files."""

    def make(*names: str, native: bool = False) -> Path:
        folder = tmp_path / "content" / "2026-Q3"
        folder.mkdir(parents=True, exist_ok=True)
        if native:
            for f in NATIVE.glob("*.csv"):
                shutil.copy(f, folder / f.name)
        for n in names:
            shutil.copy(EXPORTS / n, folder / Path(n).name)
        return folder.parent

    return make
