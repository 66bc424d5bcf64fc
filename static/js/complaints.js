// CP-2: show the late-filing excuse only when the incident is older than the filing window.
// Without JavaScript the field stays visible (it is optional, with help text).
(function () {
  "use strict";
  var form = document.querySelector("form[data-window-days]");
  var block = document.getElementById("excuse-block");
  if (!form || !block) {
    return;
  }
  var incident = form.querySelector("[name=incident_on]");
  var received = form.querySelector("[name=received_on]");
  var excuse = block.querySelector("textarea");
  var windowDays = parseInt(form.getAttribute("data-window-days"), 10);
  var DAY = 24 * 60 * 60 * 1000;

  function parse(value) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return parts ? Date.UTC(+parts[1], +parts[2] - 1, +parts[3]) : null;
  }

  function isLate() {
    var from = parse(incident && incident.value);
    var to = parse((received && received.value) || form.getAttribute("data-today"));
    return from !== null && to !== null && Math.round((to - from) / DAY) > windowDays;
  }

  function update() {
    var keep = block.querySelector(".is-invalid") || (excuse && excuse.value.trim());
    block.classList.toggle("d-none", !(keep || isLate()));
  }

  [incident, received].forEach(function (input) {
    if (input) {
      input.addEventListener("change", update);
      input.addEventListener("input", update);
    }
  });
  update();
})();
