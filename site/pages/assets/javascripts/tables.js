// Sort and filter for tables inside .beian-sortable (the institution list). No libraries, no network.
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    var number = parseFloat(text);
    return { text: text, number: isNaN(number) || !/^[-+]?\d/.test(text) ? null : number };
  }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index), result;
      if (x.number !== null && y.number !== null) result = x.number - y.number;
      else if (x.number !== null) result = -1;
      else if (y.number !== null) result = 1;
      else result = x.text.localeCompare(y.text, "zh-Hans-CN");
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setUp(table) {
    if (table.dataset.beianReady || !table.tHead || !table.tBodies.length) return;
    table.dataset.beianReady = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.setAttribute("role", "button");
      th.title = "点击排序";
      th.addEventListener("click", function () { sortBy(table, index, th); });
    });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "beian-filter";
    input.placeholder = "筛选：输入名称、城市、状态……";
    input.setAttribute("aria-label", "筛选表格");
    var count = document.createElement("span");
    count.className = "beian-count";
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = words.length ? " 显示 " + shown + " 个" : "";
    });
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    wrapper.parentNode.insertBefore(input, wrapper);
    wrapper.parentNode.insertBefore(count, wrapper);
  }
  function init() {
    document.querySelectorAll(".beian-sortable table").forEach(setUp);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
