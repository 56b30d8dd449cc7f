/* Entity types: name, colour and hotkey, each type saved with its own button. Conflicts show
   while typing, before anything is sent: two types with one name, two with one hotkey (the
   labeling page compares hotkeys without case), or a hotkey the labeling page keeps for itself.
   The API's own refusals (a name or hotkey someone took meanwhile, a type in use renamed or
   deleted, a stale edit) show in the type's row. */
import {request, urls} from "./api.js";
import {button, confirming, el, markInvalid, say} from "./dom.js";

// The labeling page's own keys (labeling/keyboard.js): a type hotkey among them would never fire.
const PAGE_KEYS = new Set(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "?", "/", "[", "]"]);
const tbody = document.querySelector("#entity-types tbody");
const newRow = document.getElementById("entity-type-new");

const input = (row, field) => row.querySelector(`.et-${field}`);
const problemsCell = (row) => row.querySelector(".et-problems");
const rows = () => [...tbody.rows, newRow];

function fields(row) {
  return {name: input(row, "name").value.trim(), colour: input(row, "colour").value,
          hotkey: input(row, "hotkey").value.trim()};
}

function typeRow(type) {
  const row = el("tr", {className: "entity-type", "data-id": type.id, "data-etag": type.etag});
  const save = button("Save", "et-save", `Save ${type.name}`);
  const remove = button("Delete", "et-delete", `Delete ${type.name}`);
  row.append(
    el("td", {}, el("input", {type: "text", className: "et-name vTextField", maxlength: 50, value: type.name,
                              "aria-label": "Name"})),
    el("td", {}, el("input", {type: "color", className: "et-colour", value: type.colour, "aria-label": "Colour"})),
    el("td", {}, el("input", {type: "text", className: "et-hotkey", maxlength: 1, size: 2, value: type.hotkey,
                              "aria-label": "Hotkey"})),
    el("td", {}, save, " ", remove),
    el("td", {className: "et-problems", role: "status"}));
  save.addEventListener("click", () => saveType(row));
  confirming(remove, type.name, () => deleteType(row));
  return row;
}

/* Every row's conflicts with the others (the new row counts once something is typed in it). */
function conflicts() {
  const filled = rows().filter((row) => row !== newRow || fields(row).name || fields(row).hotkey);
  const found = new Map(rows().map((row) => [row, {name: [], hotkey: []}]));
  for (const row of filled) {
    const {name, hotkey} = fields(row);
    const mine = found.get(row);
    if (!name) mine.name.push("A type needs a name.");
    if (PAGE_KEYS.has(hotkey)) mine.hotkey.push(`“${hotkey}” is a key of the labeling page itself.`);
    for (const other of filled.filter((r) => r !== row)) {
      const theirs = fields(other);
      const whose = other === newRow ? "the new type" : `${theirs.name || "another type"}`;
      if (name && name === theirs.name) mine.name.push(`The name “${name}” is also ${whose}'s.`);
      if (hotkey && hotkey.toLowerCase() === theirs.hotkey.toLowerCase()) {
        mine.hotkey.push(`Hotkey “${hotkey}” is also ${whose}'s.`);
      }
    }
  }
  return found;
}

function showConflicts() {
  for (const [row, problems] of conflicts()) {
    markInvalid(input(row, "name"), problems.name.length > 0);
    markInvalid(input(row, "hotkey"), problems.hotkey.length > 0);
    const text = [...problems.name, ...problems.hotkey].join(" ");
    const cell = problemsCell(row);
    if (text || cell.classList.contains("conflict-note")) {
      say(cell, text, text ? "error" : "");
      cell.classList.toggle("conflict-note", Boolean(text));
    }
    row.querySelector(".et-save, .et-add").disabled = Boolean(text);
  }
}

async function saveType(row) {
  try {
    const type = await request("PATCH", `${urls.entityTypes}${row.dataset.id}/`,
                               {body: fields(row), etag: row.dataset.etag});
    row.dataset.etag = type.etag;
    say(problemsCell(row), "Saved.", "success");
  } catch (error) {
    say(problemsCell(row), error.message, "error");
  }
}

async function deleteType(row) {
  try {
    await request("DELETE", `${urls.entityTypes}${row.dataset.id}/`, {etag: row.dataset.etag});
    row.remove();
    showConflicts();
  } catch (error) {
    say(problemsCell(row), error.message, "error");
  }
}

async function addType() {
  try {
    const type = await request("POST", urls.entityTypes, {body: fields(newRow)});
    tbody.append(typeRow(type));
    input(newRow, "name").value = "";
    input(newRow, "hotkey").value = "";
    showConflicts();
    say(problemsCell(newRow), `Added ${type.name}.`, "success");
  } catch (error) {
    say(problemsCell(newRow), error.message, "error");
  }
}

export function initEntityTypes(types) {
  tbody.replaceChildren(...types.map(typeRow));
  document.getElementById("entity-types").addEventListener("input", showConflicts);
  newRow.querySelector(".et-add").addEventListener("click", addType);
  showConflicts();
}
