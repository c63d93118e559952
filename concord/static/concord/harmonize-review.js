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

  // Decisions are posted in the background: the row shows the new state and the next row takes the focus,
  // so the reviewer keeps their place. Without script, the form posts and the page returns at the next row.
  var live = document.getElementById("queue-live");
  function decide(form) {
    var row = form.closest("tr.queue-row");
    var i = rows.indexOf(row);
    var buttons = row.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      if (live) { live.textContent = result.data.message || result.data.error || ""; }
      if (!result.ok) { row.classList.add("has-error"); return; }
      var badge = row.querySelector("[data-review-status]");
      if (badge) {
        badge.textContent = result.data.review_label;
        badge.className = "badge " + (result.data.review_status === "accepted" ? "ok" :
          result.data.review_status === "rejected" ? "bad" : "warn");
      }
      var rel = row.querySelector("[data-relationship]");
      if (rel) { rel.textContent = result.data.relationship_label; rel.className = "rel rel-" + result.data.relationship; }
      row.classList.add("is-decided");
      row.setAttribute("data-decided", result.data.review_status);
      focusRow(i + 1 < rows.length ? i + 1 : i);
    }).catch(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      form.submit();
    });
  }
  if (canReview && window.fetch && window.FormData) {
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.querySelectorAll("td.decide form"), function (form) {
        form.addEventListener("submit", function (event) { event.preventDefault(); decide(form); });
      });
    });
  }

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
    if (target.tagName.toLowerCase() === "select") { target.focus(); return; }
    var form = target.closest("form");
    if (form && window.fetch && window.FormData) { decide(form); } else { target.click(); }
  });
})();
