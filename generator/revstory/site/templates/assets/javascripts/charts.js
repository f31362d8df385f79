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
      var chart = echarts.init(el, dark ? "dark" : null);
      chart.setOption(option);
      var pending = false;
      // rAF batching avoids "ResizeObserver loop" errors when a resize reflows the page.
      var observer = new ResizeObserver(function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          if (!chart.isDisposed()) chart.resize();
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
