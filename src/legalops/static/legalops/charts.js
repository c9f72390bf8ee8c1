// Bar charts from data attributes (no inline script: the CSP forbids it).
// <canvas data-chart='{"labels": [...], "series": [{"label": "...", "data": [...]}]}'>
(function () {
  "use strict";
  var colours = ["#1f4e79", "#7aa6d6", "#b42318", "#1e7b47"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(canvas.dataset.chart);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false },
    });
  });
})();
