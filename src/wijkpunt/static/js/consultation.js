/* Door-to-door consultation (docs/consultation.md). Progressive enhancement only: every page works
 * without this script. Visit form: the questions and the housing wish are shown only when the
 * outcome is "answered". (The results pages need no script: their charts are server-rendered bars
 * with the figures as text.) */
(function () {
  "use strict";

  function toggleAnswers() {
    var block = document.querySelector("[data-answered-only]");
    if (!block) return;
    var answered = block.getAttribute("data-answered-value");
    var form = block.closest("form");
    function update() {
      var checked = form.querySelector("input[name=outcome]:checked");
      block.hidden = !(checked && checked.value === answered);
    }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "outcome") update();
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", toggleAnswers);
})();
