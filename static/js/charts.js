/* Charts drawn with the vendored Chart.js from data the page embeds with json_script.
   Pareto: <canvas data-pareto="ID"> reads <script id="ID" type="application/json">
   {"labels": [...], "counts": [...], "cumulative": [...], "countLabel": "...", "cumulativeLabel": "..."}.
   Bars are the counts (left axis), the line the cumulative % (right axis, 0–100).
   Trend: <canvas data-trend="ID"> reads {"labels": [...], "nps": [...], "csat": [...],
   "npsAnswers": [...], "csatAnswers": [...], "thinBelow": 10, "npsLabel", "csatLabel", "answersLabel",
   "thinLabel"}: NPS (left axis, −100–100) and CSAT % (right axis, 0–100) per month; null is no value
   (a gap in the line), and a hollow point a value from fewer than thinBelow answers.
   A chart's box stays hidden until drawn, so without JavaScript only the table shows. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function drawPareto(canvas) {
    var source = document.getElementById(canvas.dataset.pareto);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    var box = canvas.closest(".chart-box");
    if (box) box.hidden = false;
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
    var box = canvas.closest(".chart-box");
    if (box) box.hidden = false;
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

  function drawAll(root) {
    if (!window.Chart || !root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-pareto]").forEach(drawPareto);
    root.querySelectorAll("canvas[data-trend]").forEach(drawTrend);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Content swapped in by htmx (a new period or team) brings new canvases.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
