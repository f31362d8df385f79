"""Rendered files are written inside the docs folder only (publish._inside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from revstory.errors import BuildError
from revstory.site.publish import _inside


def test_page_paths_outside_the_docs_folder_are_refused(tmp_path: Path) -> None:
    assert _inside(tmp_path, "articles/./a.md") == tmp_path / "articles" / "a.md"
    assert _inside(tmp_path, "types/../index.md") == tmp_path / "index.md"
    for rel in ("../x.md", "a/../../x.md", "/etc/x.md", ".", ""):
        with pytest.raises(BuildError) as err:
            _inside(tmp_path, rel)
        assert str(err.value) == f"refusing to write {rel!r}: it is outside the docs folder"
