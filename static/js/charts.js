/* Pareto charts drawn with the vendored Chart.js from data the page embeds with json_script:
   <canvas data-pareto="ID"> reads <script id="ID" type="application/json">
   {"labels": [...], "counts": [...], "cumulative": [...], "countLabel": "...", "cumulativeLabel": "..."}.
   Bars are the counts (left axis), the line the cumulative % (right axis, 0–100).
   The chart's box stays hidden until drawn, so without JavaScript only the table shows. */
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

  function drawAll(root) {
    if (!window.Chart || !root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-pareto]").forEach(drawPareto);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Content swapped in by htmx (a new period or team) brings new canvases.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
