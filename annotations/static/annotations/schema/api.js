/* The schema API, with the session and the CSRF token. Every write to an object that exists
   names the version the page read (its etag, as If-Match): when someone changed it since, the
   API refuses with 412 and nothing is overwritten. Errors become one sentence for people. */
const root = document.querySelector(".schema-editor");
const csrfToken = root.querySelector("[name=csrfmiddlewaretoken]").value;

export const urls = {
  project: root.dataset.projectApi,
  entityTypes: root.dataset.entityTypesApi,
  topics: root.dataset.topicsApi,
  preview: root.dataset.previewUrl,
};

export const STALE_MESSAGE = "Someone changed this since you opened the page, so your change was not saved " +
  "(nothing was overwritten). Reload the page to see their version, then redo your change.";

export class ApiError extends Error {
  constructor(status, body) {
    super(explain(status, body));
    this.status = status;
  }
}

// Validation details ({"field": ["message"]}, nested for list items) as one line.
function flatten(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(flatten).join(" ");
  if (typeof value === "object") return Object.entries(value).map(([key, v]) => `${key}: ${flatten(v)}`).join("; ");
  return String(value);
}

export function explain(status, body) {
  if (status === 412) return STALE_MESSAGE;
  const error = body && body.error;
  if (!error) return `The server answered ${status}.`;
  if (status === 400 && error.detail && typeof error.detail === "object") {
    return `${error.message} ${flatten(error.detail)}`;
  }
  return error.message;
}

export async function request(method, url, {body, etag} = {}) {
  const headers = {Accept: "application/json"};
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = `"${etag}"`;
  const response = await fetch(url, {method, headers, credentials: "same-origin",
                                     body: body === undefined ? undefined : JSON.stringify(body)});
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/* The guidelines as annotators will see them: rendered by the server's own (escaping) renderer. */
export async function renderGuidelines(text) {
  const response = await fetch(urls.preview, {
    method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken},
    body: new URLSearchParams({guidelines: text})});
  const html = await response.text();
  if (!response.ok) throw new Error(response.status === 400 ? html : `The server answered ${response.status}.`);
  return html;
}
