/* Tila resident pages: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function init(root) {
    root.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    root.querySelectorAll("[data-week-grid]").forEach(initGrid);
  }

  /* --- Week grid: arrow keys move between free slots; choose a start and an end slot. --- */

  var selection = { grid: null, start: null, end: null };

  function slots(grid) { return Array.prototype.slice.call(grid.querySelectorAll("a.slot")); }

  function position(link) {
    var cell = link.closest("td");
    var row = cell.parentElement;
    return { row: row.sectionRowIndex, col: Array.prototype.indexOf.call(row.children, cell) };
  }

  function initGrid(grid) {
    var all = slots(grid);
    all.forEach(function (link, i) { link.tabIndex = i === 0 ? 0 : -1; });
    clearSelection(false);
  }

  function focusSlot(grid, link) {
    slots(grid).forEach(function (other) { other.tabIndex = -1; });
    link.tabIndex = 0;
    link.focus();
  }

  function neighbour(grid, link, key) {
    var here = position(link);
    var candidates = slots(grid).map(function (l) { return { link: l, pos: position(l) }; });
    var pick = null;
    candidates.forEach(function (c) {
      var p = c.pos, better = false;
      if (key === "ArrowDown") better = p.col === here.col && p.row > here.row && (!pick || p.row < pick.pos.row);
      if (key === "ArrowUp") better = p.col === here.col && p.row < here.row && (!pick || p.row > pick.pos.row);
      if (key === "ArrowRight") better = p.row === here.row && p.col > here.col && (!pick || p.col < pick.pos.col);
      if (key === "ArrowLeft") better = p.row === here.row && p.col < here.col && (!pick || p.col > pick.pos.col);
      if (key === "Home") better = p.row === here.row && (!pick || p.col < pick.pos.col);
      if (key === "End") better = p.row === here.row && (!pick || p.col > pick.pos.col);
      if (better) pick = c;
    });
    return pick ? pick.link : null;
  }

  document.addEventListener("keydown", function (event) {
    var link = event.target.closest && event.target.closest("[data-week-grid] a.slot");
    if (!link) return;
    if (["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"].indexOf(event.key) < 0) return;
    var grid = link.closest("[data-week-grid]");
    var next = neighbour(grid, link, event.key);
    event.preventDefault();
    if (next) focusSlot(grid, next);
  });

  function daysGrid(grid) { return grid.classList.contains("week-grid--days"); }

  function between(grid, a, b) {
    /* The cells from a to b (inclusive) along time, or null if any of them is not free. */
    var pa = position(a), pb = position(b), rows = grid.tBodies[0].rows, out = [];
    if (daysGrid(grid)) {
      if (pa.row !== pb.row || pb.col < pa.col) return null;
      for (var c = pa.col; c <= pb.col; c++) out.push(rows[pa.row].children[c]);
    } else {
      if (pa.col !== pb.col || pb.row < pa.row) return null;
      for (var r = pa.row; r <= pb.row; r++) out.push(rows[r].children[pa.col]);
    }
    for (var i = 0; i < out.length; i++) { if (!out[i].querySelector("a.slot")) return null; }
    return out;
  }

  function status(grid, key, time) {
    var region = grid.closest(".week").querySelector("[data-selection-status]");
    if (!region) return;
    var text = region.getAttribute("data-text-" + key) || "";
    region.textContent = text.replace("{time}", time || "");
  }

  function clearSelection(announce) {
    document.querySelectorAll(".cell--selected").forEach(function (cell) { cell.classList.remove("cell--selected"); });
    document.querySelectorAll("[data-selection]").forEach(function (panel) { panel.hidden = true; });
    document.querySelectorAll("a.slot[aria-current]").forEach(function (l) { l.removeAttribute("aria-current"); });
    if (announce && selection.grid) status(selection.grid, "cleared");
    selection = { grid: null, start: null, end: null };
  }

  function render() {
    var grid = selection.grid, start = selection.start, end = selection.end;
    var cells = end ? between(grid, start, end) : [start.closest("td")];
    cells.forEach(function (cell) { cell.classList.add("cell--selected"); });
    start.setAttribute("aria-current", "true");
    var to = end ? end.getAttribute("data-to") : start.getAttribute("data-default-to");
    var endValue = end ? end.getAttribute("data-end") : start.getAttribute("data-default-end");
    var time = start.getAttribute("data-day") + " " + start.getAttribute("data-from") + "–" + to;
    if (daysGrid(grid)) time = start.getAttribute("data-day") + (end && end !== start ? " – " + end.getAttribute("data-day") : "");
    var panel = grid.closest(".week").querySelector("[data-selection]");
    var url = new URL(start.href, window.location.href);
    url.searchParams.set("end", endValue);
    panel.querySelector("[data-selection-link]").href = url.pathname + url.search;
    panel.querySelector("[data-selection-text]").textContent = time;
    panel.hidden = false;
    status(grid, end ? "range" : "start", time);
  }

  document.addEventListener("click", function (event) {
    var clear = event.target.closest && event.target.closest("[data-selection-clear]");
    if (clear) { clearSelection(true); return; }
    var link = event.target.closest && event.target.closest("[data-week-grid] a.slot");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var grid = link.closest("[data-week-grid]");
    var start = selection.start, grid0 = selection.grid;
    if (start === link && !selection.end) { clearSelection(true); return; }
    var range = start && grid0 === grid ? between(grid, start, link) : null;
    clearSelection(false);
    selection = range && start !== link ? { grid: grid, start: start, end: link } : { grid: grid, start: link, end: null };
    focusSlot(grid, link);
    render();
  });

  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });

  function ready() {
    init(document);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
