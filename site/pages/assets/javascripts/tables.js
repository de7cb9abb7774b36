// Sort and filter for tables inside .beian-sortable (the institution list, the calendar). No libraries,
// no network. Without this script the tables are plain, complete tables; with it, each header becomes a
// sort button and the table gets a filter: the list's own form (.beian-filters: state, city, type, score
// band, words), or a text box for the others. Each cell gets its column's name (data-label), which the
// phone layout (portal.css, .beian-register) shows in front of the value.
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
  function words(value) {
    return value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  }
  function inBand(score, band) {
    if (!band) return true;
    if (band === "none") return score === "";
    if (score === "") return false;
    var limits = band.split(","), value = parseFloat(score);
    return (limits[0] === "" || value >= parseFloat(limits[0])) && (limits[1] === "" || value < parseFloat(limits[1]));
  }
  // Show the rows that pass every filter; say how many.
  function applyFilters(table, form, count) {
    var query = words(form.elements.text.value), state = form.elements.state.value,
        city = form.elements.city.value, type = form.elements.type.value, band = form.elements.band.value;
    var rows = table.tBodies[0].rows, shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var text = row.textContent.toLowerCase(), data = row.dataset;
      var match = (!state || data.state === state) && (!city || data.city === city) &&
        (!type || data.type === type) && inBand(data.score || "", band) &&
        query.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 个机构";
  }
  var FIELDS = ["text", "state", "city", "type", "band"];
  // The filters live in the address too (?state=已备案&band=90,): a filtered list can be bookmarked and shared.
  function readAddress(form) {
    var params = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      var field = form.elements[name], value = params.get(name);
      if (!field || value === null) return;
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) return;
      field.value = value;
    });
  }
  function writeAddress(form) {
    var params = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      var value = form.elements[name] ? form.elements[name].value.trim() : "";
      if (value) params.set(name, value); else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  function useForm(table, form) {
    var count = form.querySelector(".beian-count");
    var update = function () { applyFilters(table, form, count); writeAddress(form); };
    readAddress(form);
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.hidden = false;
    update();
  }
  function addTextFilter(table) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "beian-filter";
    input.placeholder = "筛选：输入名称、城市、状态……";
    input.setAttribute("aria-label", "筛选表格");
    var count = document.createElement("span");
    count.className = "beian-count";
    count.setAttribute("aria-live", "polite");
    input.addEventListener("input", function () {
      var query = words(input.value), shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = query.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = query.length ? " 显示 " + shown + " 个" : "";
    });
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    wrapper.parentNode.insertBefore(input, wrapper);
    wrapper.parentNode.insertBefore(count, wrapper);
  }
  function setUp(table) {
    if (table.dataset.beianReady || !table.tHead || !table.tBodies.length) return;
    table.dataset.beianReady = "1";
    var labels = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "beian-sort";
      button.title = "点击排序";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      labels.push(button.textContent.trim());
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (labels[index]) cell.setAttribute("data-label", labels[index]);
      });
    });
    var block = table.closest(".beian-sortable");
    var form = block && block.querySelector("form.beian-filters");
    if (form) useForm(table, form);
    else addTextFilter(table);
  }
  function init() {
    document.querySelectorAll(".beian-sortable table").forEach(setUp);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
