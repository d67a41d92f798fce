// whosaid show, index page: each column heading is a button that sorts its table (again: the
// other way). Cells sort by their data-sort value, numbers as numbers.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var body = table.tBodies[0];
    heads.forEach(function (th, col) {
      var button = th.querySelector("button.sort");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        var num = button.getAttribute("data-type") === "num";
        // Numbers start high-to-low: "who is quoted most" is the usual question.
        if (num && th.getAttribute("aria-sort") === "none") asc = false;
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        function val(r) {
          var cell = r.cells[col];
          var v = cell ? cell.getAttribute("data-sort") : "";
          return num ? parseFloat(v) || 0 : v || "";
        }
        rows.sort(function (a, b) {
          var x = val(a), y = val(b);
          var d = num ? x - y : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
