// recruit: small progressive enhancements. No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  // An error page after a form post: "go back" returns to the form with what was typed.
  document.querySelectorAll("a[data-history-back]").forEach(function (link) {
    if (window.history.length > 1) {
      link.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
    }
  });
  // Sortable tables: click a header to sort; numbers by data-value when present.
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      th.setAttribute("aria-sort", "none");
      th.setAttribute("tabindex", "0");
      function sort() {
        var numeric = th.getAttribute("data-sort") === "number";
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var c = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return dir === "ascending" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
  // Copy buttons: <button data-copy="#input-id">.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () { button.setAttribute("data-copied", "1"); button.textContent = button.getAttribute("data-done") || "✓"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  });
  // Confirmation for destructive actions: <form data-confirm="...">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
})();
