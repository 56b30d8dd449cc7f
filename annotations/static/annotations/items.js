// The item browser: "select all on this page" for the action form, and only the field the
// chosen action needs (the annotator to assign to, the note to send back with). The page works
// without this script: every field is then shown and each item is chosen by its own box.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("items-all");
  const boxes = [...document.querySelectorAll("#items input[name=items]")];
  if (all) {
    all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
    const sync = () => {
      const chosen = boxes.filter((box) => box.checked).length;
      all.checked = chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    };
    boxes.forEach((box) => box.addEventListener("change", sync));
  }
  const action = document.getElementById("item-action");
  if (action) {
    const show = () => document.querySelectorAll(".action-field").forEach((field) => {
      field.hidden = field.dataset.for !== action.value;
    });
    action.addEventListener("change", show);
    show();
  }
});
