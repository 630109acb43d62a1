/* The segment page's trend line, drawn with the vendored Chart.js from data the page embeds with json_script:
   <canvas data-sizes="ID"> reads <script id="ID" type="application/json">{"label": "...", "labels": [...],
   "sizes": [...]}</script>: one point per recorded day. The chart's box stays hidden until drawn, so without
   JavaScript only the table shows; the table in <details class="chart-table" open> folds once the line is drawn. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function drawSizes(canvas) {
    var source = document.getElementById(canvas.dataset.sizes);
    if (!source || window.Chart.getChart(canvas)) return;  // no data, or drawn already
    var data = JSON.parse(source.textContent);
    var box = canvas.closest(".chart-box");
    if (box) box.hidden = false;
    var card = canvas.closest("section");
    var table = card && card.querySelector("details.chart-table");
    if (table) table.open = false;
    var colour = canvas.dataset.colour || cssVar("--primary", "#2563eb");
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.sizes, borderColor: colour, backgroundColor: colour + "22",
                     fill: true, pointRadius: data.sizes.length > 45 ? 0 : 3, pointHoverRadius: 4, tension: 0 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: false } },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  function drawAll(root) {
    if (!window.Chart || !root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-sizes]").forEach(drawSizes);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
})();
