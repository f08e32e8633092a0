/* Gap planner: a proposal's title follows its date while the organizer has not edited the title
   (the server applies the same rule, so this is only a live preview). */
(function () {
  "use strict";
  var form = document.querySelector("form.plan-form");
  if (!form) { return; }
  form.querySelectorAll("tbody tr").forEach(function (row) {
    var date = row.querySelector('input[type="date"]');
    var title = row.querySelector("input.plan-title");
    var auto = row.querySelector('input[name$="-auto_title"]');
    var period = row.querySelector('input[name$="-period"]');
    if (!date || !title || !auto || !period || period.value !== "week") { return; }
    date.addEventListener("change", function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.value);
      if (!m || title.value !== auto.value) { return; }
      var next = auto.value.replace(/（\d{1,2}月\d{1,2}日）$/, "（" + parseInt(m[2], 10) + "月" + parseInt(m[3], 10) + "日）");
      title.value = next;
      auto.value = next;
    });
  });
})();
