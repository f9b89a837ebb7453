// Marks support for the reader's own day. The page already states every
// date and carries the sentence for each status; this script only picks the
// one that holds today, so that the site stays the same from day to day.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  document.querySelectorAll("[data-support]").forEach(function (section) {
    var current = null;
    section.querySelectorAll("[data-mark-key]").forEach(function (mark) {
      if (mark.getAttribute("data-mark-from") <= today) current = mark;
    });
    if (current) {
      var key = current.getAttribute("data-mark-key");
      section.querySelector("[data-support-status]").textContent = current.textContent;
      section.classList.add("status-" + key);
      section.setAttribute("data-status", key);
    }
    var routes = section.querySelector("[data-route-from]");
    if (!routes) return;
    if (routes.getAttribute("data-route-from") > today) {
      routes.hidden = true;
      return;
    }
    routes.querySelectorAll("[data-from]").forEach(function (stretch) {
      var until = stretch.getAttribute("data-until");
      var inside = stretch.getAttribute("data-from") <= today && (!until || today < until);
      stretch.hidden = !inside;
      var when = stretch.querySelector(".stretch-when");
      if (inside && when) when.hidden = true;
    });
  });

  // A product's versions already out of support; the list stays hidden
  // when none is.
  document.querySelectorAll("[data-ended-list]").forEach(function (box) {
    var any = false;
    box.querySelectorAll("[data-ended]").forEach(function (item) {
      var ended = item.getAttribute("data-ended") <= today;
      item.hidden = !ended;
      if (ended) any = true;
    });
    box.hidden = !any;
  });

  // Timelines drawn without a fixed day: their today line, on the scale
  // the SVG states (src/plan/timeline.rs), when today falls on it.
  function days(iso) {
    var parts = iso.split("-").map(Number);
    return Date.UTC(parts[0], parts[1] - 1, parts[2]) / 86400000;
  }
  document.querySelectorAll("svg[data-scale-start]").forEach(function (svg) {
    var group = svg.querySelector("g.today");
    if (!group || group.getAttribute("visibility") !== "hidden") return;
    var start = days(svg.getAttribute("data-scale-start"));
    var span = days(svg.getAttribute("data-scale-end")) - start;
    var share = (days(today) - start) / span;
    if (!(share >= 0 && share <= 1)) return;
    var x = Number(svg.getAttribute("data-plot-x")) + Math.round(share * Number(svg.getAttribute("data-plot-width")));
    var line = group.querySelector("line"), label = group.querySelector("text");
    line.setAttribute("x1", x);
    line.setAttribute("x2", x);
    label.setAttribute("x", x + 3);
    label.textContent = now.getDate() + " " + now.toLocaleString("en", { month: "long" }) + " " + now.getFullYear();
    group.removeAttribute("visibility");
  });

  // Lists of coming support events: the next few from today on.
  document.querySelectorAll("[data-upcoming]").forEach(function (list) {
    var limit = parseInt(list.getAttribute("data-upcoming"), 10);
    var shown = 0;
    list.querySelectorAll("[data-on]").forEach(function (item) {
      var show = item.getAttribute("data-on") >= today && shown < limit;
      if (show) shown += 1;
      item.hidden = !show;
    });
  });
})();
