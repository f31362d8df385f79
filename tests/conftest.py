"""Shared fixtures; paths are relative to this file, never the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return TESTS / "fixtures"
