"""House habits the linters cannot see: the story and site layers carry no ``type: ignore``."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "revstory"


def test_story_and_site_layers_have_no_type_ignore() -> None:
    found = [
        f"{path.relative_to(PACKAGE).as_posix()}:{n}"
        for layer in ("story", "site")
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line
    ]
    assert len(list((PACKAGE / "site").rglob("*.py"))) > 10  # the layer is where we look
    assert found == [], f"fix the types instead of ignoring them: {found}"
