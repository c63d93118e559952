// Keyboard shortcuts for the harmonization review queue (concord/harmonize). No inline script: CSP.
// j / ArrowDown: next row · k / ArrowUp: previous row · a: accept · x: reject · t: change the relationship
// o / Enter: open the side-by-side view.
(function () {
  "use strict";
  var table = document.querySelector("[data-review-queue]");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.queue-row"));
  var canReview = table.hasAttribute("data-can-review");
  if (!rows.length) { return; }

  function current() {
    var i = rows.indexOf(document.activeElement);
    if (i < 0 && document.activeElement) {
      var row = document.activeElement.closest ? document.activeElement.closest("tr.queue-row") : null;
      i = rows.indexOf(row);
    }
    return i;
  }
  function focusRow(i) {
    if (i < 0) { i = 0; }
    if (i >= rows.length) { i = rows.length - 1; }
    rows.forEach(function (r) { r.classList.remove("is-current"); });
    rows[i].classList.add("is-current");
    rows[i].focus();
  }
  var fromHash = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (fromHash && rows.indexOf(fromHash) >= 0) { focusRow(rows.indexOf(fromHash)); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var i = current();
    var key = event.key;
    if (key === "j" || key === "ArrowDown") { focusRow(i + 1); event.preventDefault(); return; }
    if (key === "k" || key === "ArrowUp") { focusRow(i - 1); event.preventDefault(); return; }
    if (i < 0) { return; }
    var row = rows[i];
    if (key === "o" || (key === "Enter" && event.target === row)) {
      window.location.assign(row.getAttribute("data-href"));
      event.preventDefault();
      return;
    }
    if (!canReview) { return; }
    var target = row.querySelector('[data-key="' + key + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName.toLowerCase() === "select") { target.focus(); } else { target.click(); }
  });
})();
