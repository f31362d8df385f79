"""Pages rendered in forked worker processes are the same bytes as in one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revstory.site import publish
from revstory.site.settings import site_settings

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"


def test_pages_rendered_in_worker_processes_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    settings = site_settings({"data_dir": "content", "write_snapshots": False})
    monkeypatch.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    monkeypatch.setattr(publish, "_cores", lambda: 2)
    monkeypatch.setattr(publish, "PARALLEL_PAGES", 1)
    pools: list[int] = []
    import multiprocessing.pool

    real_init = multiprocessing.pool.Pool.__init__

    def counting_init(self, processes=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        pools.append(processes)
        real_init(self, processes, *args, **kwargs)

    monkeypatch.setattr(multiprocessing.pool.Pool, "__init__", counting_init)
    out = {}
    for workers in (1, 2):
        monkeypatch.setattr(publish, "RENDER_WORKERS", workers)
        docs = tmp_path / f"docs-{workers}"
        with publish.source_date_epoch(publish.quarter_end(tmp_path / "content")):
            publish.render_docs(settings, tmp_path, docs)
        out[workers] = {
            p.relative_to(docs).as_posix(): p.read_bytes()
            for p in sorted(docs.rglob("*"))
            if p.is_file()
        }
    assert pools == [2]  # one process for RENDER_WORKERS=1, a pool of two for 2
    assert len(out[1]) > 20 and out[1] == out[2]


def test_a_template_error_in_a_worker_keeps_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2
    from revstory.errors import BuildError
    from revstory.site import render

    shutil.copytree(MINIMAL, tmp_path / "content")
    settings = site_settings({"data_dir": "content", "write_snapshots": False})
    monkeypatch.setattr(publish, "_cores", lambda: 2)
    monkeypatch.setattr(publish, "PARALLEL_PAGES", 1)

    def broken(env, page):  # type: ignore[no-untyped-def]
        raise jinja2.TemplateSyntaxError("unexpected '}'", 7, filename="pages/story.md.j2")

    monkeypatch.setattr(render, "render_page", broken)
    messages = []
    for workers in (1, 2):  # one process, then a pool of two
        monkeypatch.setattr(publish, "RENDER_WORKERS", workers)
        with pytest.raises(BuildError) as err:
            publish.render_docs(settings, tmp_path, tmp_path / "docs")
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert messages[1].startswith("pages/story.md.j2, line 7: unexpected '}'")
    assert messages[1].endswith(
        "line 7 (rendering articles/a.md) — fix the template; names a "
        "page can use are the fields of its context in "
        "generator/revstory/site/context.py"
    )
    assert not (tmp_path / "docs").exists()
