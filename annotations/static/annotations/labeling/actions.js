/* Labeling actions and the one way they change the page: act() runs an action, remembers the
   state before it (undo), redraws what it touched and keeps the local draft. Span actions here:
   label the selection, relabel, delete, set the sentiment toward an entity; suggestions.js has
   the accept / reject ones, panels.js the document's sentiment and topics. */
import {say} from "./dom.js";
import {draftKeep} from "./draft.js";
import * as history from "./history.js";
import {closeMenu} from "./menu.js";
import {renderEntities, renderSentiment, renderTopicMarks} from "./panels.js";
import {clearPending} from "./selection.js";
import {addSpan, byId, labels, offered, overlap, rejected, restore, schema, showSuggestions, snapshot, spans, state,
        textOf} from "./state.js";
import {accept, reject, renderOpenList, renderSuggestionSummary} from "./suggestions.js";
import {renderRange} from "./text.js";

/* Run one labeling action, timed (User Timing, seen in DevTools and by the benchmark). An
   action returns the spans it touched (an empty list when it changed only the document's
   labels), or null when it changed nothing. `name` says what it did, for undo. */
export function act(action, name = "the last change") {
  const started = performance.now();
  const before = snapshot();
  const touched = action();
  if (!touched) return;
  history.remember(before, name);
  if (touched.length) closeMenu();
  redraw(touched);
  performance.measure("labeling:apply", {start: started});
  requestAnimationFrame(() => setTimeout(() => performance.measure("labeling:apply-frame", {start: started})));
}

/* Re-render the paragraphs of the touched spans and the panels, and keep the draft. */
function redraw(touched) {
  if (touched.length) {
    renderRange(Math.min(...touched.map((s) => s.start)), Math.max(...touched.map((s) => s.end)));
  }
  renderEntities();
  renderSentiment();
  renderTopicMarks();
  renderSuggestionSummary();
  renderOpenList();
  renderHistoryButtons();
  draftKeep();
}

// --- undo and redo -----------------------------------------------------------------

export const undo = () => travel(history.back, "Undone", "undo");
export const redo = () => travel(history.forward, "Redone", "redo");

function travel(move, done, verb) {
  const entry = move(snapshot());
  if (!entry) {
    say(`Nothing to ${verb}.`);
    return;
  }
  clearPending();
  const touched = restore(entry.snapshot);
  if (!spans.has(state.activeId)) state.activeId = null;
  closeMenu();
  redraw(touched);
  say(`${done}: ${entry.name}.`);
}

export function renderHistoryButtons() {
  byId("undo").disabled = !history.canUndo();
  byId("redo").disabled = !history.canRedo();
}

// --- spans -------------------------------------------------------------------------

export function labelPending(label) {
  const range = state.pending;
  clearPending();
  const same = labels().find((span) => span.start === range.start && span.end === range.end);
  if (same) return relabel(same, label);
  const clash = schema.allow_overlapping_spans ? null : labels().find((span) => overlap(span, range));
  if (clash) {
    say(`That overlaps ${clash.label} “${textOf(clash)}”, and this project does not allow overlapping spans. ` +
        "Delete or change that span first.", "error");
    return null;
  }
  const span = addSpan({start: range.start, end: range.end, label});
  say(`${label} “${textOf(span)}” labelled.`);
  return [span, ...showSuggestions()];  // a suggestion it overlaps is thereby decided
}

export function relabel(span, label) {
  if (span.suggested) return accept(span, label);
  if (span.label === label) return null;
  span.label = label;
  return [span, ...showSuggestions()];
}

/* Delete a label, or reject a suggestion. Deleting a label that was exactly a suggestion
   rejects that suggestion too, so it does not come back as open. */
export function remove(span) {
  if (span.suggested) return reject(span);
  spans.delete(span.id);
  if (state.activeId === span.id) closeMenu();
  const suggested = offered.spans.find((s) => s.start === span.start && s.end === span.end && s.label === span.label);
  if (suggested) rejected.add(suggested.key);
  return [span, ...showSuggestions()];
}

/* Set the sentiment toward an entity; the value it has already clears it. */
export function setSpanSentiment(span, value) {
  span.sentiment = span.sentiment === value ? "" : value;
  return [span];
}

export const spanName = (span) => `${span.label} “${textOf(span)}”`;
