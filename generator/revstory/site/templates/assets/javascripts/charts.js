/*
 * revstory: the one script that draws every chart of the site.
 *
 * A page holds, per chart, <div class="echart" data-option-id="ID" data-option="{JSON}">:
 * the ECharts option as data (HTML-attribute-escaped JSON), never code. The option may
 * instead sit in <script type="application/json" id="ID">, which works on a first load and
 * from file://, but NOT with navigation.instant: Material 9.8 re-inserts every <script> of
 * the content without its attributes (integrations/instant/index.ts, inject()), so the JSON
 * runs as JavaScript, throws "Unexpected token ':'" and stops instant navigation.
 * This file is listed after echarts.min.js in extra_javascript, so both load at the end of
 * <body>, in order. Charts are (re)drawn on every page Material shows, including after
 * instant navigation (document$), old instances are disposed, the light/dark palette is
 * followed and charts resize with their container (hidden tabs start at zero width).
 *
 * Every word and number a reader sees is written by revstory in Python (the option's
 * "revstory" entry: tick labels, tooltip lines, value labels, both palettes), so charts are
 * formatted exactly like the tables in the build's locale; this file only looks them up.
 */
(function () {
  "use strict";

  var SELECTOR = "div.echart[data-option], div.echart[data-option-id]";
  var live = [];
  var drawnScheme = null;

  function darkScheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function disposeAll() {
    live.forEach(function (entry) {
      entry.observer.disconnect();
      if (!entry.chart.isDisposed()) entry.chart.dispose();
    });
    live = [];
  }

  function showProblem(el, text) {
    el.textContent = text;
    el.classList.add("echart--failed");
  }

  function readOption(el) {
    var text = el.getAttribute("data-option");
    if (text === null) {
      var source = document.getElementById(el.getAttribute("data-option-id"));
      if (!source) {
        showProblem(el, "Chart data missing.");
        return null;
      }
      text = source.textContent;
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      showProblem(el, "Chart data unreadable.");
      return null;
    }
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tickLabel(ticks, value) {
    var key = String(value);
    if (Object.prototype.hasOwnProperty.call(ticks, key)) return ticks[key];
    var best = null;
    Object.keys(ticks).forEach(function (k) {
      if (Math.abs(Number(k) - value) <= Math.abs(value) * 1e-9 + 1e-9) best = ticks[k];
    });
    return best === null ? "" : best;
  }

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function labelWidth(el) {
    return Math.round(Math.max(72, Math.min(280, el.clientWidth * 0.38)));
  }

  // The model-range chart: per row the min-max band across models, the default model's
  // 90 % interval inside it and the default model as a diamond (told apart by shape).
  function rangeItem(palette, roles, dark) {
    return function (params, api) {
      var row = api.value(0);
      var lo = api.coord([api.value(1), row]);
      var hi = api.coord([api.value(2), row]);
      var ilo = api.coord([api.value(3), row]);
      var ihi = api.coord([api.value(4), row]);
      var mid = api.coord([api.value(5), row]);
      var band = api.size([0, 1])[1];
      var h1 = Math.min(band * 0.6, 24);
      var h2 = Math.min(band * 0.24, 10);
      var r = Math.min(band * 0.32, 9);
      var grey = palette[roles.band];
      return {
        type: "group",
        children: [
          { type: "rect", shape: { x: lo[0], y: lo[1] - h1 / 2, width: Math.max(hi[0] - lo[0], 2),
              height: h1 }, style: { fill: rgba(grey, 0.22), stroke: grey, lineWidth: 1 } },
          { type: "rect", shape: { x: ilo[0], y: ilo[1] - h2 / 2,
              width: Math.max(ihi[0] - ilo[0], 2), height: h2 },
            style: { fill: palette[roles.interval] } },
          { type: "polygon", shape: { points: [[mid[0], mid[1] - r], [mid[0] + r, mid[1]],
              [mid[0], mid[1] + r], [mid[0] - r, mid[1]]] },
            style: { fill: palette[roles.marker], stroke: dark ? "#1E2029" : "#FFFFFF",
              lineWidth: 1.5 } },
        ],
      };
    };
  }

  // Turn revstory's data (option.revstory) into ECharts formatters; returns the meta.
  function prepare(option, el, dark) {
    var meta = option.revstory;
    delete option.revstory;
    if (!meta) return null;
    var palette = meta.palettes[dark ? "dark" : "light"];
    option.color = palette.slice();
    var valueAxis = meta.horizontal ? option.xAxis : option.yAxis;
    var categoryAxis = meta.horizontal ? option.yAxis : option.xAxis;
    if (valueAxis && meta.ticks) {
      valueAxis.axisLabel = valueAxis.axisLabel || {};
      valueAxis.axisLabel.formatter = function (v) { return tickLabel(meta.ticks, v); };
    }
    if (meta.horizontal && categoryAxis) {
      categoryAxis.axisLabel = categoryAxis.axisLabel || {};
      categoryAxis.axisLabel.width = labelWidth(el);
      categoryAxis.axisLabel.overflow = "truncate";
    }
    if (option.tooltip && meta.tips) {
      option.tooltip.confine = true;
      option.tooltip.formatter = function (params) {
        var p = Array.isArray(params) ? params[0] : params;
        var lines = meta.tips[p.dataIndex] || [];
        return lines.map(function (line, i) {
          return i === 0 ? "<strong>" + esc(line) + "</strong>" : esc(line);
        }).join("<br>");
      };
    }
    (option.series || []).forEach(function (series, i) {
      var colour = palette[(meta.colors || [])[i] === undefined ? i : meta.colors[i]];
      if (series.type === "custom" && series.renderItem === "rs-range") {
        series.renderItem = rangeItem(palette, meta.range, dark);
        return;
      }
      series.itemStyle = series.itemStyle || {};
      series.itemStyle.color = colour;
      if (series.type === "line") series.lineStyle = series.lineStyle || {};
      if (series.type === "line") series.lineStyle.color = colour;
      if (series.label && meta.labels && meta.labels[i]) {
        var labels = meta.labels[i];
        series.label.formatter = function (p) { return labels[p.dataIndex] || ""; };
      }
    });
    return meta;
  }

  function drawAll() {
    disposeAll();
    var echarts = window.echarts;
    if (!echarts) return; // not loaded yet: whenReady() calls again
    var dark = darkScheme();
    drawnScheme = dark;
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      var option = readOption(el);
      if (!option) return;
      // Let the page's own background show through in both palettes.
      if (option.backgroundColor === undefined) option.backgroundColor = "transparent";
      var stale = echarts.getInstanceByDom(el);
      if (stale) stale.dispose();
      var meta = prepare(option, el, dark);
      var chart = echarts.init(el, dark ? "dark" : null);
      chart.setOption(option);
      var width = el.clientWidth;
      var pending = false;
      // rAF batching avoids "ResizeObserver loop" errors when a resize reflows the page.
      var observer = new ResizeObserver(function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          if (chart.isDisposed()) return;
          // Long category labels get a share of the width: recompute it on a narrow screen.
          if (meta && meta.horizontal && el.clientWidth !== width) {
            width = el.clientWidth;
            chart.setOption({ yAxis: { axisLabel: { width: labelWidth(el) } } });
          }
          chart.resize();
        });
      });
      observer.observe(el);
      live.push({ chart: chart, observer: observer });
    });
  }

  // Re-theme when the reader flips the palette toggle (Material sets the attribute on body).
  new MutationObserver(function () {
    if (drawnScheme !== null && darkScheme() !== drawnScheme) drawAll();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  window.addEventListener("beforeprint", function () {
    live.forEach(function (entry) {
      if (!entry.chart.isDisposed()) entry.chart.resize();
    });
  });

  function start() {
    var drawn = false;
    if (window.document$ && typeof window.document$.subscribe === "function") {
      // Material: emits for the first page and after every instant navigation.
      window.document$.subscribe(function () {
        drawn = true;
        drawAll();
      });
    }
    // With navigation.instant on, Material 9.8 completes document$ before its first value
    // when the page is opened from file:// (instant navigation returns EMPTY there), so it
    // never emits: draw once the DOM is ready if nothing has drawn by then.
    function fallback() {
      if (!drawn) drawAll();
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fallback);
    } else {
      window.setTimeout(fallback, 0);
    }
  }

  // Never run before echarts: if it is somehow not there yet (script order changed, slow
  // disk on file://), wait for the window's load event before the first draw.
  if (window.echarts) {
    start();
  } else {
    window.addEventListener("load", function () {
      if (window.echarts) {
        start();
      } else {
        document.querySelectorAll(SELECTOR).forEach(function (el) {
          showProblem(el, "Charts could not load (assets/javascripts/echarts.min.js).");
        });
      }
    });
  }
})();
