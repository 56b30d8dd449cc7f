/* Labeling actions on spans: label the selection, relabel, delete, set the sentiment toward
   an entity. Each returns the spans it touched (or null) and runs through act(). */
import {say} from "./dom.js";
import {closeMenu} from "./menu.js";
import {renderEntities} from "./panels.js";
import {clearPending} from "./selection.js";
import {addSpan, labels, overlap, schema, spans, state, suggestions, textOf} from "./state.js";
import {accept, renderSuggestionSummary} from "./suggestions.js";
import {renderRange} from "./text.js";

/* Run one labeling action, timed (User Timing, seen in DevTools and by the benchmark), and
   re-render what it changed: the spans it returns, and their paragraphs. */
export function act(action) {
  const started = performance.now();
  const touched = action();
  if (!touched || !touched.length) return;
  renderRange(Math.min(...touched.map((s) => s.start)), Math.max(...touched.map((s) => s.end)));
  renderEntities();
  renderSuggestionSummary();
  closeMenu();
  state.dirty = true;
  performance.measure("labeling:apply", {start: started});
  requestAnimationFrame(() => setTimeout(() => performance.measure("labeling:apply-frame", {start: started})));
}

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
  const replaced = schema.allow_overlapping_spans ? [] : suggestions().filter((span) => overlap(span, range));
  replaced.forEach((span) => spans.delete(span.id));
  const span = addSpan({start: range.start, end: range.end, label});
  say(`${label} “${textOf(span)}” labelled.`);
  return [span, ...replaced];
}

export function relabel(span, label) {
  if (span.suggested) return accept(span, label);
  span.label = label;
  return [span];
}

export function remove(span) {
  spans.delete(span.id);
  if (state.activeId === span.id) closeMenu();
  return [span];
}

export function setSpanSentiment(span, value) {
  span.sentiment = span.sentiment === value ? "" : value;
  return [span];
}
