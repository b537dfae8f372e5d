"""The stylesheet and the one inline script of ``report.html``, and the Content-Security-Policy that
allows exactly that script (by its SHA-256) and nothing else: no remote file, font, image or frame.

The page works without the script (every finding is in the markup); the script adds sorting by any
column, a search box and a filter over the repo table.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["CSP", "CSS", "SCRIPT", "SCRIPT_HASH"]

CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121;background:#fff}
header,main,footer{padding:0 24px} header{padding-top:16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e0e0e0}
nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:8px 0}
a{color:#0d47a1}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0;padding:0;list-style:none}
.card{border:1px solid #e0e0e0;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:20px} .muted{color:#616161}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,760px),1fr));gap:8px 32px}
figure{margin:0 0 16px;overflow-x:auto} figcaption{font-weight:600;margin:8px 0 4px}
figure svg{width:100%;min-width:640px;max-width:1280px;height:auto;display:block}
svg text{font:13px system-ui,sans-serif} svg text:not([fill]){fill:#424242}
table{border-collapse:collapse;width:100%;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:#c62828;font-weight:600} .sev-warning{color:#b45309;font-weight:600} .sev-note{color:#1565c0}
.state-failed{color:#c62828;font-weight:600} .state-new{color:#c62828} .state-stale{color:#6d4c41;font-style:italic}
.failure{border-left:4px solid #c62828;padding:4px 12px;margin:8px 0;background:#fff8f8}
.failure code,.advice code{background:#f5f5f5;padding:1px 4px;border-radius:3px;word-break:break-all}
details.data{margin:4px 0 8px} details summary{cursor:pointer}
.findings td{border-bottom:1px dotted #e0e0e0} .findings{margin:6px 0 10px}
th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"} th[aria-sort=descending] button::after{content:" \\25BC"}
#repo-controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
#repo-controls input,#repo-controls select{font:inherit;padding:3px 6px}
.table-wrap{overflow-x:auto}
footer{margin:32px 0 16px;color:#616161}
tr:target{outline:2px solid #0d47a1} #repos th[scope=row]{font-weight:normal} .name{font-weight:600}
#top-findings td:nth-child(5){min-width:12em}
@media (max-width:700px){header,main,footer{padding:0 12px} #top-findings td:nth-child(6),
#top-findings th:nth-child(6){display:none}}
"""

# Sorting, search and filter for the repo table; it only reads and reorders the page's own markup.
SCRIPT = """(function () {
  "use strict";
  var table = document.getElementById("repos");
  var controls = document.getElementById("repo-controls");
  if (!table || !controls) { return; }
  var body = table.tBodies[0];
  var search = document.getElementById("repo-search");
  var show = document.getElementById("repo-show");
  var count = document.getElementById("repo-count");
  controls.hidden = false;
  function matches(row, text, filter) {
    if (text && row.getAttribute("data-search").indexOf(text) < 0) { return false; }
    if (!filter) { return true; }
    if (filter === "errors") { return Number(row.getAttribute("data-errors")) > 0; }
    if (filter === "warnings") { return Number(row.getAttribute("data-warnings")) > 0; }
    if (filter === "new") { return Number(row.getAttribute("data-new")) > 0; }
    if (filter === "unsure") { return row.getAttribute("data-unsure") === "1"; }
    return row.getAttribute("data-state") === filter;
  }
  function apply() {
    var text = search.value.trim().toLowerCase(), filter = show.value, shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var visible = matches(row, text, filter);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + body.rows.length + " repos shown";
  }
  function sortBy(th, index, numeric) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-v"), y = b.cells[index].getAttribute("data-v");
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    var button = th.querySelector("button");
    if (button) {
      button.addEventListener("click", function () { sortBy(th, index, th.classList.contains("n")); });
    }
  });
  search.addEventListener("input", apply);
  show.addEventListener("change", apply);
  apply();
  document.body.setAttribute("data-script", "ready");
}());
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

# Nothing may load from anywhere; the one script runs because its hash is listed.
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
