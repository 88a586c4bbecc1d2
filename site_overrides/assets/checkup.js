/* Draw the charts of a page and wire the table filters.
 *
 * Runs on every page view: through Material's document$ observable, which emits
 * on the first load and after every instant navigation, or on DOMContentLoaded
 * where document$ does not exist. plotly.js is fetched once, from this site, and
 * only when needed: a chart drawn at build time as SVG (.ck-chart--static) is
 * shown as it is until the reader presses its "交互查看" button; other charts
 * (maps) are drawn when the page opens. */
(function () {
  "use strict";

  var here = document.currentScript ? document.currentScript.src : "";
  var PLOTLY = here.replace(/checkup\.js(\?.*)?$/, "plotly-basic.min.js");
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { loading = null; reject(new Error("plotly.js 加载失败")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function isStatic(el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    return !!target && target.classList.contains("ck-chart--static");
  }

  function drawCharts(root, only) {
    var specs = Array.prototype.filter.call(root.querySelectorAll("script.ck-chart-spec"), function (el) {
      return only ? el.getAttribute("data-target") === only : !isStatic(el);
    });
    if (!specs.length) return;
    loadPlotly().then(function (Plotly) {
      specs.forEach(function (el) {
        var target = document.getElementById(el.getAttribute("data-target"));
        if (!target || target.getAttribute("data-drawn")) return;
        var spec = JSON.parse(el.textContent);
        target.setAttribute("data-drawn", "1");
        target.textContent = "";  // the static drawing gives way to the interactive chart
        Plotly.newPlot(target, spec.data, spec.layout, {
          responsive: true, displayModeBar: false, displaylogo: false, showLink: false,
          showEditInChartStudio: false, scrollZoom: false
        });
        var years = document.querySelector("script.ck-map-years[data-target='" + target.id + "']");
        if (years) wireYears(Plotly, target, spec, JSON.parse(years.textContent));
      });
    }).catch(function () {
      specs.forEach(function (el) {
        var target = document.getElementById(el.getAttribute("data-target"));
        if (target) target.textContent = "图表未能加载，数据见下表。";
      });
    });
  }

  function wireInteract(button) {
    if (button.getAttribute("data-wired")) return;
    button.setAttribute("data-wired", "1");
    button.hidden = false;  // without this script the static drawing is all there is
    button.addEventListener("click", function () {
      button.disabled = true;
      drawCharts(document, button.getAttribute("data-target"));
      button.hidden = true;
    });
  }

  /* A map comes with the colours of every year; its year selector recolours the areas. */
  function wireYears(Plotly, target, spec, styles) {
    var select = document.querySelector("select.ck-map-year[data-target='" + target.id + "']");
    if (!select || select.getAttribute("data-wired")) return;
    select.setAttribute("data-wired", "1");
    var areas = spec.data.length - 1;  // the last trace holds the labels
    var indices = [];
    for (var i = 0; i < areas; i += 1) indices.push(i);
    var caption = document.getElementById(select.getAttribute("data-caption"));
    select.addEventListener("change", function () {
      var year = styles[select.value];
      if (!year) return;
      Plotly.restyle(target, {fillcolor: year.fill, text: year.hover}, indices);
      Plotly.restyle(target, {text: [year.text], "textfont.color": [year.ink]}, [areas]);
      target.setAttribute("data-year", select.value);
      if (caption) caption.textContent = select.value;
    });
  }

  function wireFilter(form) {
    if (form.getAttribute("data-wired")) return;
    form.setAttribute("data-wired", "1");
    var box = document.getElementById(form.getAttribute("data-table"));
    var table = box && box.querySelector("table");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".ck-filter__count");
    var text = form.querySelector("input[type=search]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-column]"));
    var haystacks = rows.map(function (row) { return row.textContent.toLowerCase(); });

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = !needle || haystacks[i].indexOf(needle) !== -1;
        selects.forEach(function (select) {
          var cell = row.cells[Number(select.getAttribute("data-column"))];
          if (ok && select.value && (!cell || cell.textContent.trim() !== select.value)) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  /* A table wider than the screen scrolls in its own box; keyboard users must be able to
   * reach that box to scroll it (WCAG 2.1.1), so a box that scrolls takes the focus. */
  function focusScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  /* Filter the records of a task or problem list (one .ck-record each) by the facets in
   * their data-f-* attributes; a section heading whose records are all hidden hides too.
   * The form is hidden in the page and shown here, so without this script the list reads whole. */
  function wireRecordFilter(form) {
    if (form.getAttribute("data-wired")) return;
    form.setAttribute("data-wired", "1");
    var root = form.closest("article") || document;
    var records = Array.prototype.slice.call(root.querySelectorAll(".ck-record"));
    var headings = Array.prototype.slice.call(root.querySelectorAll("h2")).filter(function (h) {
      var next = h.nextElementSibling;
      return next && next.classList.contains("ck-record");
    });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var count = form.querySelector(".ck-filter__count");
    var what = form.getAttribute("data-what") || "项";

    function apply() {
      var shown = 0;
      records.forEach(function (record) {
        var ok = selects.every(function (select) {
          if (!select.value) return true;
          var values = (record.getAttribute("data-f-" + select.getAttribute("data-facet")) || "").split("|");
          return values.indexOf(select.value) !== -1;
        });
        record.hidden = !ok;
        if (ok) shown += 1;
      });
      headings.forEach(function (h) {
        var any = false;
        for (var el = h.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
          if (el.classList.contains("ck-record") && !el.hidden) { any = true; break; }
        }
        h.hidden = !any;
      });
      count.textContent = "本页显示 " + shown + " / " + records.length + " 项" + what;
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  /* A table wider than its column is shown as cards, one per row, each cell under its
   * column's heading, so no column hides behind a sideways scroll. Without this script
   * the table stays a table and scrolls in its own box. */
  function stackTables() {
    document.querySelectorAll(".md-typeset__table").forEach(function (box) {
      var table = box.querySelector("table");
      if (!table || !table.tHead || !table.tBodies.length) return;
      if (!box.getAttribute("data-labelled")) {
        var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
          return th.textContent.trim();
        });
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (heads[i]) cell.setAttribute("data-label", heads[i]);
          });
        });
        box.setAttribute("data-labelled", "1");
      }
      box.classList.remove("ck-stack");
      var wrap = box.parentElement || box;
      if (table.scrollWidth > wrap.clientWidth + 1) box.classList.add("ck-stack");
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { stackTables(); focusScrollers(); }, 200);
  });

  function start() {
    drawCharts(document);
    document.querySelectorAll("button.ck-chart-interact").forEach(wireInteract);
    document.querySelectorAll("form.ck-filter:not(.ck-filter--records)").forEach(wireFilter);
    document.querySelectorAll("form.ck-filter--records").forEach(wireRecordFilter);
    setTimeout(function () { stackTables(); focusScrollers(); }, 0);  // after the theme has wrapped the tables
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
