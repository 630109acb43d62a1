/* Charts drawn with the vendored Chart.js from data the page embeds with json_script.
   Pareto: <canvas data-pareto="ID"> reads <script id="ID" type="application/json">
   {"labels": [...], "counts": [...], "cumulative": [...], "countLabel": "...", "cumulativeLabel": "..."}.
   Bars are the counts (left axis), the line the cumulative % (right axis, 0–100).
   Trend: <canvas data-trend="ID"> reads {"labels": [...], "nps": [...], "csat": [...],
   "npsAnswers": [...], "csatAnswers": [...], "thinBelow": 10, "npsLabel", "csatLabel", "answersLabel",
   "thinLabel"}: NPS (left axis, −100–100) and CSAT % (right axis, 0–100) per month; null is no value
   (a gap in the line), and a hollow point a value from fewer than thinBelow answers.
   Stacked: <canvas data-stacked="ID"> reads {"labels": [...], "datasets": [{"label", "data": [...]}, ...],
   "countLabel"}: one stacked bar per label (e.g. interactions per week), one colour per dataset (person).
   Money: <canvas data-money="ID"> reads {"labels": [...], "datasets": [{"label", "currency", "data": [...]}]}:
   bars per currency, amounts written by Intl.NumberFormat in the page's language.
   A chart's box stays hidden until drawn, so without JavaScript only the table shows; a table in a
   <details class="chart-table" open> next to the chart folds away once the chart is drawn. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // Distinct hues for people and currencies, in an order where neighbours contrast.
  var PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16",
                 "#64748b", "#d97706", "#0ea5e9", "#a855f7"];

  function language() { return document.documentElement.lang || undefined; }

  // The chart is drawn: its table stays one click away instead of doubling the page.
  function shown(canvas) {
    var box = canvas.closest(".chart-box");
    if (box) box.hidden = false;
    var card = canvas.closest("section");
    var table = card && card.querySelector("details.chart-table");
    if (table) table.open = false;
  }

  function drawPareto(canvas) {
    var source = document.getElementById(canvas.dataset.pareto);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    shown(canvas);
    var primary = cssVar("--primary", "#2563eb");
    var accent = cssVar("--warning", "#b45309");
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "line", label: data.cumulativeLabel, data: data.cumulative, yAxisID: "share",
            borderColor: accent, backgroundColor: accent, pointRadius: 3, tension: 0, order: 1 },
          { type: "bar", label: data.countLabel, data: data.counts, yAxisID: "count",
            backgroundColor: primary, borderRadius: 4, maxBarThickness: 48, order: 2 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (item) {
            var suffix = item.dataset.yAxisID === "share" ? " %" : "";
            return item.dataset.label + ": " + item.formattedValue + suffix;
          } } }
        },
        scales: {
          count: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
          share: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                   ticks: { callback: function (value) { return value + " %"; } } }
        }
      }
    });
  }

  function drawTrend(canvas) {
    var source = document.getElementById(canvas.dataset.trend);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    shown(canvas);
    var surface = cssVar("--surface", "#fff");
    var answers = [data.npsAnswers, data.csatAnswers];

    function isThin(count) { return count > 0 && count < data.thinBelow; }
    function line(label, values, counts, axis, color) {
      return { label: label, data: values, yAxisID: axis, borderColor: color, backgroundColor: color,
               pointBackgroundColor: counts.map(function (count) { return isThin(count) ? surface : color; }),
               pointBorderColor: color, pointBorderWidth: 2, pointRadius: 4, tension: 0, spanGaps: false };
    }

    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          line(data.npsLabel, data.nps, data.npsAnswers, "nps", cssVar("--primary", "#2563eb")),
          line(data.csatLabel, data.csat, data.csatAnswers, "csat", cssVar("--success", "#15803d"))
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (item) {
            var count = answers[item.datasetIndex][item.dataIndex];
            var suffix = item.dataset.yAxisID === "csat" ? " %" : "";
            var note = count + " " + data.answersLabel + (isThin(count) ? ", " + data.thinLabel : "");
            return item.dataset.label + ": " + item.formattedValue + suffix + " (" + note + ")";
          } } }
        },
        scales: {
          nps: { type: "linear", position: "left", min: -100, max: 100, title: { display: true, text: data.npsLabel } },
          csat: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                  title: { display: true, text: data.csatLabel },
                  ticks: { callback: function (value) { return value + " %"; } } }
        }
      }
    });
  }

  function drawStacked(canvas) {
    var source = document.getElementById(canvas.dataset.stacked);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    shown(canvas);
    var count = new Intl.NumberFormat(language());
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          var color = PALETTE[index % PALETTE.length];
          return { label: set.label, data: set.data, backgroundColor: color, borderColor: cssVar("--surface", "#fff"),
                   borderWidth: 1, borderRadius: 3, maxBarThickness: 42 };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            filter: function (item) { return item.raw > 0; },
            callbacks: {
              footer: function (items) {
                var total = 0;
                items.forEach(function (item) { total += item.raw; });
                return data.countLabel + ": " + count.format(total);
              }
            }
          }
        },
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
               title: { display: true, text: data.countLabel } }
        }
      }
    });
  }

  function drawMoney(canvas) {
    var source = document.getElementById(canvas.dataset.money);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    shown(canvas);
    var lang = language();
    function money(currency, compact) {
      var options = { style: "currency", currency: currency };
      if (compact) { options.notation = "compact"; options.maximumFractionDigits = 1; }
      try { return new Intl.NumberFormat(lang, options); } catch (error) { return new Intl.NumberFormat(lang); }
    }
    var full = data.datasets.map(function (set) { return money(set.currency, false); });
    // One currency: its own axis labels; several: plain short numbers (the legend names each currency).
    var axis = data.datasets.length === 1 ? money(data.datasets[0].currency, true)
      : new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          var color = index === 0 ? cssVar("--primary", "#2563eb") : PALETTE[index % PALETTE.length];
          return { label: set.label, data: set.data, backgroundColor: color, borderRadius: 4, maxBarThickness: 36 };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: { callbacks: { label: function (item) {
            return item.dataset.label + ": " + full[item.datasetIndex].format(item.raw);
          } } }
        },
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, ticks: { callback: function (value) { return axis.format(value); } } }
        }
      }
    });
  }

  function drawAll(root) {
    if (!window.Chart || !root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-pareto]").forEach(drawPareto);
    root.querySelectorAll("canvas[data-trend]").forEach(drawTrend);
    root.querySelectorAll("canvas[data-stacked]").forEach(drawStacked);
    root.querySelectorAll("canvas[data-money]").forEach(drawMoney);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Content swapped in by htmx (a new period or team) brings new canvases.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
