"""Writing files that ``mkdocs serve`` may be watching (the docs folder, the data folder)."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless the file already holds these bytes.

    The bytes go to a temporary file beside it, then a rename. Rewriting identical files
    would make a live preview rebuild forever. Returns True when the file was written.
    """
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True
