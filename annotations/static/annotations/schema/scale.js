/* The sentiment scale as a list, from most negative to most positive: add, remove, rename and
   reorder values, then save the whole scale at once. Empty or repeated values are shown before
   anything is sent; the API refuses to take off the scale a value that labels use (409, naming
   the values and how many labels use them) and a stale edit (412). */
import {request, urls} from "./api.js";
import {button, el, markInvalid, say} from "./dom.js";

const list = document.getElementById("scale-values");
const problems = document.getElementById("scale-problems");
const saveButton = document.getElementById("scale-save");
const message = document.getElementById("scale-message");
const newValue = document.getElementById("scale-new");
let values = [];
let project;

function valueItem(value, index) {
  const field = el("input", {type: "text", className: "scale-value vTextField", maxlength: 50, value,
                             "aria-label": `Value ${index + 1}`});
  field.addEventListener("input", () => { values[index] = field.value.trim(); check(); });
  const up = button("↑", "scale-up", `Move ${value} up`);
  const down = button("↓", "scale-down", `Move ${value} down`);
  const remove = button("Remove", "scale-remove", `Remove ${value}`);
  up.disabled = index === 0;
  down.disabled = index === values.length - 1;
  up.addEventListener("click", () => move(index, -1));
  down.addEventListener("click", () => move(index, 1));
  remove.addEventListener("click", () => { values.splice(index, 1); render(); });
  return el("li", {className: "scale-item"}, field, " ", up, " ", down, " ", remove);
}

function move(index, step) {
  [values[index], values[index + step]] = [values[index + step], values[index]];
  render();
}

function check() {
  const seen = new Set();
  const found = [];
  list.querySelectorAll(".scale-value").forEach((field, index) => {
    const value = values[index];
    const bad = !value || seen.has(value);
    if (!value) found.push(`Value ${index + 1} is empty.`);
    else if (seen.has(value)) found.push(`“${value}” is on the scale twice.`);
    seen.add(value);
    markInvalid(field, bad);
  });
  problems.textContent = found.join(" ");
  problems.hidden = !found.length;
  saveButton.disabled = found.length > 0;
}

function render() {
  list.replaceChildren(...values.map(valueItem));
  check();
}

async function save() {
  try {
    const saved = await request("PATCH", urls.project, {body: {sentiment_scale: values}, etag: project.etag});
    project.etag = saved.etag;
    values = [...saved.sentiment_scale];
    render();
    say(message, "Saved the scale.", "success");
  } catch (error) {
    say(message, `The scale was not saved: ${error.message}`, "error");
  }
}

export function initScale(initial, projectState) {
  project = projectState;
  values = [...initial];
  render();
  document.getElementById("scale-add").addEventListener("click", () => {
    if (!newValue.value.trim()) return;
    values.push(newValue.value.trim());
    newValue.value = "";
    render();
  });
  saveButton.addEventListener("click", save);
}
