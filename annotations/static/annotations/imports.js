// The import page: upload files to POST /api/imports/, follow the batch until it is done, then
// list what became of each item. Everything from the server is shown with textContent.
"use strict";

(function () {
  const root = document.querySelector(".import-page");
  const form = document.getElementById("import-form");
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const POLL_MS = 1000;
  // Rows fetched per request for the report; the API caps page_size at 500.
  const PAGE_SIZE = 500;
  // Report rows shown; a bigger batch is summarised by its counts (every record is in the API).
  const MAX_ROWS = 2000;
  const FINISHED = ["done", "failed"];
  // Story clusters looked up to tell the article that started a story from those that joined it;
  // past this, every article of a cluster is reported as joining it.
  const MAX_STORY_LOOKUPS = 100;

  function show(id, visible) { document.getElementById(id).hidden = !visible; }

  function setText(id, text) { document.getElementById(id).textContent = text; }

  function setBar(fraction, phase) {
    const bar = document.querySelector("#import-progress .progress");
    const percent = fraction === null ? null : Math.round(Math.min(Math.max(fraction, 0), 1) * 100);
    bar.classList.toggle("indeterminate", percent === null);
    if (percent === null) {
      bar.removeAttribute("aria-valuenow");
    } else {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.firstElementChild.style.width = percent + "%";
    }
    setText("import-phase", phase);
    show("import-progress", true);
  }

  function showError(message) {
    setText("import-error", message);
    show("import-error", true);
  }

  function errorMessage(body, status) {
    const error = body && body.error;
    if (!error) return "The server answered " + status + ".";
    const detail = error.detail && typeof error.detail === "object" ? " " + JSON.stringify(error.detail) : "";
    return error.message + detail;
  }

  async function getJson(url) {
    const response = await fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"});
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const failure = new Error(errorMessage(body, response.status));
      failure.status = response.status;
      throw failure;
    }
    return body;
  }

  // XMLHttpRequest rather than fetch: only it reports upload progress.
  function upload(data) {
    const request = new XMLHttpRequest();
    request.open("POST", root.dataset.api);
    request.setRequestHeader("X-CSRFToken", csrfToken);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        setBar(event.loaded / event.total, "Uploading… " + Math.round(100 * event.loaded / event.total) + "%");
      }
    });
    request.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch (ignored) { /* not JSON: reported below */ }
      if (request.status === 201 || request.status === 202) {
        follow(body);
      } else {
        show("import-progress", false);
        showError(errorMessage(body, request.status));
      }
      form.querySelector("[type=submit]").disabled = false;
    });
    request.addEventListener("error", () => {
      showError("The upload did not reach the server; check the connection and try again.");
      form.querySelector("[type=submit]").disabled = false;
    });
    request.send(data);
  }

  function follow(batch) {
    history.replaceState(null, "", "?batch=" + batch.id);
    const known = batch.total ? batch.processed_count / batch.total : null;
    if (FINISHED.includes(batch.status)) {
      setBar(1, batch.status === "done" ? "Import #" + batch.id + " done" : "Import #" + batch.id + " failed");
      setText("import-counts", "");
      report(batch).catch((error) => showError(error.message));
      return;
    }
    setBar(known, (batch.status === "pending" ? "Waiting for a worker… " : "Importing… ") + "#" + batch.id);
    setText("import-counts", batch.processed_count + (batch.total ? " of " + batch.total : "") + " items processed");
    setTimeout(() => getJson(root.dataset.api + batch.id + "/").then(follow, (error) => showError(error.message)),
               POLL_MS);
  }

  async function allPages(url) {
    const rows = [];
    let next = url;
    while (next && rows.length < MAX_ROWS) {
      const page = await getJson(next);
      rows.push(...page.results);
      next = page.next;
    }
    return rows;
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    return td;
  }

  function addRow(body, item, outcome, details) {
    const row = document.createElement("tr");
    row.className = "outcome-" + outcome.replace(/\s+/g, "-");
    row.append(cell(item), cell(outcome), cell(details));
    body.append(row);
  }

  async function report(batch) {
    setText("import-report-title", "Report of import #" + batch.id);
    for (const td of document.querySelectorAll("#import-summary [data-count]")) {
      td.textContent = String(batch[td.dataset.count]);
    }
    setText("import-batch-error", batch.error || "");
    show("import-batch-error", Boolean(batch.error));
    const body = document.querySelector("#import-items tbody");
    body.replaceChildren();
    show("import-report", true);
    const records = await allPages(root.dataset.api + batch.id + "/records/?page_size=" + PAGE_SIZE);
    for (const record of records.filter((r) => r.outcome === "failed")) {
      addRow(body, record.origin, "failed", record.message);
    }
    for (const record of records.filter((r) => r.outcome === "duplicate")) {
      addRow(body, record.origin, "duplicate", record.message + (record.article ? " (article " + record.article + ")" : ""));
    }
    await reportCreated(body, batch);
  }

  async function reportCreated(body, batch) {
    const url = root.dataset.articlesApi + "?import_batch=" + batch.id + "&ordering=id&page_size=" + PAGE_SIZE;
    let articles;
    try {
      articles = await allPages(url);
    } catch (error) {
      setText("import-items-note", batch.created_count + " articles were created; listing them needs the " +
                                   "permission to read the corpus.");
      show("import-items-note", true);
      return;
    }
    const starters = await storyStarters(articles);
    for (const article of articles) {
      const joined = article.story_cluster !== null && !starters.has(article.id);
      addRow(body, article.title, joined ? "joined story" : "created",
             (article.story_cluster === null ? "" : (joined ? "joined" : "started") + " story #" +
                                                   article.story_cluster + "; ") +
             "article " + article.id + (article.source ? ", " + article.source : ""));
    }
    const shown = body.rows.length;
    const total = batch.created_count + batch.duplicate_count + batch.failed_count;
    setText("import-items-note", shown < total ? "Showing " + shown + " of " + total + " items." : "");
    show("import-items-note", shown < total);
  }

  // The oldest article of each story cluster started the story; the others joined it. One
  // request per cluster, the oldest article first.
  async function storyStarters(articles) {
    const clusters = [...new Set(articles.map((a) => a.story_cluster).filter((c) => c !== null))];
    const starters = new Set();
    for (const cluster of clusters.slice(0, MAX_STORY_LOOKUPS)) {
      const page = await getJson(root.dataset.articlesApi + "?story_cluster=" + cluster + "&ordering=id&page_size=1");
      if (page.results.length) starters.add(page.results[0].id);
    }
    return starters;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show("import-error", false);
    show("import-report", false);
    form.querySelector("[type=submit]").disabled = true;
    setBar(0, "Uploading…");
    upload(new FormData(form));
  });

  const opened = new URLSearchParams(location.search).get("batch");
  if (opened && /^\d+$/.test(opened)) {
    getJson(root.dataset.api + opened + "/").then(follow, (error) => showError(error.message));
  }
})();
