"""The probe site of story_vectors.py, built once per session for the HTML and browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from story_vectors import build_probe_site


@pytest.fixture(scope="session")
def probe_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal drop with every story.md vector, built; tests only read it."""
    return build_probe_site(tmp_path_factory.mktemp("probe"))
