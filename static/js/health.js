/* The client page's health history, drawn with the vendored Chart.js from data the page embeds with json_script:
   <canvas data-health-chart="ID"> reads <script id="ID" type="application/json">{"labels": [...], "scores": [...],
   "watchBelow": 70, "atRiskBelow": 40, "scoreLabel", "watchLabel", "atRiskLabel"}: the score of each day (null
   before the first score: a gap) as a stepped line on 0-100, with the two band thresholds dashed.
   The chart's box (.health-chart-wrap, with the thresholds' key) stays hidden until drawn, so without JavaScript only the table shows; the table in
   <details class="chart-table" open> folds once the line is drawn. A Recalculate swaps the section in (htmx):
   the new canvas is drawn on htmx:load. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function threshold(label, value, count, colour) {
    var values = [];
    for (var i = 0; i < count; i++) values.push(value);
    return { label: label, data: values, borderColor: colour, borderWidth: 1, borderDash: [5, 4],
             pointRadius: 0, pointHoverRadius: 0, fill: false, tension: 0 };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.healthChart);
    if (!window.Chart || !source || window.Chart.getChart(canvas)) return;  // no library, no data, or drawn already
    var data = JSON.parse(source.textContent);
    var box = canvas.closest(".health-chart-wrap");
    if (box) box.hidden = false;
    var card = canvas.closest("section");
    var table = card && card.querySelector("details.chart-table");
    if (table) table.open = false;
    var primary = cssVar("--primary", "#2563eb");
    var count = data.labels.length;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.scoreLabel, data: data.scores, borderColor: primary, backgroundColor: primary + "1f",
            fill: true, stepped: "before", pointRadius: 0, pointHoverRadius: 4, borderWidth: 2, spanGaps: false },
          threshold(data.watchLabel, data.watchBelow, count, cssVar("--warning", "#b45309")),
          threshold(data.atRiskLabel, data.atRiskBelow, count, cssVar("--danger", "#dc2626"))
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { filter: function (item) { return item.datasetIndex === 0; } }
        },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } },
          y: { min: 0, max: 100, ticks: { stepSize: 20 } }
        }
      }
    });
  }

  function drawAll(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-health-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
