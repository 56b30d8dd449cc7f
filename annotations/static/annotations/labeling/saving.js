/* Saving through the REST API: submit (a stale one, 409, keeps the annotator's work on the
   page and explains; one refused for open suggestions, 400, lists them; an expired session
   keeps the work and asks to log in again), skip with a reason, and the note about the item
   saved before this one. */
import {count, say} from "./dom.js";
import {draftDrop} from "./draft.js";
import {csrfToken, hideLoggedOut, isLoggedOut, showLoggedOut} from "./session.js";
import {api, byId, byPosition, data, labels, offsets, openSuggestions, schema, state, textOf, topics} from "./state.js";
import {describe, hideRefused, rejectionsToSend, showRefused} from "./suggestions.js";

const SAVED_KEY = "labeling:saved";
let saving = false;

/* POST JSON to the API; `loggedOut` tells that the session is gone. A 503 (the server lost its
   database connection) is sent once more after its Retry-After: a repeated submit is safe. */
export async function post(url, payload, retries = 1) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin", body: JSON.stringify(payload),
    headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
  });
  if (response.status === 503 && retries > 0) {
    const seconds = Number(response.headers.get("Retry-After")) || 1;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return post(url, payload, retries - 1);
  }
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  return {status: response.status, json, loggedOut: isLoggedOut(response, json)};
}

/* The labels as the API takes them; `pending` says what to do with the suggestions left open,
   and is sent only once the annotator chose (accept or reject the rest). */
function labelsPayload(pending) {
  const payload = {
    sentiment: state.sentiment,
    topics: Array.from(topics.selected),
    spans: labels().sort(byPosition).map((span) => ({
      start: offsets.toPoints(span.start), end: offsets.toPoints(span.end), label: span.label,
      text: textOf(span), sentiment: schema.entity_sentiment ? span.sentiment : "",
    })),
    rejected: rejectionsToSend(),
    base_version: state.baseVersion,
  };
  if (pending) payload.pending = pending;
  return payload;
}

/* Submit the labels. `pending` ("accept" | "reject") decides the suggestions still open, as the
   annotator just chose; an earlier "the rest" choice is sent only while nothing shows as open
   (a suggestion open again since is the annotator's to see, so the server lists it). */
export async function submit(pending = "") {
  if (saving) return;
  saving = true;
  byId("submit").disabled = true;
  say("Saving…");
  try {
    const choice = pending || (describe(openSuggestions()) ? "" : state.rest);
    const {status, json, loggedOut} = await post(api.annotations, labelsPayload(choice));
    if (loggedOut) return showLoggedOut();
    hideLoggedOut();
    if (status === 201) return saved(json);
    if (status === 409) return showConflict(json && json.error);
    if (status === 400 && json && json.error && json.error.code === "pending_suggestions") {
      showRefused(json.error.detail.pending);
      return say("Not saved: some suggestions are still open (listed above the text).", "error");
    }
    say(errorText(json, status), "error");
  } catch (error) {
    say("Could not reach the server; your labels are still here. Try again in a moment.", "error");
  } finally {
    saving = false;
    byId("submit").disabled = false;
  }
}

/* Go to the next item through the page's form, with the CSRF token as it is now. */
function nextItem() {
  byId("next-form").querySelector("[name=csrfmiddlewaretoken]").value = csrfToken();
  byId("next-form").submit();
}

function saved(annotation) {
  state.baseVersion = annotation.version;
  state.dirty = false;
  draftDrop();
  hideRefused();
  sessionStorage.setItem(SAVED_KEY, JSON.stringify({item: data.item.id, version: annotation.version}));
  say(`Saved (version ${annotation.version}). Opening the next item…`, "success");
  nextItem();
}

export function errorText(json, status) {
  const error = json && json.error;
  if (!error) return `Not saved: the server answered ${status}. Your labels are still here.`;
  const details = [];
  const walk = (value, name) => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, name));
    else if (value && typeof value === "object") Object.entries(value).forEach(([key, item]) => walk(item, key));
    else if (value) details.push(name ? `${name}: ${value}` : String(value));
  };
  walk(error.detail, "");
  return `Not saved: ${error.message}${details.length ? " " + details.join("; ") : ""}`;
}

/* A stale submit (409): keep the annotator's work on the page, say what happened, and offer
   to save it on top of the newer version or to load that version instead. */
async function showConflict(error) {
  const newer = error && error.detail ? error.detail.current_version : undefined;
  byId("conflict-message").textContent = newer === undefined
    ? `Not saved. ${error ? error.message : "The item changed meanwhile."}`
    : `Not saved: while you worked, version ${newer} of your labels for this item was saved ` +
      "(from another tab or window, perhaps).";
  byId("conflict-detail").textContent = "Your labels are still on this page.";
  byId("conflict-resubmit").hidden = newer === undefined;
  byId("conflict-reload").hidden = newer === undefined;
  byId("conflict").hidden = false;
  say("Not saved: see the message above the text.", "error");
  if (newer !== undefined) {
    byId("conflict-resubmit").textContent = `Save my labels as a new version on top of version ${newer}`;
    byId("conflict-resubmit").onclick = () => { state.baseVersion = newer; byId("conflict").hidden = true; submit(); };
    byId("conflict-detail").textContent = "Your labels are still on this page. " + await differences(newer);
  }
}

async function differences(newer) {
  try {
    const response = await fetch(api.annotations,
                                 {credentials: "same-origin", headers: {Accept: "application/json"}});
    const theirs = (await response.json()).find((a) => a.version === newer && a.annotator === api.annotator);
    if (!theirs) return "";
    const key = (s) => `${s.start}:${s.end}:${s.label}`;
    const mine = labelsPayload();
    const mineKeys = new Set(mine.spans.map(key)), theirKeys = new Set(theirs.spans.map(key));
    const onlyMine = mine.spans.filter((s) => !theirKeys.has(key(s))).length;
    const onlyTheirs = theirs.spans.filter((s) => !mineKeys.has(key(s))).length;
    return `Version ${newer} (saved ${new Date(theirs.created_at).toLocaleTimeString()}) has ` +
      `${count(theirs.spans.length, "span")}, sentiment “${theirs.sentiment || "none"}”, ` +
      `${count(theirs.topics.length, "topic")}; yours has ${count(mine.spans.length, "span")} ` +
      `(${onlyMine} not in it, ${onlyTheirs} of its not in yours), sentiment “${mine.sentiment || "none"}”, ` +
      `${count(mine.topics.length, "topic")}.`;
  } catch (error) {
    return "";
  }
}

export function reloadNewer() {
  state.dirty = false;  // the annotator chose to drop their changes
  draftDrop();
  window.location.reload();
}

export async function skip(event) {
  event.preventDefault();
  const reason = byId("skip-reason").value.trim();
  if (!reason) return;
  const {status, json, loggedOut} = await post(api.skip, {reason}).catch(() => ({status: 0, json: null}));
  if (loggedOut) return showLoggedOut();
  if (status !== 204) { say(errorText(json, status), "error"); return; }
  state.dirty = false;
  draftDrop();
  nextItem();
}

export function announceLastSave() {
  const last = JSON.parse(sessionStorage.getItem(SAVED_KEY) || "null");
  sessionStorage.removeItem(SAVED_KEY);
  if (last && last.item !== data.item.id) say(`Item #${last.item} saved (version ${last.version}).`, "success");
}
