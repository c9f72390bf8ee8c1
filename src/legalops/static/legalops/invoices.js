// Invoice pages: select every invoice of a queue page for a bulk action, count the selection,
// and add or remove lines in the portal's invoice form. No inline script (the CSP forbids it).
(function () {
  "use strict";

  function countSelected() {
    var boxes = document.querySelectorAll('input[type=checkbox][name=invoice]');
    var chosen = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) {
      el.textContent = chosen ? chosen + " selected" : "";
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("[data-select-all]")) {
      var name = box.getAttribute("data-select-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (b) {
        b.checked = box.checked;
      });
    }
    if (box.matches && box.matches("input[type=checkbox]")) countSelected();
  });
  document.body.addEventListener("htmx:afterSwap", countSelected);

  // The portal's invoice form: a hidden template row (<template data-empty-line>) is copied
  // with __prefix__ replaced by the next index; TOTAL_FORMS follows.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-add-line]") : null;
    if (!button) return;
    event.preventDefault();
    var form = button.closest("form");
    var template = form.querySelector("template[data-empty-line]");
    var total = form.querySelector('input[name$="-TOTAL_FORMS"]');
    var max = form.querySelector('input[name$="-MAX_NUM_FORMS"]');
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    form.querySelector("[data-lines]").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
})();
