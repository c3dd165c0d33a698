// The class measurement sheet: Enter (or the phone keyboard's "next") moves to the next number, so a
// teacher types a whole class without touching the screen between children; Enter on the last one saves.
(function () {
  "use strict";
  const form = document.getElementById("measure");
  if (!form) return;
  const inputs = [...form.querySelectorAll("input[data-next]")];
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches("input[data-next]")) return;
    const next = inputs[inputs.indexOf(event.target) + 1];
    if (!next) return; // the last box: Enter submits the form
    event.preventDefault();
    next.focus();
    next.select();
  });
})();
