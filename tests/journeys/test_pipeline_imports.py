"""run_stages imports what the later stages need behind validate, once, between load and it."""

from __future__ import annotations

from pathlib import Path

import pytest
from revstory import pipeline
from revstory.config import make_config


def test_imports_start_between_load_and_validate(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    monkeypatch.setattr(pipeline, "_import_behind", lambda: events.append("imports"))
    results, _, _ = pipeline.run_stages(
        [fixtures / "drops" / "minimal"], make_config({}), progress=events.append
    )
    names = [e.split(" done")[0] if " done" in e else e for e in events]
    assert names == [
        "load …",
        "load",
        "imports",
        "validate …",
        "validate",
        "journeys …",
        "journeys",
        "attribution …",
        "attribution",
    ]
    assert len(results.summary) > 0


def test_the_import_thread_loads_the_later_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(pipeline.importlib, "import_module", loaded.append)
    pipeline._import_behind()
    for thread in pipeline.threading.enumerate():
        if thread.name == "revstory-imports":
            thread.join()
    assert loaded == ["pandas", "scipy.sparse", "babel.numbers"]
