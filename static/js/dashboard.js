// The executive director's dashboard: draws the charts from the JSON that the page embeds
// with json_script (#dashboard-data). The tables under each chart hold the same figures, with
// links to the lists behind them, so nothing depends on this script.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var rtl = document.documentElement.getAttribute("dir") === "rtl";
  var font = getComputedStyle(document.body).fontFamily;
  var palette = ["#1f4e79", "#2e8b57", "#c0392b", "#d68910", "#7d3c98", "#148f77", "#5d6d7e", "#a04000",
                 "#2874a6", "#b7950b"];

  Chart.defaults.font.family = font;
  Chart.defaults.plugins.legend.rtl = rtl;
  Chart.defaults.plugins.tooltip.rtl = rtl;

  function colour(index) {
    return palette[index % palette.length];
  }

  function monthAxis() {
    return { reverse: rtl, ticks: { autoSkip: true, maxRotation: 0 } };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  }

  // Files by status: a click on a slice opens the file list with that status.
  draw("chart-status", {
    type: "doughnut",
    data: {
      labels: data.status.labels,
      datasets: [{ data: data.status.data, backgroundColor: data.status.labels.map(function (_, i) { return colour(i); }) }]
    },
    options: {
      aspectRatio: 2,
      plugins: { legend: { position: rtl ? "left" : "right" } },
      onClick: function (event, elements) {
        if (elements.length && data.status.urls[elements[0].index]) {
          window.location.assign(data.status.urls[elements[0].index]);
        }
      }
    }
  });

  draw("chart-rulings", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: [
        { type: "bar", label: data.labels.share, data: data.rulings.share, backgroundColor: colour(1), yAxisID: "share" },
        { type: "line", label: data.labels.median, data: data.rulings.median, borderColor: colour(2),
          backgroundColor: colour(2), yAxisID: "days", spanGaps: true }
      ]
    },
    options: {
      scales: {
        x: monthAxis(),
        share: { position: rtl ? "right" : "left", min: 0, max: 100 },
        days: { position: rtl ? "left" : "right", min: 0, grid: { drawOnChartArea: false } }
      }
    }
  });

  draw("chart-aid", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: data.aid.map(function (fund, i) {
        return { label: fund.label, data: fund.data, backgroundColor: colour(i) };
      })
    },
    options: { scales: { x: Object.assign(monthAxis(), { stacked: true }), y: { stacked: true, min: 0 } } }
  });

  draw("chart-satisfaction", {
    type: "line",
    data: {
      labels: data.months,
      datasets: [{ label: data.labels.satisfaction, data: data.satisfaction, borderColor: colour(0),
                   backgroundColor: colour(0), spanGaps: true, tension: 0.2 }]
    },
    options: { scales: { x: monthAxis(), y: { min: 1, max: 5 } } }
  });
})();
