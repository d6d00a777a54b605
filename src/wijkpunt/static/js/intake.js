/* Intake form: show only the location block that belongs to the chosen kind.
   Without JavaScript every block stays visible and the form still works. */
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector('input[name="location_kind"]:checked');
    var kind = checked ? checked.value : "adres";
    form.querySelectorAll("[data-location]").forEach(function (block) {
      var active = block.getAttribute("data-location") === kind;
      block.hidden = !active;
      if (active && kind === "kaart") {
        window.dispatchEvent(new Event("resize"));
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.wp-intake-form").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (e) {
        if (e.target && e.target.name === "location_kind") { sync(form); }
      });
    });
    var summary = document.getElementById("foutmeldingen");
    if (summary) { summary.focus(); }
  });
})();
