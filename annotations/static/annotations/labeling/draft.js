/* The local draft: the annotator's unsaved decisions on this item, kept in the browser
   (localStorage, per user and item) after every change, so a reload, a crash or an expired
   session loses nothing. Restored when the page opens; dropped once the labels equal the saved
   version again (a submit, or undoing every change). Offsets are stored as code points. */
import {api, body, data, offsets, savedLabels, snapshot, state} from "./state.js";

const PREFIX = "newsroom:labeling-draft:";
const KEY = `${PREFIX}${api.user}:${data.item.id}`;
// A draft of an item never submitted (skipped, or handed to someone else) is dropped after this long.
const KEEP_DAYS = 30;
const DAY_MS = 86_400_000;

/* The decisions in a stable form that compares as text (ids and order do not matter). */
function canonical(decisions) {
  const labels = decisions.labels.map(({start, end, label, sentiment}) => ({
    start: offsets.toPoints(start), end: offsets.toPoints(end), label, sentiment,
    text: body.slice(start, end)}));
  labels.sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return {labels, rejected: [...decisions.rejected].sort(), sentiment: decisions.sentiment,
          topics: [...decisions.topics].sort((a, b) => a - b), rest: decisions.rest || ""};
}

const saved = JSON.stringify(canonical(savedLabels()));

/* Keep the current decisions as the draft, or drop it when they equal the saved version. */
export function draftKeep() {
  const decisions = canonical(snapshot());
  state.dirty = JSON.stringify(decisions) !== saved;
  try {
    if (!state.dirty) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, JSON.stringify({...decisions, base_version: state.baseVersion,
                                                   saved_at: new Date().toISOString()}));
  } catch (error) {
    // Storage full or switched off: the page works as before, without a draft.
  }
}

export function draftDrop() {
  try { localStorage.removeItem(KEY); } catch (error) { /* nothing was kept */ }
}

/* This item's draft as a snapshot (code units) with its base version and time, or null when
   there is none or it no longer fits the text. */
export function draftLoad() {
  dropOldDrafts();
  let draft;
  try { draft = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (error) { return null; }
  if (!draft || !Array.isArray(draft.labels)) return null;
  const labels = draft.labels.map((label) => ({...label, start: offsets.toUnits(label.start),
                                              end: offsets.toUnits(label.end)}));
  if (labels.some((label) => body.slice(label.start, label.end) !== label.text)) return null;
  return {labels: labels.map(({start, end, label, sentiment}) => ({start, end, label, sentiment})),
          rejected: draft.rejected || [], sentiment: draft.sentiment || "", topics: draft.topics || [],
          rest: draft.rest || "", baseVersion: draft.base_version ?? null, savedAt: new Date(draft.saved_at)};
}

function dropOldDrafts() {
  try {
    const oldest = Date.now() - KEEP_DAYS * DAY_MS;
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(PREFIX) || key === KEY) continue;
      const kept = JSON.parse(localStorage.getItem(key) || "null");
      if (!kept || !(Date.parse(kept.saved_at) > oldest)) localStorage.removeItem(key);
    }
  } catch (error) {
    // Unreadable storage: nothing to tidy.
  }
}
