"""Charts in a real browser (Debian's headless Chromium): at 390 and 1440 px no two labels of
a chart overlap and none leaves its chart, on the home page and an article page.
Screenshots are written to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parents[1]
ARTIFACTS = TESTS / "artifacts"
TIMEOUT_MS = 15_000
SiteUnderTest = Watch = Any

CHARTS_DRAWN = """() => [...document.querySelectorAll('div.echart')].every(el =>
  window.echarts && echarts.getInstanceByDom(el) && el.querySelector('canvas, svg'))"""

# Every text element ECharts drew (axis labels, value labels), as boxes in chart pixels;
# labels ECharts hid because they would overlap (hideOverlap) are skipped.
LABEL_BOXES = """() => [...document.querySelectorAll('div.echart')].map(el => {
  const chart = echarts.getInstanceByDom(el);
  const seen = new Set();
  const boxes = [];
  chart.getZr().storage.getDisplayList(true).forEach(e => {
    const label = e.type === 'tspan' ? e.parent : null;  // a text's drawn line → the text
    if (!label || seen.has(label)) return;
    seen.add(label);
    if (label.invisible || label.ignore || !label.style || !label.style.text) return;
    const r = label.getBoundingRect().clone();
    if (label.transform) r.applyTransform(label.transform);
    // The reported height is not the line's: take the font size, centred on the box.
    const h = Math.max(r.height, parseFloat(label.style.fontSize) || 12);
    boxes.push([r.x, r.y + r.height / 2 - h / 2, r.width, h, String(label.style.text)]);
  });
  return {id: el.dataset.optionId, width: el.clientWidth, height: el.clientHeight, boxes};
})"""


def _open(page: Any, url: str) -> None:
    page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)


def _overlaps(a: list[Any], b: list[Any]) -> bool:
    tol = 0.5
    return (
        a[0] + tol < b[0] + b[2]
        and b[0] + tol < a[0] + a[2]
        and a[1] + tol < b[1] + b[3]
        and b[1] + tol < a[1] + a[3]
    )


@pytest.mark.parametrize("width", [390, 1440])
def test_chart_labels_never_overlap(
    built_site: SiteUnderTest, base_url: str, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844}, service_workers="block")
    page = context.new_page()
    try:
        problems = []
        for rel, shot in (("index.html", "home"), (built_site.article, "article")):
            _open(page, base_url + rel)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{shot}-{width}.png"), full_page=True)
            for chart in page.evaluate(LABEL_BOXES):
                boxes = chart["boxes"]
                assert boxes, f"{rel} {chart['id']}: no labels drawn"
                for i, a in enumerate(boxes):
                    if a[0] < -1 or a[0] + a[2] > chart["width"] + 1:
                        problems.append(f"{rel} {chart['id']}: {a[4]!r} leaves the chart")
                    problems += [
                        f"{rel} {chart['id']}: {a[4]!r} overlaps {b[4]!r}"
                        for b in boxes[i + 1 :]
                        if _overlaps(a, b)
                    ]
        assert problems == []
    finally:
        context.close()
