/* budgetlens report: sortable and filterable tables, department search. No network, no libraries. */
(function () {
  "use strict";

  function cellKey(row, idx) {
    var cell = row.cells[idx];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }

  function compare(a, b, numeric) {
    // empty (null) values always sort last
    if (a === "" && b === "") { return 0; }
    if (a === "") { return 1; }
    if (b === "") { return -1; }
    if (numeric) {
      var x = parseFloat(a), y = parseFloat(b);
      if (!isNaN(x) && !isNaN(y)) { return x - y; }
    }
    return a.localeCompare(b, "zh-Hans-CN");
  }

  function sortTable(table, idx, th) {
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = cellKey(r1, idx), b = cellKey(r2, idx);
      if (a === "" || b === "") { return compare(a, b, numeric); }
      var c = compare(a, b, numeric);
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function initSorting(table) {
    if (!table.tHead) { return; }
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (th, idx) {
      th.tabIndex = 0;
      th.classList.add("sort");
      th.addEventListener("click", function () { sortTable(table, idx, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, idx, th); }
      });
    });
  }

  function initFilters(box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table) { return; }
    var controls = box.querySelectorAll("[data-filter]");
    var count = box.querySelector(".count");
    function apply() {
      var want = {};
      Array.prototype.forEach.call(controls, function (c) { want[c.getAttribute("data-filter")] = c.value.trim(); });
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i], ok = true;
        if (want.text && r.textContent.toLowerCase().indexOf(want.text.toLowerCase()) < 0) { ok = false; }
        ["jurisdiction", "type", "year"].forEach(function (k) {
          if (want[k] && r.getAttribute("data-" + k) !== want[k]) { ok = false; }
        });
        r.hidden = !ok;
        if (ok) { shown++; }
      }
      if (count) { count.textContent = shown + " of " + rows.length + " rows"; }
    }
    Array.prototype.forEach.call(controls, function (c) {
      c.addEventListener("input", apply);
      c.addEventListener("change", apply);
    });
    apply();
  }

  function initDepartmentSearch() {
    var data = document.getElementById("bl-departments");
    var input = document.getElementById("dept-go");
    var list = document.getElementById("dept-list");
    if (!data || !input || !list) { return; }
    var items = JSON.parse(data.textContent);
    var byLabel = {};
    items.forEach(function (d) {
      var label = d.name + " (" + d.jurisdiction + ", " + d.type + ")";
      byLabel[label] = d.href;
      var opt = document.createElement("option");
      opt.value = label;  // text, never HTML
      list.appendChild(opt);
    });
    input.addEventListener("change", function () {
      var href = byLabel[input.value];
      if (href) { window.location.href = href; }
    });
  }

  document.querySelectorAll("table.sortable").forEach(initSorting);
  document.querySelectorAll(".filters").forEach(initFilters);
  initDepartmentSearch();
})();
