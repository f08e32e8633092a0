// A list-of-majors field (data-majors-catalogue="<datalist id>") gets a helper input that
// suggests the MoE catalogue and appends the chosen major to the list, separated by "、".
// The datalist (#majors-catalogue, data-src) is filled once from /majors.json, which the browser
// caches for a day. Without JavaScript the fields are plain text and still accept any majors.
(function () {
  "use strict";
  var datalist = document.getElementById("majors-catalogue");
  if (datalist && datalist.getAttribute("data-src") && !datalist.options.length) {
    fetch(datalist.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { names: [] }; })
      .then(function (data) {
        var fragment = document.createDocumentFragment();
        (data.names || []).forEach(function (name) {
          var option = document.createElement("option");
          option.value = name;
          fragment.appendChild(option);
        });
        datalist.appendChild(fragment);
      })
      .catch(function () { /* suggestions are a convenience: the field still works */ });
  }
  function attach(field) {
    var listId = field.getAttribute("data-majors-catalogue");
    if (!document.getElementById(listId)) { return; }
    var wrap = document.createElement("div");
    wrap.className = "majors-picker";
    var helper = document.createElement("input");
    helper.type = "text";
    helper.setAttribute("list", listId);
    helper.setAttribute("aria-label", field.getAttribute("data-picker-label") || "");
    helper.placeholder = field.getAttribute("data-picker-placeholder") || "";
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button small";
    add.textContent = field.getAttribute("data-picker-button") || "+";
    function append() {
      var value = helper.value.trim();
      if (!value) { return; }
      var items = field.value.split(/[、,，;；\n]+/).map(function (s) { return s.trim(); }).filter(Boolean);
      if (items.indexOf(value) === -1) { items.push(value); }
      field.value = items.join("、");
      helper.value = "";
      helper.focus();
    }
    add.addEventListener("click", append);
    helper.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); append(); }
    });
    wrap.appendChild(helper);
    wrap.appendChild(add);
    field.parentNode.insertBefore(wrap, field.nextSibling);
  }
  document.querySelectorAll("[data-majors-catalogue]").forEach(attach);
})();
