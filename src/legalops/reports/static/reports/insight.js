// Insight charts: each <canvas data-chart-id="X"> draws the JSON of <script id="X"
// type="application/json"> (json_script: no inline script, the CSP forbids it). Clicking a bar,
// point or slice opens the drill-down page behind it (links are ours, same-origin paths).
(function () {
  "use strict";
  var colours = ["#1f4e79", "#7aa6d6", "#b42318", "#1e7b47", "#c77c02", "#6941c6", "#667085", "#0e9384"];
  var types = { line: "line", column: "bar", bar: "bar", pie: "pie" };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartId);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var pie = spec.kind === "pie";
    var chart = new window.Chart(canvas, {
      type: types[spec.kind] || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          var colour = pie ? colours : colours[i % colours.length];
          return { label: s.label, data: s.data.map(function (v) { return v === null ? null : Number(v); }),
                   backgroundColor: colour, borderColor: pie ? "#fff" : colour, fill: false };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: spec.kind === "bar" ? "y" : "x",
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          var link = spec.links[elements[0].index];
          if (link && link.charAt(0) === "/" && link.charAt(1) !== "/") window.location.assign(link);
        },
      },
    });
    canvas.chart = chart;
  }

  document.querySelectorAll("canvas[data-chart-id]").forEach(draw);
})();
