// The export page: "Download now" is a plain GET form on the export endpoint (no script needed);
// this script builds releases through the releases API with the same filters, and keeps their
// list current while any is still being built. It also says before anything is sent when the
// chosen format cannot export every item (the API refuses that too), and shows the CSV formula
// option with CSV only. Server data is shown with textContent only.
"use strict";

(function () {
  const root = document.querySelector(".export-page");
  const api = root.dataset.releasesApi;
  const form = document.getElementById("export-form");
  const csrfToken = document.querySelector("#release-section [name=csrfmiddlewaretoken]").value;
  const POLL_MS = 2000;
  const BUILDING = ["pending", "running"];

  function showError(message) {
    const note = document.getElementById("export-error");
    note.textContent = message;
    note.hidden = !message;
  }

  function errorMessage(body, status) {
    const error = body && body.error;
    if (!error) return "The server answered " + status + ".";
    const detail = error.detail && typeof error.detail === "object" ? " " + JSON.stringify(error.detail) : "";
    return error.message + detail;
  }

  async function request(url, options) {
    const response = await fetch(url, {credentials: "same-origin", ...options,
                                       headers: {Accept: "application/json", ...(options || {}).headers}});
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(errorMessage(body, response.status));
    return body;
  }

  // The form's filters as the releases API takes them: empty fields left out, booleans as booleans.
  function filters() {
    const data = new FormData(form);
    const result = {gold_only: data.get("gold_only") === "true", include_annotations: data.has("include_annotations")};
    for (const [key, value] of data.entries()) {
      if (!(key in result) && value !== "") result[key] = value;
    }
    return result;
  }

  const formatSelect = document.getElementById("export-format");
  const goldOnlySelect = document.getElementById("export-gold-only");
  const labelsSelect = document.getElementById("export-labels");
  const buttons = [document.getElementById("export-download"), document.getElementById("release-create")];

  // Why the chosen format and items cannot be exported, or "" when they can.
  function refusal() {
    const option = formatSelect.selectedOptions[0];
    // Annotators' records always hold labels: only a gold export of every item is refused.
    if (labelsSelect.value !== "gold") return "";
    if (goldOnlySelect.value !== "false" || option.dataset.everyItem !== "false") return "";
    const able = Array.from(formatSelect.options).filter((o) => o.dataset.everyItem === "true")
      .map((o) => o.textContent.split(":")[0]);
    return option.textContent.split(":")[0] + " holds only items with gold, so it cannot export every item. " +
      "Choose " + able.join(" or ") + " for every item, or only items with accepted gold.";
  }

  function showChoices() {
    const message = refusal();
    const note = document.getElementById("export-every-item-refused");
    note.textContent = message;
    note.hidden = !message;
    buttons.forEach((button) => { button.disabled = Boolean(message); });
    document.getElementById("export-csv-formulas-row").hidden = formatSelect.value !== "csv";
  }

  formatSelect.addEventListener("change", showChoices);
  goldOnlySelect.addEventListener("change", showChoices);
  labelsSelect.addEventListener("change", showChoices);
  form.addEventListener("submit", (event) => {
    if (refusal()) { event.preventDefault(); showChoices(); }
  });
  showChoices();

  function size(bytes) {
    if (bytes === null) return "";
    const units = ["B", "KB", "MB", "GB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return (unit ? value.toFixed(1) : String(value)) + " " + units[unit];
  }

  function cell(text, title) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (title) td.title = title;
    return td;
  }

  function fileCell(release) {
    const td = document.createElement("td");
    if (release.download_url) {
      const link = document.createElement("a");
      link.href = release.download_url;
      link.textContent = "Download";
      link.className = "release-download";
      td.append(link);
    } else if (release.status === "failed") {
      td.textContent = release.error;
      td.className = "errornote";
    }
    return td;
  }

  function row(release) {
    const tr = document.createElement("tr");
    tr.dataset.version = release.version;
    tr.className = "release-" + release.status;
    tr.append(cell("v" + release.version), cell(release.status), cell(release.export_format),
              cell(release.document_count), cell(release.span_count), cell(size(release.size_bytes)),
              cell(release.checksum ? release.checksum.slice(0, 12) + "…" : "", release.checksum),
              cell(release.note), cell(release.created_by), cell(new Date(release.created_at).toLocaleString()),
              fileCell(release));
    return tr;
  }

  async function refresh() {
    const page = await request(api);
    document.querySelector("#releases tbody").replaceChildren(...page.results.map(row));
    document.getElementById("releases-empty").hidden = page.results.length > 0;
    if (page.results.some((release) => BUILDING.includes(release.status))) {
      setTimeout(() => refresh().catch((error) => showError(error.message)), POLL_MS);
    }
  }

  document.getElementById("release-create").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    showError("");
    try {
      const body = {...filters(), note: document.getElementById("release-note").value};
      await request(api, {method: "POST", body: JSON.stringify(body),
                          headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken}});
      document.getElementById("release-note").value = "";
      await refresh();
    } catch (error) {
      showError(error.message);
    } finally {
      button.disabled = Boolean(refusal());
    }
  });

  refresh().catch((error) => showError(error.message));
})();
