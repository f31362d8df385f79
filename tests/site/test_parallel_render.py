"""Pages rendered in forked worker processes are the same bytes as in one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revstory.attribute.stage import Results
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


def test_article_contexts_are_built_in_the_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from revstory.site import pages

    shutil.copytree(MINIMAL, tmp_path / "content")
    settings = site_settings({"data_dir": "content", "write_snapshots": False})
    monkeypatch.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    monkeypatch.setattr(publish, "_cores", lambda: 2)
    monkeypatch.setattr(publish, "PARALLEL_PAGES", 1)
    log = tmp_path / "built-by"
    real_build = pages.PendingPage.build

    def logged(self):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as fh:  # the workers' memory is their own
            fh.write(f"{os.getpid()} {self.path}\n")
        return real_build(self)

    monkeypatch.setattr(pages.PendingPage, "build", logged)
    built = {}
    for workers in (1, 2):
        monkeypatch.setattr(publish, "RENDER_WORKERS", workers)
        log.unlink(missing_ok=True)
        publish.render_docs(settings, tmp_path, tmp_path / f"docs-{workers}")
        built[workers] = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    # The minimal drop's five pieces a–e: each article page built once, in this process
    # without workers and only in the workers with them.
    paths = sorted(f"articles/{c}.md" for c in "abcde")
    assert sorted(p for _, p in built[1]) == paths == sorted(p for _, p in built[2])
    assert {int(pid) for pid, _ in built[1]} == {os.getpid()}
    assert os.getpid() not in {int(pid) for pid, _ in built[2]}


def test_the_story_s_comparisons_computed_a_quarter_per_worker_are_the_same_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_results: Results
) -> None:
    import os

    import pandas as pd
    from revstory.story import index as story_index
    from revstory.uncertainty import intervals

    results = sample_results
    one = intervals.enrich(results)
    assert results.quarters == ("2026-Q2", "2026-Q3")
    assert set(one.comparisons["quarter"]) == set(results.quarters)
    log = tmp_path / "computed-by"
    real = intervals.influence_comparisons

    def logged(res, *args, **kwargs):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as fh:  # the workers' memory is their own
            fh.write(f"{os.getpid()} {','.join(res.quarters)}\n")
        return real(res, *args, **kwargs)

    monkeypatch.setattr(intervals, "influence_comparisons", logged)
    two = story_index.enrich_frames(results, workers=2)
    calls = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(q for _, q in calls) == ["2026-Q2", "2026-Q3"]  # one quarter per call
    assert os.getpid() not in {int(pid) for pid, _ in calls}  # both in the workers
    for name in ("intervals", "spread", "comparisons"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)
    assert (two.samples, two.seed, two.level) == (one.samples, one.seed, one.level)
    # A small site stays in one process: one call, here, for both quarters.
    log.unlink()
    small = story_index.enrich_frames(results)
    assert len(results.content) < story_index.PARALLEL_PIECES
    assert log.read_text(encoding="utf-8") == f"{os.getpid()} 2026-Q2,2026-Q3\n"
    pd.testing.assert_frame_equal(one.comparisons, small.comparisons, check_exact=True)


def test_a_story_that_stops_early_stops_its_comparison_workers(
    monkeypatch: pytest.MonkeyPatch, sample_results: Results
) -> None:
    import multiprocessing

    from revstory.story import figures, tell
    from revstory.story import index as story_index

    settings = site_settings({})
    results = sample_results
    monkeypatch.setattr(story_index, "PARALLEL_PIECES", 1)
    monkeypatch.setattr(story_index, "_cores", lambda: 2)
    before = set(multiprocessing.active_children())
    started = []
    real_init = story_index.Enriching.__init__

    def watched(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        started.append(self._pool is not None)

    def broken(_results):  # type: ignore[no-untyped-def]
        raise RuntimeError("stopped")

    monkeypatch.setattr(story_index.Enriching, "__init__", watched)
    monkeypatch.setattr(figures, "deal_type_frame", broken)
    with pytest.raises(RuntimeError, match="stopped"):
        tell.tell(results, settings)
    assert started == [True]  # its workers had started
    assert set(multiprocessing.active_children()) == before  # and are gone


@pytest.mark.parametrize("workers", [1, 2])
def test_files_written_where_they_render_are_the_texts_and_a_shared_path_is_refused(
    tmp_path: Path, workers: int
) -> None:
    from dataclasses import dataclass

    import jinja2
    from revstory.errors import BuildError
    from revstory.site.context import Page, table

    @dataclass(frozen=True)
    class Ctx:
        name: str
        rows: object

    env = jinja2.Environment(
        loader=jinja2.DictLoader({"pages/p.md.j2": "# {{ name }}\n"}),
        autoescape=True,
        keep_trailing_newline=True,
    )
    tab = table([("n", "N", "int")], [(1,), (2,)], "b/n.csv")
    pages = [Page("a/one.md", "p.md.j2", Ctx("one", tab)), Page("two.md", "p.md.j2", Ctx("2", tab))]
    texts = publish.render_files(env, pages[:1], workers=workers)
    assert texts == {"a/one.md": "# one\n", "b/n.csv": "n\n1\n2\n"}
    into = tmp_path / "docs"
    into.mkdir()
    written = publish.render_files(env, pages[:1], workers=workers, into=into)
    assert written == {"a/one.md": "", "b/n.csv": ""}
    assert {p.relative_to(into).as_posix(): p.read_text() for p in into.rglob("*.*")} == texts
    # Both pages write b/n.csv: returned as texts the later one wins, as the dict it is; written
    # where they render (on two cores, in either order) it is an error.
    assert publish.render_files(env, pages, workers=workers)["b/n.csv"] == "n\n1\n2\n"
    with pytest.raises(BuildError) as err:
        publish.render_files(env, pages, workers=workers, into=tmp_path / "again")
    assert str(err.value) == (
        "two pages write b/n.csv — page and table file names must be unique (a bug in "
        "revstory: please report it)"
    )


def test_a_phase_s_cpu_seconds_include_its_worker_processes() -> None:
    import subprocess
    import sys
    import time

    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    timings = publish.Timings()
    own = time.process_time()
    with timings.phase("render pages", lambda _message: None):
        subprocess.run([sys.executable, "-c", burn], check=True)  # noqa: S603 - fixed argv
    assert timings.cpu["render pages"] >= 0.3 > time.process_time() - own
