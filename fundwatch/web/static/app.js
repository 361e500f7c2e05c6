// fundwatch dashboard: optional niceties; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filter drop-downs apply at once.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  // Drop empty fields from GET filter forms so shared links stay short.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (!field.value) { field.disabled = true; }
      });
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (f) { f.disabled = false; });
  });
  // Phones: the filter panel starts folded unless a filter is active.
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]:not([data-active])").forEach(function (d) {
      d.open = false;
    });
  }
  // Times: show the reader's local time as a tooltip.
  document.querySelectorAll("time[datetime]").forEach(function (node) {
    var date = new Date(node.getAttribute("datetime"));
    if (!isNaN(date)) { node.title = date.toLocaleString(); }
  });
});
