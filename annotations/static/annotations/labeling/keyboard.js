/* The page's keys, outside form fields: word-by-word selection, type hotkeys, stepping through
   spans and suggestions, accept / delete, sentiment digits, search, guidelines, submit. */
import {act, labelPending, relabel, remove, setSpanSentiment} from "./actions.js";
import {chooseSentiment, clearSentiment} from "./panels.js";
import {submit} from "./saving.js";
import {activate, clearPending, moveWord} from "./selection.js";
import {articleEl, byId, byPosition, schema, spans, state} from "./state.js";
import {accept, acceptAll} from "./suggestions.js";

function stepSpan(step) {
  const ordered = Array.from(spans.values()).sort(byPosition);
  if (!ordered.length) return;
  const current = spans.get(state.activeId);
  let index;
  if (current) index = ordered.indexOf(current) + step;
  else {
    const from = state.pending ? state.pending.start : 0;
    index = step > 0 ? ordered.findIndex((s) => s.start >= from) : ordered.findLastIndex((s) => s.start < from);
    if (index < 0) index = step > 0 ? 0 : ordered.length - 1;
  }
  state.pending = null;
  activate(ordered[(index + ordered.length) % ordered.length].id, {menu: true, scroll: true});
}

function onDigit(digit) {
  const active = spans.get(state.activeId);
  const value = digit === 0 ? "" : schema.sentiment_scale[digit - 1];
  if (value === undefined) return;
  if (active && !active.suggested && schema.entity_sentiment) {
    act(() => setSpanSentiment(active, value || active.sentiment));
  } else if (value) chooseSentiment(value);
  else clearSentiment();
}

function onTypeKey(type) {
  const active = spans.get(state.activeId);
  if (state.pending) act(() => labelPending(type.name));
  else if (active) act(() => relabel(active, type.name));
}

/* The handler of a key pressed outside form fields, or null if the key is not ours. */
function keyAction(event) {
  const active = spans.get(state.activeId);
  switch (event.key) {
    case "Escape": return () => { clearPending(); activate(null); };
    case "?": return () => byId("guidelines-dialog").showModal();
    case "/": return () => byId("topic-search").focus();
    case "]": return () => stepSpan(1);
    case "[": return () => stepSpan(-1);
    case "A": return event.shiftKey ? () => act(acceptAll) : null;
    case "Enter": return active && active.suggested ? () => act(() => accept(active)) : null;
    case "Delete": case "Backspace": return active ? () => act(() => remove(active)) : null;
    case "ArrowRight": case "ArrowLeft":  // in the text only: elsewhere arrows scroll as usual
      return document.activeElement === articleEl
        ? () => moveWord(event.key === "ArrowRight" ? 1 : -1, event.shiftKey) : null;
  }
  if (/^[0-9]$/.test(event.key)) return () => onDigit(Number(event.key));
  const type = event.shiftKey ? null
    : schema.entity_types.find((t) => t.hotkey && t.hotkey.toLowerCase() === event.key.toLowerCase());
  return type ? () => onTypeKey(type) : null;
}

export function onKeyDown(event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    submit();
    return;
  }
  const target = event.target;
  if (event.altKey || event.ctrlKey || event.metaKey || target.closest("input, select, textarea, dialog")) return;
  if ((event.key === "Enter" || event.key === " ") && target.closest("button, a")) return;
  const action = keyAction(event);
  if (!action) return;
  event.preventDefault();
  action();
}
